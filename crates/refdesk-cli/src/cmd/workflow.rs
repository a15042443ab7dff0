//! `refdesk find | hold | release | book | cancel | reschedule`.

use std::collections::BTreeMap;

use fhir_model::terminology::{SPECIALTIES, VISIT_TYPES};
use referral_core::{
    App, BookInput, CoreError, FindProgress, ReferralInput, RescheduleState, SlotOption,
};
use referral_store::{Coded, DateWindow, Priority, Referral};
use serde_json::{Value, json};

use crate::cli::{BookArgs, CancelArgs, FindArgs, HoldArgs, ReferralArg, RescheduleArgs};
use crate::cmd::patient::{coverage_info, patient_info};
use crate::exit;
use crate::out::{Out, opt, table};

pub async fn find(app: &App, a: FindArgs, out: &Out) -> Result<u8, CoreError> {
    let window = match (a.from, a.to) {
        (Some(start), Some(end)) => Some(DateWindow { start, end }),
        (None, None) => None,
        _ => {
            return Err(CoreError::invalid(
                "--from/--to",
                "give both days of the window",
            ));
        }
    };
    let referral = match &a.referral {
        Some(id) => app.referral(App::parse_referral_id(id)?).await?,
        None => create_referral(app, &a, window).await?,
    };
    let progress = |_search: &str, p: &FindProgress| {
        let line = match p {
            FindProgress::Asked {
                organisation_name, ..
            } => format!("… asking {organisation_name}"),
            FindProgress::Answered {
                organisation_name,
                options,
                ..
            } => format!("✓ {organisation_name}: {} option(s)", options.len()),
            FindProgress::Failed { message, .. } => format!("✗ {message}"),
        };
        out.progress(&line);
    };
    let orgs = if a.referral.is_some() {
        a.orgs.clone()
    } else {
        Vec::new()
    };
    let found = app.find_slots(referral.id, orgs, window, &progress).await?;
    let doc = json!({
        "referral": referral.id.to_string(),
        "searchId": found.search_id,
        "asked": found.asked,
        "options": found.options.iter().map(option_json).collect::<Vec<_>>(),
        "failures": found.failures.iter().map(|(o, n, e)| json!({ "organisation": o, "name": n, "message": referral_core::describe::remote_sentence(n, e) })).collect::<Vec<_>>(),
    });
    out.result(&doc, || {
        let rows: Vec<Vec<String>> = found
            .options
            .iter()
            .map(|o| {
                vec![
                    o.option_id.clone(),
                    o.start.format("%Y-%m-%d %H:%M").to_string(),
                    o.organisation_name.clone(),
                    opt(o.practitioner.as_ref()),
                    opt(o.location.as_ref()),
                ]
            })
            .collect();
        format!(
            "referral {}\n{}",
            referral.id,
            table(
                &[
                    "OPTION",
                    "START (UTC)",
                    "ORGANISATION",
                    "PRACTITIONER",
                    "LOCATION"
                ],
                &rows
            )
        )
    });
    if found.options.is_empty()
        && !found.failures.is_empty()
        && found.failures.iter().all(|(_, _, e)| e.is_unreachable())
    {
        return Ok(exit::UNREACHABLE);
    }
    Ok(exit::OK)
}

async fn create_referral(
    app: &App,
    a: &FindArgs,
    window: Option<DateWindow>,
) -> Result<Referral, CoreError> {
    let p = a.patient();
    let p = p.as_ref().ok_or_else(|| {
        CoreError::invalid(
            "--referral",
            "give an existing --referral, or the patient (--family, --given, --birth-date, --mrn)",
        )
    })?;
    let window = window
        .ok_or_else(|| CoreError::invalid("--from/--to", "a new referral needs a date window"))?;
    let mut orgs = a.orgs.clone();
    if orgs.is_empty() {
        orgs = app
            .organisations(false)
            .await?
            .into_iter()
            .map(|o| o.id.to_string())
            .collect();
    }
    let mut links = BTreeMap::new();
    for l in &a.patient_links {
        let (org, id) = l
            .split_once('=')
            .ok_or_else(|| CoreError::invalid("--patient-link", "use org=patient-id"))?;
        links.insert(org.to_owned(), id.to_owned());
    }
    let coded = |table: &fhir_model::terminology::CodeTable, code: &Option<String>| {
        code.as_ref().map(|c| Coded {
            system: table.system.to_owned(),
            code: c.clone(),
            display: table.find(c).map(|x| x.display.to_owned()),
        })
    };
    app.create_referral(ReferralInput {
        patient: patient_info(p),
        coverage: coverage_info(&a.coverage)?,
        patient_links: links,
        specialty: coded(&SPECIALTIES, &a.specialty),
        visit_type: coded(&VISIT_TYPES, &a.visit_type),
        reason: a.reason.clone(),
        priority: Priority::Routine,
        organisation_ids: orgs,
        window,
    })
    .await
}

