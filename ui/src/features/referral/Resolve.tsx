// The guided resolution of a referral that needs attention: what Referral Desk knows (why it was
// flagged, the last events), a re-check at the organisation (read-back), and a settlement with a
// note. The core re-checks again when settling and refuses a choice the organisation contradicts.
import { useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput, TextArea } from "../../components/Field";
import type { ReferralDetail } from "../../ipc/bindings/ReferralDetail";
import type { SettleOutcome } from "../../ipc/bindings/SettleOutcome";
import { formatDateTime } from "../../lib/time";
import { useRecheckReferral, useSettleReferral } from "./queries";

const OUTCOMES: { value: SettleOutcome; label: string }[] = [
  { value: "booked_as_found", label: "Booked, as the organisation has it" },
  { value: "not_booked", label: "Not booked: search again" },
  { value: "cancelled", label: "Cancelled: close the referral" },
];

export function Resolve({ detail }: { detail: ReferralDetail }) {
  const s = detail.summary;
  const recheck = useRecheckReferral();
  const settle = useSettleReferral();
  const [outcome, setOutcome] = useState<SettleOutcome | "">("");
  const [note, setNote] = useState("");
  const found = recheck.data;
  const check = () =>
    recheck.mutate(s.id, {
      onSuccess: (r) => {
        if (r.suggested) setOutcome(r.suggested);
      },
    });
  const submit = () => {
    if (outcome) settle.mutate({ referralId: s.id, outcome, note });
  };
  const recent = detail.events.slice(-3);
  return (
    <section className="resolve no-print" aria-labelledby="resolve-title" data-testid="resolve">
      <h2 id="resolve-title">Needs attention</h2>
      <p data-testid="resolve-known">
        {detail.statusNote
          ? asSentence(detail.statusNote)
          : "Referral Desk could not tell what happened at the organisation."}
      </p>
      {recent.length > 0 && (
        <ul className="muted" aria-label="Last events">
          {recent.map((e) => (
            <li key={`${e.at}-${e.action}`}>
              {formatDateTime(e.at)} · {e.action} · {e.outcome}: {e.detail}
            </li>
          ))}
        </ul>
      )}
      <Button data-testid="recheck-button" isDisabled={recheck.isPending} onPress={check}>
        {recheck.isPending ? "Checking…" : "Check at the organisation"}
      </Button>
      <ErrorBanner error={recheck.error} testId="recheck-error" actions={{ retry: check }} />
      {found && (
        <div role="status" data-testid="recheck-result" data-finding={found.finding}>
          <p>{found.message}</p>
          {found.appointment?.start && (
            <p className="muted">
              {formatDateTime(found.appointment.start)}
              {found.appointment.practitioner && ` with ${found.appointment.practitioner}`}
              {found.appointment.location && `, ${found.appointment.location}`}
            </p>
          )}
        </div>
      )}
      <SelectInput
        label="What is true"
        required
        value={outcome}
        placeholder="Choose"
        testId="settle-outcome"
        choices={OUTCOMES}
        onChange={(v) => setOutcome(v as SettleOutcome | "")}
      />
      <TextArea
        label="Note: what you found or were told"
        required
        value={note}
        testId="settle-note"
        onChange={setNote}
      />
      <ErrorBanner error={settle.error} testId="settle-error" />
      <Button
        className="primary"
        data-testid="settle-button"
        isDisabled={!outcome || settle.isPending}
        onPress={submit}
      >
        {settle.isPending ? "Settling…" : "Settle"}
      </Button>
    </section>
  );
}

/** The core's note (a clause) as a sentence. */
function asSentence(text: string): string {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
