// The worklist's Queue tab: the home organisation's referral orders as this desk last saw them,
// by chip (all, unclaimed, mine, others', done, problems, each with its count), a Refresh that
// asks the home what changed, and one row per order (QueueRow). The first time the tab opens on
// a desk that never refreshed, it refreshes by itself so a new user sees the queue at once.
import { useEffect, useRef, useState } from "react";
import { ErrorBanner } from "../../components/ErrorBanner";
import { PlainButton } from "../../components/PlainButton";
import type { QueueCounts } from "../../ipc/bindings/QueueCounts";
import type { QueueItem } from "../../ipc/bindings/QueueItem";
import type { QueueView } from "../../ipc/bindings/QueueView";
import { formatDateTime } from "../../lib/time";
import { useSessionChoice } from "../../lib/useSessionChoice";
import { QueueRow } from "./QueueRow";
import { useQueue, useRefreshQueue } from "./queries";

const CHIPS: { view: QueueView; label: string }[] = [
  { view: "all", label: "All" },
  { view: "unclaimed", label: "Unclaimed" },
  { view: "mine", label: "Mine" },
  { view: "others", label: "Others’" },
  { view: "done", label: "Done" },
  { view: "problems", label: "Problems" },
];
const VIEWS = CHIPS.map((c) => c.view);

const EMPTY: Record<QueueView, string> = {
  all: "No orders from the home organisation yet.",
  unclaimed: "No order is waiting.",
  mine: "You are not working any order.",
  others: "No other desk is working an order.",
  done: "No order is done yet.",
  problems: "No order has a problem.",
};

/** The count beside a chip ("All" is the sum of the others). */
export function chipCount(counts: QueueCounts, view: QueueView): number {
  if (view === "all") return counts.unclaimed + counts.mine + counts.others + counts.done + counts.problems;
  return counts[view];
}

export function QueueTab() {
  const [view, setView] = useSessionChoice<QueueView>("queue.view", VIEWS, "all");
  const queue = useQueue(view);
  const refresh = useRefreshQueue();
  useFirstRefresh(queue.data?.lastRefreshed, queue.isSuccess, refresh.mutate);
  const counts = queue.data?.counts;
  return (
    <section aria-label="Orders from the home organisation" data-testid="queue" data-view={view}>
      <div className="queue-bar">
        {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form's fieldset */}
        <div className="chips" role="group" aria-label="Show orders">
          {CHIPS.map((c) => (
            <button
              key={c.view}
              type="button"
              className="chip"
              aria-pressed={view === c.view}
              data-testid={`queue-chip-${c.view}`}
              data-count={counts ? chipCount(counts, c.view) : undefined}
              onClick={() => setView(c.view)}
            >
              {c.label} {counts && <span className="chip-count">{chipCount(counts, c.view)}</span>}
            </button>
          ))}
        </div>
        <PlainButton data-testid="queue-refresh" isDisabled={refresh.isPending} onPress={() => refresh.mutate()}>
          {refresh.isPending ? "Refreshing…" : "Refresh"}
        </PlainButton>
        <span className="muted" data-testid="queue-refreshed">
          {queue.data?.lastRefreshed
            ? `Last asked the home organisation ${formatDateTime(queue.data.lastRefreshed)}`
            : refresh.isPending
              ? "Asking the home organisation…"
              : ""}
        </span>
      </div>
      <ErrorBanner error={refresh.error ?? queue.error} testId="queue-error" />
      {queue.data && <QueueTable items={queue.data.items} empty={EMPTY[view]} />}
    </section>
  );
}

/** Refreshes once when the desk has never asked the home organisation. */
function useFirstRefresh(lastRefreshed: string | null | undefined, loaded: boolean, run: () => void) {
  const done = useRef(false);
  useEffect(() => {
    if (!loaded || done.current || lastRefreshed) return;
    done.current = true;
    run();
  }, [loaded, lastRefreshed, run]);
}

/** Rows drawn at first, and added by "Show more": a home may hold thousands of open orders. */
export const PAGE_ROWS = 200;

function QueueTable({ items, empty }: { items: QueueItem[]; empty: string }) {
  const [shown, setShown] = useState(PAGE_ROWS);
  if (items.length === 0)
    return (
      <p className="empty" data-testid="queue-empty">
        {empty}
      </p>
    );
  return (
    <>
      <QueueRows items={items.slice(0, shown)} />
      {items.length > shown && (
        <p className="count">
          Showing {shown} of {items.length} orders.{" "}
          <PlainButton data-testid="queue-more" onPress={() => setShown((n) => n + PAGE_ROWS)}>
            Show more
          </PlainButton>
        </p>
      )}
    </>
  );
}

function QueueRows({ items }: { items: QueueItem[] }) {
  return (
    <table className="worklist queue">
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">What</th>
          <th scope="col">Priority</th>
          <th scope="col">Due by</th>
          <th scope="col">Requested by</th>
          <th scope="col">Worked by</th>
          <th scope="col">
            <span className="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <QueueRow key={item.orderId} item={item} />
        ))}
      </tbody>
    </table>
  );
}
