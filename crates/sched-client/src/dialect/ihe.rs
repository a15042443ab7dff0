//! IHE ITI Scheduling (R4): ITI-115 `$find` (POST only), ITI-116 `$hold`, ITI-117 `$book` (also cancel and modify), ITI-118 search.
//!
//! Not built yet: every interaction reports itself unsupported, so an organisation detected as
//! this dialect is told so plainly instead of being sent Argonaut requests.

use fhir_model::{Appointment, BookParams, CodeableConcept, FindParams, HoldParams};

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::avail::Availability;
use crate::ops::write::Window;
use crate::org::OrgClient;
use crate::outcome::{AppointmentState, BookedAppointment, HeldAppointment};

fn unsupported<T>(interaction: Interaction) -> Result<T, ClientError> {
    Err(ClientError::Unsupported { interaction })
}

pub(crate) async fn find(
    _client: &OrgClient,
    _params: &FindParams,
) -> Result<Availability, ClientError> {
    unsupported(Interaction::FindAppointments)
}

pub(crate) async fn hold(
    _client: &OrgClient,
    _params: &HoldParams,
) -> Result<HeldAppointment, ClientError> {
    unsupported(Interaction::HoldAppointment)
}

pub(crate) async fn book(
    _client: &OrgClient,
    _params: &BookParams,
    _window: Option<&Window>,
) -> Result<BookedAppointment, ClientError> {
    unsupported(Interaction::BookAppointment)
}

pub(crate) async fn cancel(
    _client: &OrgClient,
    _current: &Appointment,
    _reason: Option<&CodeableConcept>,
) -> Result<AppointmentState, ClientError> {
    unsupported(Interaction::CancelAppointment)
}

/// Whether the statement declares the IHE ITI Scheduling `$find` (by its canonical).
pub(crate) fn declares_ihe(caps: &crate::capabilities::Capabilities) -> bool {
    caps.has_operation_definition_containing("profiles.ihe.net/ITI/Scheduling")
}
