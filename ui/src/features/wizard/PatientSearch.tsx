// The patient step's look-up at one organisation: a search (family, given name, birth date,
// identifier), or `$match` with the details entered below, whose candidates come with their
// grade (certain / probable / possible) for the user to choose one or register the patient new.
// When the organisation answers a registration with a record it already had, the user is told.
import { useState } from "react";
import { Button } from "react-aria-components";
import { DateField } from "../../components/DateField";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput, TextInput } from "../../components/Field";
import type { Organisation } from "../../ipc/bindings/Organisation";
import type { PatientMatch } from "../../ipc/bindings/PatientMatch";
import { formatDate } from "../../lib/time";
import { type Draft, patientProblems, splitName, toCoverage, toPatientDetails } from "./draft";
import { describeGrade, gradeOf } from "./matchGrade";
import { useMatchPatients, useRegisterPatient, useSearchPatients } from "./queries";

interface Props {
  draft: Draft;
  organisations: Organisation[];
  onChange: (patch: Partial<Draft>) => void;
}

export function PatientSearch({ draft, organisations, onChange }: Props) {
  const [orgId, setOrgId] = useState(organisations[0]?.id ?? "");
  const [family, setFamily] = useState("");
  const [given, setGiven] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [identifier, setIdentifier] = useState("");
  const search = useSearchPatients();
  const match = useMatchPatients();
  const register = useRegisterPatient();
  const detailsReady = patientProblems(draft).length === 0;
  const addLink = (patientId: string) => [
    ...draft.links.filter((l) => l.organisationId !== orgId),
    { organisationId: orgId, patientId },
  ];

  const pickMatch = (m: PatientMatch) => {
    const { given: g, family: fam } = splitName(m.name);
    onChange({
      links: addLink(m.patientId),
      patient: {
        ...draft.patient,
        family: fam,
        given: g,
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
  const doSearch = () => {
    match.reset();
    search.mutate({
      organisationId: orgId,
      family: family.trim() || null,
      given: given.trim() || null,
      birthDate: birthDate || null,
      identifier: identifier.trim() || null,
    });
  };
  const doMatch = () => {
    search.reset();
    match.mutate({ organisationId: orgId, patient: toPatientDetails(draft.patient) });
  };
  const found = match.data ?? search.data;

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
        <TextInput label="Given name" value={given} testId="patient-search-given" onChange={setGiven} />
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
          isDisabled={!orgId || search.isPending || !(family.trim() || given.trim() || birthDate || identifier.trim())}
          onPress={doSearch}
        >
          {search.isPending ? "Searching…" : "Search"}
        </Button>
        <Button
          data-testid="patient-match-button"
          isDisabled={!orgId || match.isPending || !detailsReady}
          onPress={doMatch}
        >
          {match.isPending ? "Matching…" : "Match with the details below"}
        </Button>
        <Button
          data-testid="patient-register-button"
          isDisabled={!orgId || register.isPending || !detailsReady}
          onPress={doRegister}
        >
          {register.isPending ? "Registering…" : "Register new patient there"}
        </Button>
      </div>
      <ErrorBanner error={search.error ?? match.error ?? register.error} />
      {register.data && (
        <Registered
          notice={register.data.notice ?? `Registered there (id ${register.data.patientId}).`}
          problem={register.data.coverageProblem}
        />
      )}
      {found &&
        (found.patients.length === 0 ? (
          <p data-testid="patient-no-match">No patient found there. Enter the details below to register them.</p>
        ) : (
          <ul className="matches" aria-label="Patients found">
            {found.patients.map((m) => (
              <li
                key={m.patientId}
                data-testid="patient-match"
                data-patient-id={m.patientId}
                data-grade={gradeOf(m) ?? ""}
              >
                <span>
                  {m.name}, born {formatDate(m.birthDate)} {m.identifiers.length > 0 && `(${m.identifiers.join(", ")})`}
                </span>
                {match.data && (
                  <span className={`grade grade-${gradeOf(m) ?? "none"}`} data-testid="patient-match-grade">
                    {describeGrade(m)}
                  </span>
                )}
                <Button onPress={() => pickMatch(m)}>Use this patient</Button>
              </li>
            ))}
          </ul>
        ))}
      {match.data && match.data.patients.length > 0 && (
        <p className="muted">None of these is the patient? Use “Register new patient there”.</p>
      )}
    </fieldset>
  );
}

function Registered({ notice, problem }: { notice: string; problem?: unknown }) {
  return (
    <>
      <p role="status" data-testid="patient-registered">
        {notice}
      </p>
      {problem ? <ErrorBanner error={problem} testId="patient-coverage-problem" /> : null}
    </>
  );
}
