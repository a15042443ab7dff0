// One order of the home organisation's queue: who it is for, what is asked, how urgent and by
// when, who asked; then who works it (with the claim's countdown) or how it ended; and "Work this
// order", which asks for what the order lacks, starts the referral and opens it to find a time.
// A failure (another desk got there first, the order was withdrawn) is told on this row only.
import { useState } from "react";
import { Countdown } from "../../components/Countdown";
import { DueBy } from "../../components/DueBy";
import { ErrorBanner } from "../../components/ErrorBanner";
import { PlainButton } from "../../components/PlainButton";
import type { OrderFill } from "../../ipc/bindings/OrderFill";
import type { OrderPriority } from "../../ipc/bindings/OrderPriority";
import type { QueueItem } from "../../ipc/bindings/QueueItem";
import { hrefFor, navigate } from "../../lib/route";
import { formatDate, isoDateFromToday } from "../../lib/time";
import { MISSING_LABELS, NO_FILL } from "./missing";
import { useReleaseOrder, useStartOrder } from "./queries";
import { WorkOrderForm } from "./WorkOrderForm";

export const COLUMNS = 7;

export const PRIORITY_LABELS: Record<OrderPriority, string> = {
  routine: "Routine",
  urgent: "Urgent",
  asap: "As soon as possible",
  stat: "Immediately",
};

const LEASE_WORDS = { running: "claimed for", ended: "claim ended" };

/** The claim has run out: another desk may take the order over. */
export function leaseEnded(item: QueueItem, nowMs: number = Date.now()): boolean {
  return item.leaseEnd !== undefined && Date.parse(item.leaseEnd) <= nowMs;
}

export function QueueRow({ item }: { item: QueueItem }) {
  const start = useStartOrder();
  const release = useReleaseOrder();
  const [asking, setAsking] = useState(false);
  const begin = (fill: OrderFill) =>
    start.mutate(
      { orderId: item.orderId, fill },
      { onSuccess: (started) => navigate({ screen: "referral", id: started.referralId }) },
    );
  const work = () => {
    start.reset();
    release.reset();
    if (item.missing.length > 0) setAsking(true);
    else begin(NO_FILL);
  };
  const error = start.error ?? release.error;
  const overdue = item.dueBy !== undefined && item.view !== "done" && item.dueBy < isoDateFromToday(0);
  return (
    <>
      <tr data-testid="queue-row" data-order-id={item.orderId} data-view={item.view}>
        <td>
          <strong data-testid="queue-patient">{item.patientName}</strong>
          <PatientLine item={item} />
        </td>
        <td>
          {item.what}
          {item.reason && <div className="muted">{item.reason}</div>}
        </td>
        <td data-priority={item.priority}>{PRIORITY_LABELS[item.priority]}</td>
        <td className="nowrap">
          <DueBy dueBy={item.dueBy} overdue={overdue} />
        </td>
        <td>{item.requester ?? "—"}</td>
        <td data-testid="queue-state">
          <StateCell item={item} />
        </td>
        <td>
          <Actions
            item={item}
            busy={start.isPending || release.isPending}
            onWork={work}
            onRelease={() => release.mutate(item.orderId)}
          />
        </td>
      </tr>
      {(asking || error) && (
        <tr className="queue-row-detail" data-testid="queue-row-detail" data-order-id={item.orderId}>
          <td colSpan={COLUMNS}>
            <ErrorBanner error={error} testId="queue-row-error" />
            {asking && (
              <WorkOrderForm
                orderId={item.orderId}
                missing={item.missing}
                busy={start.isPending}
                onStart={begin}
                onCancel={() => setAsking(false)}
              />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function PatientLine({ item }: { item: QueueItem }) {
  const parts = [item.birthDate && `Born ${formatDate(item.birthDate)}`, item.mrn && `MRN ${item.mrn}`].filter(Boolean);
  return parts.length > 0 ? <div className="muted">{parts.join(" · ")}</div> : null;
}

function StateCell({ item }: { item: QueueItem }) {
  switch (item.view) {
    case "done":
      return (
        <>
          <strong className="queue-done">Done</strong>
          {item.outcome && <div className="muted">{item.outcome}</div>}
        </>
      );
    case "problem":
      return <span className="queue-problem">{item.problem ?? "This order cannot be worked."}</span>;
    case "mine":
    case "others":
      return (
        <>
          {item.view === "mine" ? "You" : (item.owner ?? "Another desk")}
          {item.leaseEnd && (
            <div>
              <Countdown expiresAt={item.leaseEnd} testId="queue-lease" words={LEASE_WORDS} />
            </div>
          )}
          {item.outcome && <div className="muted">{item.outcome}</div>}
        </>
      );
    default:
      return <span className="muted">{item.outcome ?? "Waiting"}</span>;
  }
}

interface ActionsProps {
  item: QueueItem;
  busy: boolean;
  onWork: () => void;
  onRelease: () => void;
}

function Actions({ item, busy, onWork, onRelease }: ActionsProps) {
  if (item.referralId && (item.view === "mine" || item.view === "done")) {
    return (
      <a href={hrefFor({ screen: "referral", id: item.referralId })} data-testid="queue-open-referral">
        Open referral
      </a>
    );
  }
  const workable = item.view === "unclaimed" || item.view === "mine" || (item.view === "others" && leaseEnded(item));
  if (!workable) return null;
  return (
    <div className="actions">
      <PlainButton className="primary" data-testid="queue-work" isDisabled={busy} onPress={onWork}>
        {busy ? "Starting…" : item.view === "others" ? "Take over this order" : "Work this order"}
      </PlainButton>
      {item.view === "mine" && (
        <PlainButton data-testid="queue-release" isDisabled={busy} onPress={onRelease}>
          Give back
        </PlainButton>
      )}
      {item.missing.length > 0 && (
        <div className="muted" data-testid="queue-missing">
          The order does not say: {item.missing.map((m) => MISSING_LABELS[m]).join(", ")}.
        </div>
      )}
    </div>
  );
}
