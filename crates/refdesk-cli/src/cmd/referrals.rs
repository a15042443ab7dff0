//! `refdesk referrals list | show | sync` and `refdesk appointments`.

use referral_core::{App, CoreError, Subject, appt};
use referral_store::{MatchMode, OrganisationId, ReferralStatus, TextFilter, WorklistQuery};
use serde_json::json;

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
            let statuses = statuses
                .iter()
                .map(|s| {
                    ReferralStatus::from_code(s).ok_or_else(|| {
                        CoreError::invalid("--status", format!("unknown status {s:?}"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let organisation = org.map(OrganisationId::new).transpose()?;
            let query = WorklistQuery {
                statuses,
                organisation,
                patient_name: text.map(|t| TextFilter {
                    text: t,
                    mode: MatchMode::Prefix,
                }),
                limit,
                ..WorklistQuery::default()
            };
            let list = app.worklist(query).await?;
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.status.as_str().to_owned(),
                        r.organisation_id.to_string(),
                        r.patient.display_name.clone(),
                        opt(r.booked_start.map(|t| t.format("%Y-%m-%d %H:%M"))),
                        opt(r.hold_expires_at.map(|t| t.format("%H:%M:%S"))),
                    ]
                })
                .collect();
            out.result(
                &json!(list.iter().map(referral_json).collect::<Vec<_>>()),
                || {
                    table(
                        &[
                            "REFERRAL",
                            "STATUS",
                            "ORGANISATION",
                            "PATIENT",
                            "APPOINTMENT (UTC)",
                            "HOLD UNTIL",
                        ],
                        &rows,
                    )
                },
            );
        }
        ReferralsCmd::Show { id } => {
            let rid = App::parse_referral_id(&id)?;
            let r = app.referral(rid).await?;
            let events = app.events(rid).await?;
            let doc = json!({ "referral": referral_json(&r), "events": events.iter().map(|e| json!({ "at": e.at, "kind": e.kind.as_str(), "organisation": e.organisation_id, "request": e.request, "outcome": e.outcome.as_str(), "detail": e.detail })).collect::<Vec<_>>() });
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
                format!(
                    "referral {} — {} — {}\npatient {} · appointment {} · {}\n\n{}",
                    r.id,
                    r.status.as_str(),
                    r.organisation_id,
                    r.patient.display_name,
                    opt(r.appointment.as_ref().map(|a| &a.id)),
                    opt(r.status_note.as_ref()),
                    table(
                        &["AT (UTC)", "ACTION", "ORGANISATION", "REQUEST", "OUTCOME"],
                        &rows
                    )
                )
            });
        }
        ReferralsCmd::Sync => {
            let changed = app.reconcile_worklist().await?;
            out.result(
                &json!(changed.iter().map(referral_json).collect::<Vec<_>>()),
                || {
                    format!(
                        "{} referral(s) found cancelled by their organisation",
                        changed.len()
                    )
                },
            );
        }
    }
    Ok(exit::OK)
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
    let doc = json!({
        "appointments": list.rows.iter().map(|r| json!({ "organisation": r.organisation_id, "appointmentId": r.appointment.id, "status": r.appointment.status, "start": appt::start_of(&r.appointment), "end": appt::end_of(&r.appointment), "practitioner": appt::actor_display(&r.appointment, "Practitioner"), "referral": r.referral_id.map(|x| x.to_string()) })).collect::<Vec<_>>(),
        "errors": list.errors.iter().map(|(o, n, e)| json!({ "organisation": o, "message": referral_core::describe::remote_sentence(n, e) })).collect::<Vec<_>>(),
    });
    out.result(&doc, || {
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
        let mut s = table(
            &[
                "ORGANISATION",
                "APPOINTMENT",
                "STATUS",
                "START (UTC)",
                "PRACTITIONER",
                "REFERRAL",
            ],
            &rows,
        );
        for (_, n, e) in &list.errors {
            s.push_str(&format!(
                "\n✗ {}",
                referral_core::describe::remote_sentence(n, e)
            ));
        }
        s
    });
    Ok(exit::OK)
}
