//! Resuming a referral that stopped half-way from its detail: a draft, searching or failed
//! referral searches again with the inputs it was created with (its organisations and date
//! window; a new window only when the user gives one, e.g. after the first has passed).

use referral_store::{DateWindow, ReferralId, ReferralStatus};

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::workflow::find::{FindFilter, FindOutcome, ProgressFn};

impl App {
    /// Searches again for a referral that has no time yet, with its stored organisations and
    /// window (or `window` when given). A referral in another state is refused with what to
    /// do instead.
    pub async fn resume_search(
        &self,
        id: ReferralId,
        window: Option<DateWindow>,
        progress: ProgressFn<'_>,
    ) -> CoreResult<FindOutcome> {
        let referral = self.referral(id).await?;
        let instead = match referral.status {
            ReferralStatus::Draft | ReferralStatus::Searching | ReferralStatus::Failed => None,
            ReferralStatus::Held => Some("a time is held for it: book it or release it"),
            ReferralStatus::NeedsAttention => {
                Some("it needs attention: re-check it at the organisation and settle it first")
            }
            ReferralStatus::Booked | ReferralStatus::Rescheduled => {
                Some("it is booked: reschedule it to move the appointment")
            }
            ReferralStatus::Cancelled | ReferralStatus::CancelledByOrganisation => {
                Some("it is cancelled: start a new referral")
            }
        };
        if let Some(what) = instead {
            return Err(CoreError::Conflict {
                what: format!("this referral cannot search again, {what}"),
            });
        }
        if let Some(w) = window
            && w.start > w.end
        {
            return Err(CoreError::invalid("window", "the start is after the end"));
        }
        self.find_slots_filtered(id, Vec::new(), window, &FindFilter::default(), progress)
            .await
    }
}
