// Coverage for a patient an organisation already knows (chosen from a match or registered):
// send the coverage entered here (POST Coverage), then update it (PUT with the version last
// saved, so a coverage changed there meanwhile is refused instead of overwritten).
import { useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import type { CoverageInput } from "../../ipc/bindings/CoverageInput";
import type { CoverageSaved } from "../../ipc/bindings/CoverageSaved";
import type { Organisation } from "../../ipc/bindings/Organisation";
import type { PatientLink } from "../../ipc/bindings/PatientLink";
import { useSaveCoverage } from "./queries";

interface Props {
  links: PatientLink[];
  organisations: Organisation[];
  /** The coverage entered, or null while it is incomplete. */
  coverage: CoverageInput | null;
}

export function CoverageAtOrganisations({ links, organisations, coverage }: Props) {
  if (links.length === 0) return null;
  return (
    <ul className="coverage-at" aria-label="Coverage at the organisations that know the patient">
      {links.map((l) => (
        <CoverageAt
          key={l.organisationId}
          link={l}
          name={organisations.find((o) => o.id === l.organisationId)?.name ?? l.organisationId}
          coverage={coverage}
        />
      ))}
    </ul>
  );
}

function CoverageAt({ link, name, coverage }: { link: PatientLink; name: string; coverage: CoverageInput | null }) {
  const [saved, setSaved] = useState<CoverageSaved | null>(null);
  const save = useSaveCoverage();
  const send = () => {
    if (!coverage) return;
    save.mutate(
      { link, coverage, saved },
      {
        onSuccess: (s) => setSaved(s),
      },
    );
  };
  return (
    <li data-testid="coverage-at" data-organisation-id={link.organisationId}>
      <Button data-testid="coverage-send" isDisabled={!coverage || save.isPending} onPress={send}>
        {saved ? `Update the coverage at ${name}` : `Send the coverage to ${name}`}
      </Button>
      {saved && (
        <span role="status" data-testid="coverage-saved">
          {` Saved at ${name}${saved.version ? ` (version ${saved.version})` : ""}.`}
        </span>
      )}
      <ErrorBanner error={save.error} testId="coverage-send-error" />
    </li>
  );
}
