// A referral's due date, flagged in words (not colour alone) when it has passed unbooked.
import { formatDate } from "../lib/time";

export function DueBy({ dueBy, overdue }: { dueBy: string | undefined; overdue: boolean }) {
  if (!dueBy) return <span className="muted">—</span>;
  return (
    <>
      {formatDate(dueBy)}{" "}
      {overdue && (
        <strong className="overdue" data-testid="overdue-flag">
          Overdue
        </strong>
      )}
    </>
  );
}
