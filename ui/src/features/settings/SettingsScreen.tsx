// Settings: the organisation directory (add, edit, check connection), the home organisation
// whose orders the queue shows, the referring clinician, the app's public key for an
// organisation's administrator, the app's keys, and the theme.
import { useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput } from "../../components/Field";
import type { Organisation } from "../../ipc/bindings/Organisation";
import type { ThemePreference } from "../../lib/theme";
import { CapabilityReportView } from "./CapabilityReportView";
import { DeskSettingsSection } from "./DeskSettingsSection";
import { HomeSection } from "./HomeSection";
import { KeysSection } from "./KeysSection";
import { OrganisationForm } from "./OrganisationForm";
import { useCheckOrganisation, useJwks, useOrganisations, useRemoveOrganisation } from "./queries";

export function SettingsScreen({ theme, onTheme }: { theme: ThemePreference; onTheme: (t: ThemePreference) => void }) {
  const orgs = useOrganisations(true);
  const [editing, setEditing] = useState<Organisation | "new" | null>(null);
  return (
    <section aria-labelledby="settings-title" data-testid="settings">
      <h1 id="settings-title">Settings</h1>
      <h2>Organisations</h2>
      <ErrorBanner error={orgs.error} />
      <ul className="org-list">
        {(orgs.data ?? []).map((o) => (
          <OrganisationRow key={o.id} org={o} onEdit={() => setEditing(o)} />
        ))}
      </ul>
      {editing ? (
        <OrganisationForm org={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
      ) : (
        <Button data-testid="org-add" onPress={() => setEditing("new")}>
          Add organisation
        </Button>
      )}
      <HomeSection />
      <DeskSettingsSection />
      <Jwks />
      <KeysSection />
      <h2>Appearance</h2>
      <SelectInput
        label="Theme"
        value={theme}
        testId="theme-select"
        onChange={(v) => onTheme(v as ThemePreference)}
        choices={[
          { value: "system", label: "Same as the system" },
          { value: "light", label: "Light" },
          { value: "dark", label: "Dark" },
        ]}
      />
    </section>
  );
}

function OrganisationRow({ org, onEdit }: { org: Organisation; onEdit: () => void }) {
  const check = useCheckOrganisation();
  const remove = useRemoveOrganisation();
  const report = check.data ?? org.lastCheck;
  return (
    <li data-testid="org-row" data-organisation-id={org.id}>
      <div className="title-row">
        <div>
          <strong>{org.name}</strong> {org.sandbox && <span className="muted">(sandbox)</span>}{" "}
          {!org.enabled && <span className="muted">(disabled)</span>}
          <div className="muted">{org.fhirBase}</div>
        </div>
        <div className="actions">
          <Button data-testid="org-check" isDisabled={check.isPending} onPress={() => check.mutate(org.id)}>
            {check.isPending ? "Checking…" : "Check connection"}
          </Button>
          <Button data-testid="org-edit" onPress={onEdit}>
            Edit
          </Button>
          <Button
            className="danger"
            data-testid="org-remove"
            isDisabled={remove.isPending}
            onPress={() => remove.mutate(org.id)}
          >
            Remove
          </Button>
        </div>
      </div>
      <ErrorBanner error={check.error ?? remove.error} />
      {report && <CapabilityReportView report={report} />}
    </li>
  );
}

function Jwks() {
  const jwks = useJwks();
  const [copied, setCopied] = useState(false);
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <>
      <h2>This app’s key</h2>
      <p>
        Give this public key set to an organisation’s administrator so they can register Referral Desk. It contains no
        secret.
      </p>
      <ErrorBanner error={jwks.error} />
      {jwks.data && (
        <>
          <p className="muted">
            Key id {jwks.data.keyId}, algorithm {jwks.data.algorithm}
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it */}
          {/* biome-ignore lint/a11y/useSemanticElements: a <section> would not keep the preformatted text; the role only names the box */}
          <pre className="jwks" data-testid="jwks" role="region" tabIndex={0} aria-label="Public key set (JWKS)">
            {jwks.data.jwksJson}
          </pre>
          <Button data-testid="jwks-copy" onPress={() => void copy(jwks.data.jwksJson)}>
            {copied ? "Copied" : "Copy"}
          </Button>
        </>
      )}
    </>
  );
}
