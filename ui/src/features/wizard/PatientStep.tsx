// Wizard step 1: the patient. Search at an organisation (a match fills the form and records the
// patient's id there), or enter a new patient with coverage and optionally register them.
import { useState } from "react";
import { Button } from "react-aria-components";
import { DateField } from "../../components/DateField";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput, TextInput } from "../../components/Field";
import type { Gender } from "../../ipc/bindings/Gender";
import type { Organisation } from "../../ipc/bindings/Organisation";
import type { PatientMatch } from "../../ipc/bindings/PatientMatch";
import { formatDate } from "../../lib/time";
import { type Draft, patientProblems, splitName, toCoverage, toPatientDetails } from "./draft";
import { useRegisterPatient, useSearchPatients } from "./queries";

const GENDERS: { value: Gender; label: string }[] = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "other", label: "Other" },
  { value: "unknown", label: "Unknown" },
];
const RELATIONSHIPS = [
  { value: "self", label: "Self" },
  { value: "spouse", label: "Spouse" },
  { value: "child", label: "Child" },
  { value: "other", label: "Other" },
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

function PatientSearch({ draft, organisations, onChange }: Props) {
  const [orgId, setOrgId] = useState(organisations[0]?.id ?? "");
  const [family, setFamily] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [identifier, setIdentifier] = useState("");
  const search = useSearchPatients();
  const register = useRegisterPatient();
  const addLink = (patientId: string) => [
    ...draft.links.filter((l) => l.organisationId !== orgId),
    { organisationId: orgId, patientId },
  ];

  const pickMatch = (m: PatientMatch) => {
    const { given, family: fam } = splitName(m.name);
    onChange({
      links: addLink(m.patientId),
      patient: {
        ...draft.patient,
        family: fam,
        given,
        birthDate: m.birthDate ?? draft.patient.birthDate,
        gender: m.gender ?? draft.patient.gender,
      },
    });
  };
  const doRegister = () =>
    register.mutate(
      { organisationId: orgId, patient: toPatientDetails(draft.patient), coverage: toCoverage(draft) },
      { onSuccess: (r) => onChange({ links: addLink(r.patientId) }) },
    );

  return (
    <fieldset className="patient-search">
      <legend>Find the patient at an organisation</legend>
      <div className="grid">
        <SelectInput
          label="Organisation"
          value={orgId}
          testId="patient-search-org"
          choices={organisations.map((o) => ({ value: o.id, label: o.name }))}
          onChange={setOrgId}
        />
        <TextInput label="Family name" value={family} testId="patient-search-family" onChange={setFamily} />
        <DateField
          label="Date of birth"
          value={birthDate}
          testId="patient-search-birth-date"
          onChange={setBirthDate}
          kind="birth"
        />
        <TextInput
          label="Identifier (MRN)"
          value={identifier}
          testId="patient-search-identifier"
          onChange={setIdentifier}
        />
      </div>
      <div className="actions">
        <Button
          data-testid="patient-search-button"
          isDisabled={!orgId || search.isPending || !(family || birthDate || identifier)}
          onPress={() =>
            search.mutate({
              organisationId: orgId,
              family: family || null,
              given: null,
              birthDate: birthDate || null,
              identifier: identifier || null,
            })
          }
        >
          {search.isPending ? "Searching…" : "Search"}
        </Button>
        <Button
          data-testid="patient-register-button"
          isDisabled={!orgId || register.isPending || patientProblems(draft).length > 0}
          onPress={doRegister}
        >
          {register.isPending ? "Registering…" : "Register new patient there"}
        </Button>
      </div>
      <ErrorBanner error={search.error ?? register.error} />
      {register.data && (
        <p role="status" data-testid="patient-registered">
          Registered (id {register.data.patientId}).
        </p>
      )}
      {search.data &&
        (search.data.patients.length === 0 ? (
          <p data-testid="patient-no-match">No patient found there. Enter the details below to register them.</p>
        ) : (
          <ul className="matches">
            {search.data.patients.map((m) => (
              <li key={m.patientId} data-testid="patient-match" data-patient-id={m.patientId}>
                <span>
                  {m.name}, born {formatDate(m.birthDate)} {m.identifiers.length > 0 && `(${m.identifiers.join(", ")})`}
                </span>
                <Button onPress={() => pickMatch(m)}>Use this patient</Button>
              </li>
            ))}
          </ul>
        ))}
    </fieldset>
  );
}