fn option_json(o: &SlotOption) -> Value {
    json!({ "optionId": o.option_id, "organisation": o.organisation_id, "organisationName": o.organisation_name, "start": o.start, "end": o.end, "practitioner": o.practitioner, "location": o.location })
}

pub fn referral_json(r: &Referral) -> Value {
    json!({
        "id": r.id.to_string(), "status": r.status.as_str(), "organisation": r.organisation_id, "patient": r.patient.display_name,
        "mrn": r.patient.home_mrn, "patientIdAtTarget": r.patient.target_patient_id,
        "appointmentId": r.appointment.as_ref().map(|a| &a.id), "previousAppointmentId": r.previous_appointment_id,
        "holdExpiresAt": r.hold_expires_at, "start": r.booked_start, "end": r.booked_end, "note": r.status_note,
        "createdAt": r.created_at, "updatedAt": r.updated_at,
    })
}

pub async fn hold(app: &App, a: HoldArgs, out: &Out) -> Result<u8, CoreError> {
    let h = app
        .hold(App::parse_referral_id(&a.referral)?, &a.option)
        .await?;
    let doc = json!({ "referral": referral_json(&h.referral), "expiresAt": h.expires_at, "option": option_json(&h.option) });
    out.result(&doc, || {
        format!(
            "held {} at {} until {} (appointment {})",
            h.option.start.format("%Y-%m-%d %H:%M UTC"),
            h.option.organisation_name,
            h.expires_at.format("%H:%M:%S UTC"),
            opt(h.referral.appointment.as_ref().map(|x| &x.id))
        )
    });
    Ok(exit::OK)
}

pub async fn release(app: &App, a: ReferralArg, out: &Out) -> Result<u8, CoreError> {
    let released = app
        .release_hold(App::parse_referral_id(&a.referral)?)
        .await?;
    out.result(&json!({ "released": released }), || {
        if released {
            "hold released".into()
        } else {
            "there was no hold to release".into()
        }
    });
    Ok(exit::OK)
}

pub async fn book(app: &App, a: BookArgs, out: &Out) -> Result<u8, CoreError> {
    let input = BookInput {
        option_id: a.option,
        patient_id: a.patient_id,
        comment: a.comment,
    };
    let r = app
        .book(App::parse_referral_id(&a.referral)?, input)
        .await?;
    out.result(&referral_json(&r), || {
        format!(
            "booked: {} at {} (appointment {}) for {}",
            opt(r.booked_start.map(|t| t.format("%Y-%m-%d %H:%M UTC"))),
            r.organisation_id,
            opt(r.appointment.as_ref().map(|x| &x.id)),
            r.patient.display_name
        )
    });
    Ok(exit::OK)
}

pub async fn cancel(app: &App, a: CancelArgs, out: &Out) -> Result<u8, CoreError> {
    let r = app
        .cancel(
            App::parse_referral_id(&a.referral)?,
            &a.reason,
            a.note.as_deref(),
        )
        .await?;
    out.result(&referral_json(&r), || {
        format!(
            "referral {} cancelled ({})",
            r.id,
            opt(r.status_note.as_ref())
        )
    });
    Ok(exit::OK)
}

pub async fn reschedule(app: &App, a: RescheduleArgs, out: &Out) -> Result<u8, CoreError> {
    let r = app
        .reschedule(App::parse_referral_id(&a.referral)?, &a.option, a.comment)
        .await?;
    let state = match r.state {
        RescheduleState::NewBooked => "new_booked",
        RescheduleState::OldStillBooked => "old_still_booked",
        RescheduleState::NeedsAttention => "needs_attention",
    };
    out.result(
        &json!({ "state": state, "message": r.message, "referral": referral_json(&r.referral) }),
        || r.message.clone(),
    );
    Ok(match r.state {
        RescheduleState::NewBooked => exit::OK,
        RescheduleState::OldStillBooked => exit::REFUSED,
        RescheduleState::NeedsAttention => exit::NEEDS_ATTENTION,
    })
}
