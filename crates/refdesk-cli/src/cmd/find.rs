//! `refdesk find`: `$find` for an existing referral, or a new referral created from the patient
//! options first (`create_referral`, then `find_slots`, as the app's wizard does).

use std::sync::Mutex;

use referral_api::codes::{CodeOption, CodeTablesRequest};
use referral_api::find::{FindProgress, FindSlotsRequest, FindState, FindSummary};
use referral_api::handlers;
use referral_api::organisation::ListOrganisationsRequest;
use referral_api::patient::PatientLink;
use referral_api::referral::{CreateReferralRequest, DateWindow, Referrer, ServiceChoice};
use referral_api::{ApiError, ApiErrorCode};
use referral_core::App;

use crate::cli::FindArgs;
use crate::cmd::patient::{coverage_input, patient_details};
use crate::out::{Done, Out, opt, table, when};

pub async fn run(app: &App, a: FindArgs, out: &Out) -> Done {
    let window = match (a.from, a.to) {
        (Some(start), Some(end)) => Some(DateWindow { start, end }),
        (None, None) => None,
        _ => {
            return Err(
                ApiError::invalid_field("--from/--to", "give both days of the window.").into(),
            );
        }
    };
    let (referral_id, organisation_ids) = match &a.referral {
        Some(id) => (id.clone(), a.orgs.clone()),
        None => (create_referral(app, &a, window).await?, Vec::new()),
    };
    let req = FindSlotsRequest {
        referral_id,
        organisation_ids,
        window: window.filter(|_| a.referral.is_some()),
        practitioner: a.practitioner.clone(),
        location: a.location.clone(),
        after: a.after,
        time_of_day: a.time_of_day.map(|t| match t {
            crate::cli::DayPart::Morning => referral_api::find::TimeOfDay::Morning,
            crate::cli::DayPart::Afternoon => referral_api::find::TimeOfDay::Afternoon,
        }),
        utc_offset_minutes: a.utc_offset,
    };
    let failures = Mutex::new(Vec::new());
    let on_progress = |p: FindProgress| {
        out.progress(&progress_line(&p));
        if let (FindState::Failed, Some(e)) = (p.state, p.error)
            && let Ok(mut list) = failures.lock()
        {
            list.push(e.code);
        }
    };
    let found = handlers::find_slots(app, req, on_progress).await?;
    out.emit(&found, summary_text)?;
    let failed: Vec<ApiErrorCode> = failures.into_inner().unwrap_or_default();
    // Nothing found because every organisation failed: the exit code says why (the first one).
    Ok(match failed.first() {
        Some(code) if found.options.is_empty() && found.answered == 0 => (*code).exit_code(),
        _ => 0,
    })
}

pub(crate) fn progress_line(p: &FindProgress) -> String {
    match p.state {
        FindState::Pending => format!("… asking {}", p.organisation_name),
        FindState::Done => format!("✓ {}: {} option(s)", p.organisation_name, p.options.len()),
        FindState::Failed => format!(
            "✗ {}",
            p.error
                .as_ref()
                .map_or_else(|| p.organisation_name.clone(), |e| e.message.clone())
        ),
    }
}

pub(crate) fn summary_text(f: &FindSummary) -> String {
    let rows: Vec<Vec<String>> = f
        .options
        .iter()
        .map(|o| {
            let practitioner = match (&o.practitioner, &o.practitioner_id) {
                (Some(name), Some(id)) => format!("{name} [{id}]"),
                (name, id) => opt(name.as_ref().or(id.as_ref())),
            };
            vec![
                o.option_id.clone(),
                when(&o.start),
                o.organisation_name.clone(),
                practitioner,
                opt(o.location.as_ref()),
            ]
        })
        .collect();
    let headers = [
        "OPTION",
        "START (UTC)",
        "ORGANISATION",
        "PRACTITIONER",
        "LOCATION",
    ];
    format!("referral {}\n{}", f.referral_id, table(&headers, &rows))
}

/// A new referral from the patient options; returns its id.
async fn create_referral(
    app: &App,
    a: &FindArgs,
    window: Option<DateWindow>,
) -> Result<String, ApiError> {
    let patient = a.patient().ok_or_else(|| {
        ApiError::invalid_field(
            "--referral",
            "give an existing --referral, or the patient (--family, --given, --birth-date, --mrn).",
        )
    })?;
    let window = window.ok_or_else(|| {
        ApiError::invalid_field("--from/--to", "a new referral needs a date window.")
    })?;
    let mut organisation_ids = a.orgs.clone();
    if organisation_ids.is_empty() {
        let req = ListOrganisationsRequest {
            include_disabled: false,
        };
        let list = handlers::list_organisations(app, req).await?;
        organisation_ids = list.organisations.into_iter().map(|o| o.id).collect();
    }
    let mut patient_links = Vec::new();
    for l in &a.patient_links {
        let (org, id) = l
            .split_once('=')
            .ok_or_else(|| ApiError::invalid_field("--patient-link", "use org=patient-id."))?;
        patient_links.push(PatientLink {
            organisation_id: org.to_owned(),
            patient_id: id.to_owned(),
        });
    }
    let req = CreateReferralRequest {
        patient: patient_details(&patient),
        coverage: coverage_input(&a.coverage)?,
        patient_links,
        service: service(app, a).await?,
        organisation_ids,
        window,
    };
    Ok(handlers::create_referral(app, req).await?.id)
}

/// Specialty, visit type and priority as the code tables the app offers name them.
async fn service(app: &App, a: &FindArgs) -> Result<ServiceChoice, ApiError> {
    let tables = handlers::code_tables(app, CodeTablesRequest {}).await?;
    let pick = |list: &[CodeOption], code: &Option<String>, field: &str| {
        code.as_ref()
            .map(|c| {
                list.iter().find(|o| o.code == *c).cloned().ok_or_else(|| {
                    ApiError::invalid_field(field, format!("“{c}” is not a known code."))
                })
            })
            .transpose()
    };
    let priority = tables
        .priorities
        .iter()
        .find(|p| p.code == "routine")
        .or(tables.priorities.first())
        .cloned()
        .ok_or_else(|| crate::out::local_failure("The priority table is empty."))?;
    let c = &a.content;
    let priority = match &c.priority {
        Some(p) => pick(&tables.priorities, &Some(p.clone()), "--priority")?.unwrap_or(priority),
        None => priority,
    };
    // `system|code` or a bare code; an unknown one is passed on for the core to refuse, so the
    // CLI and the app give the same answer.
    let reason_code = c.reason_code.as_deref().map(|text| {
        let (system, code) = text.rsplit_once('|').unwrap_or(("", text));
        tables
            .referral_reasons
            .iter()
            .find(|o| o.code == code && (system.is_empty() || o.system == system))
            .cloned()
            .unwrap_or_else(|| CodeOption {
                system: system.to_owned(),
                code: code.to_owned(),
                display: code.to_owned(),
            })
    });
    let referrer = c.referrer_name.as_ref().map(|name| Referrer {
        name: name.clone(),
        npi: c.referrer_npi.clone(),
        phone: c.referrer_phone.clone().unwrap_or_default(),
    });
    Ok(ServiceChoice {
        specialty: pick(&tables.specialties, &a.specialty, "--specialty")?,
        visit_type: pick(&tables.visit_types, &a.visit_type, "--visit-type")?,
        priority,
        reason: a.reason.clone().unwrap_or_default(),
        reason_code,
        due_by: c.due_by,
        referrer,
        note: c.note.clone(),
    })
}
