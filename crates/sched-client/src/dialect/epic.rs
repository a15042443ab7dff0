//! Epic's STU3 scheduling variant: `$find` with `startTime`/`endTime`/`service-type`, `$book`
//! with `patient`/`appointment`/`appointmentNote`, no hold; cancel as Argonaut.
//!
//! Not built yet: find and book report themselves unsupported.

use fhir_model::{BookParams, FindParams};

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::avail::Availability;
use crate::ops::write::Window;
use crate::org::OrgClient;
use crate::outcome::BookedAppointment;

fn unsupported<T>(interaction: Interaction) -> Result<T, ClientError> {
    Err(ClientError::Unsupported { interaction })
}

pub(crate) async fn find(
    _client: &OrgClient,
    _params: &FindParams,
) -> Result<Availability, ClientError> {
    unsupported(Interaction::FindAppointments)
}

pub(crate) async fn book(
    _client: &OrgClient,
    _params: &BookParams,
    _window: Option<&Window>,
) -> Result<BookedAppointment, ClientError> {
    unsupported(Interaction::BookAppointment)
}
