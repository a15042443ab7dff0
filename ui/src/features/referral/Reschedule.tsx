// Reschedule: search the referral's organisation(s) for another time and move the booking
// (the core runs it as a journaled saga and says exactly what is true afterwards).
import { useState } from "react";
import { Button } from "react-aria-components";
import { DateField } from "../../components/DateField";
import { ErrorBanner } from "../../components/ErrorBanner";
import type { ReferralDetail } from "../../ipc/bindings/ReferralDetail";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { isoDateFromToday } from "../../lib/time";
import { FindResults } from "../wizard/FindResults";
import { useFindSlots } from "../wizard/queries";
import { useRescheduleReferral } from "./queries";

export function Reschedule({ detail, onDone }: { detail: ReferralDetail; onDone: () => void }) {
  const s = detail.summary;
  const [start, setStart] = useState(isoDateFromToday(1));
  const [end, setEnd] = useState(isoDateFromToday(29));
  const find = useFindSlots();
  const move = useRescheduleReferral();
  const orgs = s.organisationId ? [{ id: s.organisationId, name: s.organisationName ?? s.organisationId }] : [];
  const run = () =>
    void find.run({ referralId: s.id, organisationIds: orgs.map((o) => o.id), window: { start, end } }, orgs);
  const choose = (o: SlotOption) => move.mutate({ referralId: s.id, optionId: o.optionId, comment: null });
  return (
    <section className="reschedule" aria-label="Reschedule" data-testid="reschedule">
      <h2>Reschedule</h2>
      <div className="grid">
        <DateField label="Earliest date" value={start} testId="reschedule-start" onChange={setStart} />
        <DateField label="Latest date" value={end} testId="reschedule-end" onChange={setEnd} />
      </div>
      <div className="actions">
        <Button data-testid="reschedule-find" isDisabled={find.running} onPress={run}>
          Find times
        </Button>
        <Button onPress={onDone}>Close</Button>
      </div>
      <ErrorBanner error={find.error ?? move.error} />
      {move.data && (
        <p role="status" data-testid="reschedule-result" data-state={move.data.state}>
          {move.data.message}
        </p>
      )}
      {find.search.orgs.length > 0 && !move.data && (
        <FindResults
          search={find.search}
          actionLabel="Move here"
          busyOptionId={move.isPending ? (move.variables?.optionId ?? null) : null}
          onChoose={choose}
        />
      )}
    </section>
  );
}
