//! `refdesk referrals list | show | sync | resume | recheck | settle` and `refdesk appointments`.

use referral_api::ApiError;
use referral_api::admin::SyncReferralsRequest;
use referral_api::appointment::{AppointmentList, AppointmentSubject, ListAppointmentsRequest};
use referral_api::handlers;
use referral_api::referral::{
    GetReferralRequest, ListReferralsRequest, ReferralDetail, ReferralList, ReferralStatus,
    WorklistSort,
};
use referral_core::App;

use chrono::NaiveDate;
use referral_api::referral::DateWindow;
use referral_api::resume::{
    RecheckReferralRequest, RecheckResult, ResumeReferralRequest, SettleOutcome,
    SettleReferralRequest,
};

use crate::cli::{AppointmentsArgs, ReferralsCmd, SettleArg, Sort};
use crate::cmd::find;
use crate::out::{Done, Out, opt, table, when, words};

pub async fn run(app: &App, cmd: ReferralsCmd, out: &Out) -> Done {
    match cmd {
        ReferralsCmd::List {
            statuses,
            org,
            text,
            limit,
            sort,
            overdue,
        } => {
            let req = ListReferralsRequest {
                statuses: statuses
                    .iter()
                    .map(|s| status(s))
                    .collect::<Result<_, _>>()?,
                organisation_id: org,
                text,
                limit: Some(limit),
                sort: Some(match sort {
                    Sort::Newest => WorklistSort::Newest,
                    Sort::DueBy => WorklistSort::DueBy,
                }),
                overdue_only: overdue.then_some(true),
                ..ListReferralsRequest::default()
            };
            let list = handlers::list_referrals(app, req).await?;
            out.emit(&list, list_text)?;
        }
        ReferralsCmd::Show { id } => {
            let detail = handlers::get_referral(app, GetReferralRequest { id }).await?;
            out.emit(&detail, detail_text)?;
        }
        ReferralsCmd::Resume { id, from, to } => return resume(app, id, from, to, out).await,
        ReferralsCmd::Recheck { id } => {
            let req = RecheckReferralRequest { referral_id: id };
            let found = handlers::recheck_referral(app, req).await?;
            out.emit(&found, recheck_text)?;
        }
        ReferralsCmd::Settle { id, outcome, note } => {
            let outcome = match outcome {
                SettleArg::BookedAsFound => SettleOutcome::BookedAsFound,
                SettleArg::NotBooked => SettleOutcome::NotBooked,
                SettleArg::Cancelled => SettleOutcome::Cancelled,
            };
            let req = SettleReferralRequest {
                referral_id: id,
                outcome,
                note,
            };
            let settled = handlers::settle_referral(app, req).await?;
            out.emit(&settled, |r| {
                format!("referral {} settled: now {}", r.id, words(&r.status))
            })?;
        }
        ReferralsCmd::Sync => {
            let changed = handlers::sync_referrals(app, SyncReferralsRequest {}).await?;
            out.emit(&changed, |l| {
                format!(
                    "{} referral(s) found cancelled by their organisation",
                    l.referrals.len()
                )
            })?;
        }
    }
    Ok(0)
}

/// Searches again with the referral's stored inputs, printing progress as organisations answer.
async fn resume(
    app: &App,
    id: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: &Out,
) -> Done {
    let window = from.zip(to).map(|(start, end)| DateWindow { start, end });
    let req = ResumeReferralRequest {
        referral_id: id,
        window,
    };
    let found =
        handlers::resume_referral(app, req, |p| out.progress(&find::progress_line(&p))).await?;
    out.emit(&found, find::summary_text)?;
    Ok(0)
}

