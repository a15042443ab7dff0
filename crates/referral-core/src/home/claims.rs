//! Claiming, releasing and starting an order: the claim Task at home, written through the
//! outbox.

use referral_model::{OrderFill, QueueItem, StartedOrder};

use crate::app::App;
use crate::error::{CoreError, CoreResult};

impl App {
    /// Claims `order_id` at home for this desk (or takes over an ended lease).
    pub async fn claim_order(&self, order_id: &str) -> CoreResult<QueueItem> {
        let _ = order_id;
        Err(CoreError::HomeNotSet)
    }

    /// Gives this desk's claim back to the queue (only before booking).
    pub async fn release_order(&self, order_id: &str) -> CoreResult<QueueItem> {
        let _ = order_id;
        Err(CoreError::HomeNotSet)
    }

    /// Starts the referral for `order_id` (claiming it first if needed), with `fill` for what
    /// the order lacks. Starting twice returns the same referral.
    pub async fn start_order(&self, order_id: &str, fill: OrderFill) -> CoreResult<StartedOrder> {
        let _ = (order_id, fill);
        Err(CoreError::HomeNotSet)
    }
}
