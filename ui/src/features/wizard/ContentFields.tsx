// The referral's content on the service step: the reason (coded from the pick-list, and in
// words), when it is due, and a note for the organisation.
import { CodePicker } from "../../components/CodePicker";
import { DateField } from "../../components/DateField";
import { TextArea } from "../../components/Field";
import type { CodeOption } from "../../ipc/bindings/CodeOption";
import { isoDateFromToday } from "../../lib/time";
import type { Draft } from "./draft";
import { type FieldProblems, NOTE_MAX } from "./serviceChecks";

interface Props {
  draft: Draft;
  problems: FieldProblems;
  onChange: (p: Partial<Draft>) => void;
}

export function ReasonFields({ draft, problems, onChange, reasons }: Props & { reasons: readonly CodeOption[] }) {
  return (
    <div className="reason-row">
      <CodePicker
        label="Reason for referral"
        options={reasons}
        value={draft.reasonCode}
        query={draft.reasonQuery}
        testId="service-reason-code"
        problem={problems.reasonCode}
        onChange={(reasonCode, reasonQuery) => onChange({ reasonCode, reasonQuery })}
      />
      <TextArea
        label="Reason in your words"
        value={draft.reason}
        testId="service-reason"
        problem={problems.reason}
        hint="Sent with the coded reason; needed when no reason is chosen from the list."
        onChange={(reason) => onChange({ reason })}
      />
    </div>
  );
}

/** Days offered as quick picks; the desk's follow-up days come first. */
function quickDays(followUpDays: number | null): number[] {
  const days = [followUpDays ?? 7, 14, 30].filter((n) => n > 0);
  return [...new Set(days)].sort((a, b) => a - b);
}

export function DueByField({ draft, problems, onChange, followUpDays }: Props & { followUpDays: number | null }) {
  return (
    <div className="due-by">
      <DateField
        label="Due by (optional)"
        value={draft.dueBy}
        testId="service-due-by"
        onChange={(dueBy) => onChange({ dueBy })}
      />
      <div className="quick-picks">
        <span className="muted">Quick picks:</span>
        {quickDays(followUpDays).map((n) => (
          <button
            key={n}
            type="button"
            data-testid={`due-by-plus-${n}`}
            onClick={() => onChange({ dueBy: isoDateFromToday(n) })}
          >
            In {n} days{n === followUpDays ? " (follow-up)" : ""}
          </button>
        ))}
        {draft.dueBy && (
          <button type="button" data-testid="due-by-clear" onClick={() => onChange({ dueBy: "" })}>
            No due date
          </button>
        )}
      </div>
      {problems.dueBy && (
        <small className="field__problem" aria-live="polite" data-testid="service-due-by-problem">
          {problems.dueBy}
        </small>
      )}
    </div>
  );
}

export function NoteField({ draft, problems, onChange }: Props) {
  return (
    <TextArea
      label="Note for the organisation (optional)"
      value={draft.note}
      testId="service-note"
      problem={problems.note}
      hint={`${draft.note.length} of ${NOTE_MAX} characters`}
      onChange={(note) => onChange({ note })}
    />
  );
}
