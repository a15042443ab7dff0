//! Oracle Health Millennium R4: Slot search with the required `service-type` (each parameter
//! once, `start` twice as ge/lt), hold by Slot `PATCH` with `If-Match`, `POST Appointment` with
//! exactly one slot and one accepted patient, cancel by `PATCH` with `cancelationReason` and
//! `If-Match`. 409 (stale version), 412 (If-Match missing) and 423 (locked) are conflicts.
//! The requests are plain R4's (`plain_r4.rs`) with Oracle's rules.

use fhir_model::{Appointment, BookParams, CodeableConcept, FindParams, HoldParams};

use super::plain_r4::{Flavour, find_as};
use super::r4_book::{book_as, cancel_as};
use super::r4_hold::hold_as;
use crate::error::ClientError;
use crate::ops::avail::Availability;
use crate::ops::write::Window;
use crate::org::OrgClient;
use crate::outcome::{AppointmentState, BookedAppointment, HeldAppointment};

pub(crate) async fn find(
    client: &OrgClient,
    params: &FindParams,
) -> Result<Availability, ClientError> {
    find_as(client, params, Flavour::Oracle).await
}

pub(crate) async fn hold(
    client: &OrgClient,
    params: &HoldParams,
) -> Result<HeldAppointment, ClientError> {
    hold_as(client, params).await
}

pub(crate) async fn book(
    client: &OrgClient,
    params: &BookParams,
    _window: Option<&Window>,
) -> Result<BookedAppointment, ClientError> {
    book_as(client, params, Flavour::Oracle).await
}

pub(crate) async fn cancel(
    client: &OrgClient,
    current: &Appointment,
    reason: Option<&CodeableConcept>,
) -> Result<AppointmentState, ClientError> {
    cancel_as(client, current, reason, Flavour::Oracle).await
}
