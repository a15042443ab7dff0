// A referral status as words and colour (the words carry the meaning; colour only helps).
import type { ReferralStatus } from "../ipc/bindings/ReferralStatus";

export const STATUS_LABELS: Record<ReferralStatus, string> = {
  draft: "Draft",
  searching: "Searching",
  held: "Held",
  booked: "Booked",
  cancelled: "Cancelled",
  rescheduled: "Rescheduled",
  failed: "Failed",
  needs_attention: "Needs attention",
  cancelled_by_organisation: "Cancelled by organisation",
};

export function StatusBadge({ status }: { status: ReferralStatus }) {
  return (
    <span className={`status status-${status}`} data-testid="status-badge" data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
