//! What can go wrong working the home queue, as data: the claim conflict the desk shows as
//! "being worked by …", and everything else from the organisation client.

use fhir_model::r4;
use thiserror::Error;

use crate::error::ClientError;

/// An error from the home queue client.
#[derive(Debug, Error)]
pub enum HomeError {
    /// Someone else holds (or changed) the claim on this order. `owner` is who, as the home
    /// shows them ("Ann Lee at desk 2"), `lease_end` until when; `task` is the claim as it is now.
    #[error("this order is being worked by {}{}", owner.as_deref().unwrap_or("another desk"), until(lease_end))]
    ClaimConflict {
        order_id: String,
        owner: Option<String>,
        lease_end: Option<String>,
        task: Box<r4::Task>,
    },
    /// The claim was finished (booked, failed, cancelled) and can no longer be taken.
    #[error("this order was already finished at home ({status})")]
    ClaimFinished {
        order_id: String,
        status: String,
        task: Box<r4::Task>,
    },
    /// A Task or order to update has no id or version from the home (it was never read there).
    #[error("the claim has not been read from the home yet")]
    NotFromHome,
    /// The home answered with something other than the resource asked for.
    #[error("the home sent an unexpected answer to {what}: {reason}")]
    Unexpected { what: &'static str, reason: String },
    /// Any other failure talking to the home.
    #[error(transparent)]
    Client(#[from] ClientError),
}

fn until(lease_end: &Option<String>) -> String {
    lease_end
        .as_deref()
        .map(|end| format!(" until {end}"))
        .unwrap_or_default()
}

impl HomeError {
    /// Whether another desk holds or changed the claim.
    pub fn is_claim_conflict(&self) -> bool {
        matches!(self, Self::ClaimConflict { .. })
    }

    pub(crate) fn unexpected(what: &'static str, reason: impl Into<String>) -> Self {
        Self::Unexpected {
            what,
            reason: reason.into(),
        }
    }
}
