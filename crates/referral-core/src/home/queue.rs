//! The desk's copy of the home queue: refresh from the home and the listing by view.

use referral_model::{QueueItem, QueueRefresh, QueueView};

use crate::app::App;
use crate::error::{CoreError, CoreResult};

impl App {
    /// Reads what changed at home into the local queue (the first time: every open order, page
    /// by page). A bad order is stored with its problem and never stops the rest.
    pub async fn refresh_queue(&self) -> CoreResult<QueueRefresh> {
        Err(CoreError::HomeNotSet)
    }

    /// The local queue, filtered by `view`; no request to the home.
    pub async fn queue(&self, view: QueueView) -> CoreResult<Vec<QueueItem>> {
        let _ = view;
        Err(CoreError::HomeNotSet)
    }
}
