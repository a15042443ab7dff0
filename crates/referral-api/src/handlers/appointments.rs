//! `list_appointments` and `export_ics`.

use referral_core::{App, Subject, appt};

use super::{OrApi, api_error, referral_id};
use crate::appointment::{
    AppointmentList, AppointmentRow, AppointmentSubject, ExportIcsRequest, IcsFile,
    ListAppointmentsRequest, OrganisationError,
};
use crate::error::ApiError;

pub async fn list_appointments(
    app: &App,
    req: ListAppointmentsRequest,
) -> Result<AppointmentList, ApiError> {
    let subject = match req.subject {
        AppointmentSubject::Patient { mrn } if !mrn.trim().is_empty() => {
            Subject::Patient(mrn.trim().to_owned())
        }
        AppointmentSubject::Practitioner { reference } if !reference.trim().is_empty() => {
            Subject::Practitioner(reference.trim().to_owned())
        }
        _ => {
            return Err(ApiError::invalid_field(
                "subject",
                "Patient or practitioner: enter an MRN or a practitioner.",
            ));
        }
    };
    let list = app.appointments(subject, req.from, req.to).await.api()?;
    Ok(AppointmentList {
        appointments: list
            .rows
            .iter()
            .map(|r| AppointmentRow {
                organisation_id: r.organisation_id.to_string(),
                organisation_name: r.organisation_name.clone(),
                appointment_id: r.appointment.id.clone().unwrap_or_default(),
                status: r.appointment.status.clone(),
                start: appt::start_of(&r.appointment),
                end: appt::end_of(&r.appointment),
                patient_name: appt::actor_display(&r.appointment, "Patient"),
                practitioner: appt::actor_display(&r.appointment, "Practitioner"),
                location: appt::actor_display(&r.appointment, "Location"),
                description: r.appointment.description.clone(),
                referral_id: r.referral_id.map(|id| id.to_string()),
            })
            .collect(),
        errors: list
            .errors
            .iter()
            .map(|(id, name, e)| OrganisationError {
                organisation_id: id.to_string(),
                organisation_name: name.clone(),
                error: api_error(&referral_core::CoreError::remote(name, e.clone())),
            })
            .collect(),
    })
}

pub async fn export_ics(app: &App, req: ExportIcsRequest) -> Result<IcsFile, ApiError> {
    let r = app.referral(referral_id(&req.referral_id)?).await.api()?;
    let booking = super::booking::confirmation(app, &r).await?;
    Ok(IcsFile {
        file_name: crate::ics::file_name(&booking),
        content: crate::ics::render(&booking),
        saved_to: None,
    })
}
