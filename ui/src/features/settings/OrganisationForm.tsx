// Add or edit an organisation: name, FHIR base URL, client id, scopes, enabled, and the
// scheduling dialect (detected unless an admin sets one for a variant that cannot be detected).
import { useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput, TextInput } from "../../components/Field";
import type { Organisation } from "../../ipc/bindings/Organisation";
import { DETECT_DIALECT, DIALECT_CHOICES } from "./dialects";
import { useSaveOrganisation } from "./queries";

const DEFAULT_SCOPES =
  "system/Slot.read system/Appointment.read system/Appointment.write system/Patient.read system/Patient.write system/Coverage.write";

export function OrganisationForm({ org, onDone }: { org: Organisation | null; onDone: () => void }) {
  const [name, setName] = useState(org?.name ?? "");
  const [fhirBase, setFhirBase] = useState(org?.fhirBase ?? "");
  const [clientId, setClientId] = useState(org?.clientId ?? "");
  const [scopes, setScopes] = useState(org?.scopes ?? DEFAULT_SCOPES);
  const [enabled, setEnabled] = useState(org?.enabled ?? true);
  const [dialect, setDialect] = useState(org?.dialect ?? DETECT_DIALECT);
  const save = useSaveOrganisation();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        id: org?.id ?? null,
        name: name.trim(),
        fhirBase: fhirBase.trim(),
        clientId: clientId.trim(),
        scopes: scopes.trim(),
        enabled,
        dialect,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form
      className="org-form"
      aria-label={org ? `Edit ${org.name}` : "Add organisation"}
      data-testid="org-form"
      onSubmit={submit}
    >
      <TextInput label="Name" required value={name} testId="org-name" onChange={setName} />
      <TextInput
        label="FHIR base URL"
        type="url"
        required
        value={fhirBase}
        testId="org-fhir-base"
        onChange={setFhirBase}
        hint="For example https://ehr.example.org/fhir"
      />
      <TextInput
        label="Client ID"
        required
        value={clientId}
        testId="org-client-id"
        onChange={setClientId}
        hint="The id the organisation’s administrator registered this app under"
      />
      <TextInput label="Scopes" value={scopes} testId="org-scopes" onChange={setScopes} />
      <SelectInput
        label="Scheduling dialect"
        value={dialect}
        testId="org-dialect"
        onChange={setDialect}
        choices={DIALECT_CHOICES}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={enabled}
          data-testid="org-enabled"
          onChange={(e) => setEnabled(e.target.checked)}
        />{" "}
        Enabled
      </label>
      <ErrorBanner error={save.error} />
      <div className="actions">
        <Button onPress={onDone}>Cancel</Button>
        <Button type="submit" className="primary" data-testid="org-save" isDisabled={save.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}
