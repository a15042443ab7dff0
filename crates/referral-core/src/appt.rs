//! Reading what the workflows need out of an Appointment: times, who, where, and the option id
//! that names a proposal across commands (`<organisation>/<appointment id>`).

use chrono::{DateTime, Utc};
use fhir_model::{Appointment, parse_instant};
use referral_store::OrganisationId;

use crate::error::{CoreError, CoreResult};

/// An appointment's start as UTC, if it has a parseable one.
pub fn start_of(a: &Appointment) -> Option<DateTime<Utc>> {
    a.start
        .as_deref()
        .and_then(|s| parse_instant(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// An appointment's end as UTC.
pub fn end_of(a: &Appointment) -> Option<DateTime<Utc>> {
    a.end
        .as_deref()
        .and_then(|s| parse_instant(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Display of the first participant actor of `ty` (`Practitioner`, `Location`, `Patient`).
pub fn actor_display(a: &Appointment, ty: &str) -> Option<String> {
    let r = a.actors_of_type(ty).next()?;
    r.display.clone().or_else(|| r.reference.clone())
}

/// Patient ids among the participants (`Patient/<id>` → `<id>`).
pub fn patient_ids(a: &Appointment) -> Vec<String> {
    a.actors_of_type("Patient")
        .filter_map(|r| r.local().map(|(_, id)| id.to_owned()))
        .collect()
}

/// The appointment's id, or an error naming what was missing.
pub fn id_of(a: &Appointment) -> CoreResult<String> {
    a.id.clone().ok_or_else(|| CoreError::NotFound {
        what: "the appointment id in the organisation's answer".to_owned(),
    })
}

/// The option id of a proposal.
pub fn option_id(org: &OrganisationId, appointment_id: &str) -> String {
    format!("{org}/{appointment_id}")
}

/// Splits an option id into organisation and appointment id.
pub fn parse_option(option_id: &str) -> CoreResult<(OrganisationId, String)> {
    let bad = || {
        CoreError::invalid(
            "option",
            "use an option id from a search, of the form <organisation>/<appointment id>",
        )
    };
    let (org, appt) = option_id.trim().split_once('/').ok_or_else(bad)?;
    let appt = appt.strip_prefix("Appointment/").unwrap_or(appt);
    if appt.is_empty() || appt.contains('/') {
        return Err(bad());
    }
    let org = OrganisationId::new(org.to_owned()).map_err(|_| bad())?;
    Ok((org, appt.to_owned()))
}
