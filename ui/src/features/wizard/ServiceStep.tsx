// Wizard steps 2–4: the service (specialty, visit type, priority, reason, due date, referring
// clinician, note), the organisations to ask, and the date window.
import { DateField } from "../../components/DateField";
import { SelectInput } from "../../components/Field";
import { ReferrerFields } from "../../components/ReferrerFields";
import type { CodeOption } from "../../ipc/bindings/CodeOption";
import type { CodeTables } from "../../ipc/bindings/CodeTables";
import type { Organisation } from "../../ipc/bindings/Organisation";
import { DueByField, NoteField, ReasonFields } from "./ContentFields";
import type { Draft } from "./draft";
import type { FieldProblems } from "./serviceChecks";

const choices = (list: readonly CodeOption[]) => list.map((c) => ({ value: c.code, label: c.display }));

export function ServiceStep({
  draft,
  codes,
  problems,
  followUpDays,
  onChange,
}: {
  draft: Draft;
  codes: CodeTables;
  /** Problems by field: the step's own checks and a field the backend refused. */
  problems: FieldProblems;
  /** The desk's default days until a discharge follow-up is due. */
  followUpDays: number | null;
  onChange: (p: Partial<Draft>) => void;
}) {
  const fields = { draft, problems, onChange };
  return (
    <div data-testid="wizard-step-service">
      <div className="grid">
        <SelectInput
          label="Specialty"
          value={draft.specialty}
          placeholder="Any specialty"
          choices={choices(codes.specialties)}
          testId="service-specialty"
          problem={problems.specialty}
          onChange={(v) => onChange({ specialty: v })}
        />
        <SelectInput
          label="Visit type"
          value={draft.visitType}
          placeholder="Any visit type"
          choices={choices(codes.visitTypes)}
          testId="service-visit-type"
          onChange={(v) => onChange({ visitType: v })}
        />
        <SelectInput
          label="Priority"
          value={draft.priority}
          choices={choices(codes.priorities)}
          testId="service-priority"
          onChange={(v) => onChange({ priority: v })}
        />
      </div>
      <ReasonFields {...fields} reasons={codes.referralReasons} />
      <DueByField {...fields} followUpDays={followUpDays} />
      <ReferrerFields
        legend="Referring clinician"
        hint="Filled in from Settings. Changes here apply to this referral only."
        value={draft.referrer}
        testIdPrefix="service-referrer"
        problems={{ name: problems.referrerName, npi: problems.referrerNpi, phone: problems.referrerPhone }}
        onChange={(referrer) => onChange({ referrer })}
      />
      <NoteField {...fields} />
    </div>
  );
}

export function OrganisationsStep({
  draft,
  organisations,
  onChange,
}: {
  draft: Draft;
  organisations: Organisation[];
  onChange: (p: Partial<Draft>) => void;
}) {
  const toggle = (id: string, on: boolean) =>
    onChange({ organisationIds: on ? [...draft.organisationIds, id] : draft.organisationIds.filter((x) => x !== id) });
  return (
    <fieldset data-testid="wizard-step-organisations">
      <legend>Ask these organisations (all at once)</legend>
      {organisations.length === 0 && <p>No organisation is enabled. Add one in Settings.</p>}
      {organisations.map((o) => (
        <label key={o.id} className="check">
          <input
            type="checkbox"
            checked={draft.organisationIds.includes(o.id)}
            data-testid={`org-checkbox-${o.id}`}
            data-organisation-id={o.id}
            onChange={(e) => toggle(o.id, e.target.checked)}
          />
          {o.name} {o.sandbox && <span className="muted">(sandbox)</span>}
          {o.lastCheck && !o.lastCheck.holdSupported && <span className="muted"> — books without holding</span>}
        </label>
      ))}
    </fieldset>
  );
}

export function DatesStep({ draft, onChange }: { draft: Draft; onChange: (p: Partial<Draft>) => void }) {
  return (
    <div data-testid="wizard-step-dates" className="grid">
      <DateField
        label="Earliest date"
        required
        value={draft.start}
        testId="window-start"
        onChange={(v) => onChange({ start: v })}
      />
      <DateField
        label="Latest date"
        required
        value={draft.end}
        testId="window-end"
        onChange={(v) => onChange({ end: v })}
      />
    </div>
  );
}