fn recheck_text(r: &RecheckResult) -> String {
    let next = match r.suggested {
        Some(SettleOutcome::BookedAsFound) => "settle it with --as booked-as-found",
        Some(SettleOutcome::NotBooked) => "settle it with --as not-booked (or cancelled)",
        Some(SettleOutcome::Cancelled) => "settle it with --as cancelled",
        None => "try again later, or settle it from what the organisation tells you",
    };
    format!(
        "{}
next: refdesk referrals settle {} --note …: {next}",
        r.message, r.referral_id
    )
}

/// A status as the DTO spells it (`needs_attention`); `needs-attention` is accepted too.
fn status(text: &str) -> Result<ReferralStatus, ApiError> {
    let value = serde_json::Value::String(text.trim().replace('-', "_"));
    serde_json::from_value(value).map_err(|_| {
        ApiError::invalid_field("--status", format!("“{text}” is not a referral status."))
    })
}

fn list_text(list: &ReferralList) -> String {
    let rows: Vec<Vec<String>> = list
        .referrals
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                words(&r.status),
                opt(r.organisation_id.as_ref()),
                r.patient.name.clone(),
                opt(r.appointment_start.as_ref().map(when)),
                opt(r.hold_expires_at.map(|t| t.format("%H:%M:%S"))),
                match (r.service.due_by, r.overdue) {
                    (Some(d), true) => format!("{d} OVERDUE"),
                    (d, _) => opt(d),
                },
            ]
        })
        .collect();
    let headers = [
        "REFERRAL",
        "STATUS",
        "ORGANISATION",
        "PATIENT",
        "APPOINTMENT (UTC)",
        "HOLD UNTIL",
        "DUE BY",
    ];
    let mut s = table(&headers, &rows);
    if list.total as usize > list.referrals.len() {
        s.push_str(&format!(
            "\n({} of {} shown; use --limit)",
            list.referrals.len(),
            list.total
        ));
    }
    s
}

fn detail_text(d: &ReferralDetail) -> String {
    let r = &d.summary;
    let rows: Vec<Vec<String>> = d
        .events
        .iter()
        .map(|e| {
            vec![
                e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                e.action.clone(),
                opt(e.organisation_name.as_ref()),
                words(&e.outcome),
                e.detail.clone(),
            ]
        })
        .collect();
    let timeline = table(
        &["AT (UTC)", "ACTION", "ORGANISATION", "OUTCOME", "DETAIL"],
        &rows,
    );
    format!(
        "referral {} — {} — {}\npatient {} · appointment {} · {}\n{}\n\n{timeline}",
        r.id,
        words(&r.status),
        opt(r.organisation_name.as_ref().or(r.organisation_id.as_ref())),
        r.patient.name,
        opt(d.appointment_id.as_ref()),
        opt(r.appointment_start.as_ref().map(when)),
        opt(d.status_note.as_ref()),
    )
}

pub async fn appointments(app: &App, a: AppointmentsArgs, out: &Out) -> Done {
    let subject = match (a.patient_mrn, a.practitioner) {
        (Some(mrn), _) => AppointmentSubject::Patient { mrn },
        (None, Some(reference)) => AppointmentSubject::Practitioner { reference },
        (None, None) => {
            return Err(ApiError::invalid_field(
                "--patient-mrn",
                "give --patient-mrn or --practitioner.",
            )
            .into());
        }
    };
    let req = ListAppointmentsRequest {
        subject,
        from: a.from,
        to: a.to,
    };
    let list = handlers::list_appointments(app, req).await?;
    out.emit(&list, listing_text)?;
    Ok(0)
}

fn listing_text(list: &AppointmentList) -> String {
    let rows: Vec<Vec<String>> = list
        .appointments
        .iter()
        .map(|r| {
            vec![
                r.organisation_name.clone(),
                r.appointment_id.clone(),
                r.status.clone(),
                opt(r.start.as_ref().map(when)),
                opt(r.practitioner.as_ref()),
                opt(r.referral_id.as_ref()),
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
    for e in &list.errors {
        s.push_str(&format!("\n✗ {}", e.error.message));
    }
    s
}
