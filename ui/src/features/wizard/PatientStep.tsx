// Wizard step 1: the patient. Search or `$match` at an organisation (a chosen candidate fills the
// form and records the patient's id there; see PatientSearch), or enter a new patient with
// coverage and optionally register them.
import { DateField } from "../../components/DateField";
import { SelectInput, TextInput } from "../../components/Field";
import type { Gender } from "../../ipc/bindings/Gender";
import type { Organisation } from "../../ipc/bindings/Organisation";
import { CoverageAtOrganisations } from "./CoverageAtOrganisations";
import { type Draft, RELATIONSHIPS, toCoverage } from "./draft";
import { PatientSearch } from "./PatientSearch";

const GENDERS: { value: Gender; label: string }[] = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "other", label: "Other" },
  { value: "unknown", label: "Unknown" },
];

interface Props {
  draft: Draft;
  organisations: Organisation[];
  onChange: (patch: Partial<Draft>) => void;
}

export function PatientStep({ draft, organisations, onChange }: Props) {
  const p = draft.patient;
  const setPatient = (patch: Partial<Draft["patient"]>) => onChange({ patient: { ...p, ...patch } });
  const setCoverage = (patch: Partial<Draft["coverage"]>) => onChange({ coverage: { ...draft.coverage, ...patch } });
  return (
    <div data-testid="wizard-step-patient">
      <PatientSearch draft={draft} organisations={organisations} onChange={onChange} />
      <fieldset>
        <legend>Patient details</legend>
        <div className="grid">
          <TextInput
            label="Family name"
            required
            value={p.family}
            testId="patient-family"
            onChange={(v) => setPatient({ family: v })}
          />
          <TextInput
            label="Given names"
            required
            value={p.given}
            testId="patient-given"
            onChange={(v) => setPatient({ given: v })}
          />
          <DateField
            label="Date of birth"
            required
            value={p.birthDate}
            testId="patient-birth-date"
            onChange={(v) => setPatient({ birthDate: v })}
            kind="birth"
          />
          <SelectInput
            label="Gender"
            value={p.gender}
            choices={GENDERS}
            testId="patient-gender"
            onChange={(v) => setPatient({ gender: v as Gender })}
          />
          <TextInput label="MRN" required value={p.mrn} testId="patient-mrn" onChange={(v) => setPatient({ mrn: v })} />
          <TextInput
            label="Phone"
            type="tel"
            value={p.phone}
            testId="patient-phone"
            onChange={(v) => setPatient({ phone: v })}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Coverage</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.withCoverage}
            data-testid="coverage-toggle"
            onChange={(e) => onChange({ withCoverage: e.target.checked })}
          />
          Add coverage (insurance) for registering the patient
        </label>
        {draft.withCoverage && (
          <div className="grid">
            <TextInput
              label="Insurer"
              required
              value={draft.coverage.payor}
              testId="coverage-payor"
              onChange={(v) => setCoverage({ payor: v })}
            />
            <TextInput
              label="Subscriber ID"
              required
              value={draft.coverage.subscriberId}
              testId="coverage-subscriber-id"
              onChange={(v) => setCoverage({ subscriberId: v })}
            />
            <TextInput
              label="Plan name"
              value={draft.coverage.planName}
              testId="coverage-plan"
              onChange={(v) => setCoverage({ planName: v })}
            />
            <SelectInput
              label="Patient is the subscriber’s"
              value={draft.coverage.relationship}
              choices={RELATIONSHIPS}
              testId="coverage-relationship"
              onChange={(v) => setCoverage({ relationship: v })}
            />
          </div>
        )}
        {draft.withCoverage && (
          <CoverageAtOrganisations
            links={draft.links}
            organisations={organisations}
            coverage={draft.coverage.payor.trim() && draft.coverage.subscriberId.trim() ? toCoverage(draft) : null}
          />
        )}
      </fieldset>
      {draft.links.length > 0 && (
        <p className="muted" data-testid="patient-links">
          Known at:{" "}
          {draft.links
            .map((l) => organisations.find((o) => o.id === l.organisationId)?.name ?? l.organisationId)
            .join(", ")}
        </p>
      )}
    </div>
  );
}
