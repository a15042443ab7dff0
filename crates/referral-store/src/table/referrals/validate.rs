//! Input checks for referrals: blank names, reversed windows and empty codes are refused with a
//! typed error before the transaction starts, and accepted text is trimmed.

use crate::error::{Result, invalid};
use referral_model::{AppointmentRef, BookingRecord, Coded, NewReferral};

/// Trims `text`; refuses it when nothing is left.
pub(crate) fn required(field: &'static str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        Err(invalid(field, "must not be empty"))
    } else {
        Ok(text.to_owned())
    }
}

/// An optional field may be absent but, when given, must say something: a blank family name is
/// a data-entry slip, and storing it would make the patient unfindable by name.
fn optional(field: &'static str, text: &Option<String>) -> Result<Option<String>> {
    text.as_deref().map(|t| required(field, t)).transpose()
}

fn coded(field: &'static str, c: &Option<Coded>) -> Result<Option<Coded>> {
    let Some(c) = c else { return Ok(None) };
    Ok(Some(Coded {
        system: required(field, &c.system)?,
        code: required(field, &c.code)?,
        display: c
            .display
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
    }))
}

/// Checks and normalises a new referral.
pub(crate) fn new_referral(new: &NewReferral) -> Result<NewReferral> {
    let mut out = new.clone();
    let p = &mut out.patient;
    p.display_name = required("patient.display_name", &new.patient.display_name)?;
    p.family = optional("patient.family", &new.patient.family)?;
    p.given = optional("patient.given", &new.patient.given)?;
    p.home_mrn = optional("patient.home_mrn", &new.patient.home_mrn)?;
    p.target_patient_id = optional("patient.target_patient_id", &new.patient.target_patient_id)?;
    out.specialty = coded("specialty", &new.specialty)?;
    out.visit_type = coded("visit_type", &new.visit_type)?;
    out.reason = new
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    out.created_by = required("created_by", &new.created_by)?;
    // The due-by day is checked against "today" by the core, which knows the user's day; an
    // import may carry days already past.
    out.content.referrer = new
        .content
        .referrer
        .as_ref()
        .map(|r| r.validated())
        .transpose()?;
    out.content.note = new
        .content
        .note
        .as_deref()
        .map(referral_model::content::validate_note)
        .transpose()?;
    out.content.reason_code = coded("reason_code", &new.content.reason_code)?;
    if let Some(w) = new.requested_window
        && w.start > w.end
    {
        return Err(invalid("requested_window", "start is after end"));
    }
    Ok(out)
}

pub(crate) fn appointment(a: &AppointmentRef) -> Result<()> {
    required("appointment.id", &a.id).map(|_| ())
}

pub(crate) fn booking(b: &BookingRecord) -> Result<()> {
    appointment(&b.appointment)?;
    if b.end.is_some_and(|end| end < b.start) {
        return Err(invalid("booking.end", "is before the start"));
    }
    Ok(())
}
