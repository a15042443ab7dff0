//! `refdesk referrals list | show | sync` and `refdesk appointments`.

use referral_core::{App, AppointmentListing, CoreError, Subject, appt};
use referral_store::{
    Event, MatchMode, OrganisationId, Referral, ReferralStatus, TextFilter, WorklistQuery,
};
use serde_json::{Value, json};

use crate::cli::{AppointmentsArgs, ReferralsCmd};
use crate::cmd::workflow::referral_json;
use crate::exit;
use crate::out::{Out, opt, table};

pub async fn run(app: &App, cmd: ReferralsCmd, out: &Out) -> Result<u8, CoreError> {
    match cmd {
        ReferralsCmd::List {
            statuses,
            org,
            text,
            limit,
        } => {
            list(app, out, &statuses, org, text, limit).await?;
        }
        ReferralsCmd::Show { id } => show(app, out, &id).await?,
        ReferralsCmd::Sync => {
            let changed = app.reconcile_worklist().await?;
            let doc = json!(changed.iter().map(referral_json).collect::<Vec<_>>());
            out.result(&doc, || {
                format!(
                    "{} referral(s) found cancelled by their organisation",
                    changed.len()
                )
            });
        }
    }
    Ok(exit::OK)
}

async fn list(
    app: &App,
    out: &Out,
    statuses: &[String],
    org: Option<String>,
    text: Option<String>,
    limit: u32,
) -> Result<(), CoreError> {
    let statuses = statuses
        .iter()
        .map(|s| {
            ReferralStatus::from_code(s)
                .ok_or_else(|| CoreError::invalid("--status", format!("unknown status {s:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let query = WorklistQuery {
        statuses,
        organisation: org.map(OrganisationId::new).transpose()?,
        patient_name: text.map(|text| TextFilter {
            text,
            mode: MatchMode::Prefix,
        }),
        limit,
        ..WorklistQuery::default()
    };
    let list = app.worklist(query).await?;
    let rows: Vec<Vec<String>> = list.iter().map(row).collect();
    let doc = json!(list.iter().map(referral_json).collect::<Vec<_>>());
    let headers = [
        "REFERRAL",
        "STATUS",
        "ORGANISATION",
        "PATIENT",
        "APPOINTMENT (UTC)",
        "HOLD UNTIL",
    ];
    out.result(&doc, || table(&headers, &rows));
    Ok(())
}

fn row(r: &Referral) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.status.as_str().to_owned(),
        r.organisation_id.to_string(),
        r.patient.display_name.clone(),
        opt(r.booked_start.map(|t| t.format("%Y-%m-%d %H:%M"))),
        opt(r.hold_expires_at.map(|t| t.format("%H:%M:%S"))),
    ]
}

async fn show(app: &App, out: &Out, id: &str) -> Result<(), CoreError> {
    let rid = App::parse_referral_id(id)?;
    let r = app.referral(rid).await?;
    let events = app.events(rid).await?;
    let doc = json!({ "referral": referral_json(&r), "events": events.iter().map(event_json).collect::<Vec<_>>() });
    out.result(&doc, || {
        let rows: Vec<Vec<String>> = events
            .iter()
            .map(|e| {
                vec![
                    e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    e.kind.as_str().to_owned(),
                    opt(e.organisation_id.as_ref()),
                    e.request.clone(),
                    e.outcome.as_str().to_owned(),
                ]
            })
            .collect();
        let timeline = table(
            &["AT (UTC)", "ACTION", "ORGANISATION", "REQUEST", "OUTCOME"],
            &rows,
        );
        format!(
            "referral {} — {} — {}\npatient {} · appointment {} · {}\n\n{timeline}",
            r.id,
            r.status.as_str(),
            r.organisation_id,
            r.patient.display_name,
            opt(r.appointment.as_ref().map(|a| &a.id)),
            opt(r.status_note.as_ref()),
        )
    });
    Ok(())
}

fn event_json(e: &Event) -> Value {
    json!({ "at": e.at, "kind": e.kind.as_str(), "organisation": e.organisation_id, "request": e.request, "outcome": e.outcome.as_str(), "detail": e.detail })
}

pub async fn appointments(app: &App, a: AppointmentsArgs, out: &Out) -> Result<u8, CoreError> {
    let subject = match (a.patient_mrn, a.practitioner) {
        (Some(mrn), _) => Subject::Patient(mrn),
        (None, Some(p)) => Subject::Practitioner(p),
        (None, None) => {
            return Err(CoreError::invalid(
                "--patient-mrn",
                "give --patient-mrn or --practitioner",
            ));
        }
    };
    let list = app.appointments(subject, a.from, a.to).await?;
    out.result(&listing_json(&list), || listing_text(&list));
    Ok(exit::OK)
}

fn listing_json(list: &AppointmentListing) -> Value {
    let rows: Vec<Value> = list.rows.iter().map(|r| json!({
        "organisation": r.organisation_id, "appointmentId": r.appointment.id, "status": r.appointment.status,
        "start": appt::start_of(&r.appointment), "end": appt::end_of(&r.appointment),
        "practitioner": appt::actor_display(&r.appointment, "Practitioner"), "referral": r.referral_id.map(|x| x.to_string()),
    })).collect();
    let errors: Vec<Value> = list.errors.iter().map(|(o, n, e)| json!({ "organisation": o, "message": referral_core::describe::remote_sentence(n, e) })).collect();
    json!({ "appointments": rows, "errors": errors })
}

fn listing_text(list: &AppointmentListing) -> String {
    let rows: Vec<Vec<String>> = list
        .rows
        .iter()
        .map(|r| {
            vec![
                r.organisation_name.clone(),
                opt(r.appointment.id.as_ref()),
                r.appointment.status.clone(),
                opt(appt::start_of(&r.appointment).map(|t| t.format("%Y-%m-%d %H:%M"))),
                opt(appt::actor_display(&r.appointment, "Practitioner")),
                opt(r.referral_id),
            ]
        })
        .collect();
    let headers = [
        "ORGANISATION",
        "APPOINTMENT",
        "STATUS",
        "START (UTC)",
        "PRACTITIONER",
        "REFERRAL",
    ];
    let mut s = table(&headers, &rows);
    for (_, n, e) in &list.errors {
        s.push_str(&format!(
            "\n✗ {}",
            referral_core::describe::remote_sentence(n, e)
        ));
    }
    s
}
