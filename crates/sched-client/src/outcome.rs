//! Result types of the state-changing interactions, and what a read-back found when their
//! answer was lost.

use std::time::SystemTime;

use fhir_model::{Appointment, OperationOutcome, Resource};

/// What reading the server's state back found after a non-idempotent request got no usable answer.
#[derive(Debug, Clone)]
pub enum Readback {
    /// The change is on the server: here is the resource as it now stands.
    Confirmed(Box<Resource>),
    /// The server's state shows the change was not applied; it is safe to decide again.
    NotApplied,
    /// The state could not be established (read-back failed or is inconclusive).
    Unknown { reason: String },
}

impl Readback {
    /// A short phrase for messages.
    pub fn describe(&self) -> String {
        match self {
            Self::Confirmed(_) => "it was applied".to_owned(),
            Self::NotApplied => "it was not applied".to_owned(),
            Self::Unknown { reason } => format!("unknown ({reason})"),
        }
    }

    /// The confirmed Appointment, if the read-back found one.
    pub fn appointment(&self) -> Option<&Appointment> {
        match self {
            Self::Confirmed(r) => r.as_appointment(),
            _ => None,
        }
    }
}

/// An Appointment as a `$hold`/`$book`/PATCH answer left it. The id may differ from the one sent:
/// the server may re-key the appointment, and the caller must use this id from now on.
#[derive(Debug, Clone)]
pub struct AppointmentState {
    /// The id to use from now on.
    pub id: String,
    /// `meta.versionId` (or the ETag's version), for `If-Match`.
    pub version: Option<String>,
    pub status: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub appointment: Appointment,
    /// Informational OperationOutcomes the server sent beside the appointment.
    pub outcomes: Vec<OperationOutcome>,
}

/// A held appointment (`$hold` accepted, status `pending`).
#[derive(Debug, Clone)]
pub struct HeldAppointment {
    pub state: AppointmentState,
    /// When the hold lapses, from the `Expires` header (`None` if the server sent none: assume
    /// it is short and verify before booking).
    pub expires: Option<SystemTime>,
}

/// A booked appointment (`$book` accepted, status `booked`).
#[derive(Debug, Clone)]
pub struct BookedAppointment {
    pub state: AppointmentState,
}

/// A resource created (or found existing) by POST.
#[derive(Debug, Clone)]
pub struct Created<T> {
    /// The server's id for it: use this, not anything the client chose.
    pub id: String,
    pub version: Option<String>,
    /// `true` when the server answered 200 with an existing resource instead of creating one.
    pub existing: bool,
    /// The resource as returned (absent when the server sent no body).
    pub resource: Option<T>,
}
