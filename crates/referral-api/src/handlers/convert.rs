//! Conversions between the core's types and the DTOs.

use referral_core::{App, CheckReport, SlotOption as CoreOption};
use referral_model::{
    Coded, Organisation as StoreOrg, Priority, Referral, ReferralContent, ReferralStatus as S,
};

use crate::codes::CodeOption;
use crate::find::SlotOption;
use crate::organisation::{CapabilityReport, CheckStep, Organisation};
use crate::patient::PatientSummary;
use crate::referral::{ReferralStatus, ReferralSummary, ServiceChoice};

/// Code system of the referral priorities.
pub const PRIORITY_SYSTEM: &str = "http://hl7.org/fhir/request-priority";

pub fn status(s: S) -> ReferralStatus {
    match s {
        S::Draft => ReferralStatus::Draft,
        S::Searching => ReferralStatus::Searching,
        S::Held => ReferralStatus::Held,
        S::Booked => ReferralStatus::Booked,
        S::Cancelled => ReferralStatus::Cancelled,
        S::Rescheduled => ReferralStatus::Rescheduled,
        S::Failed => ReferralStatus::Failed,
        S::NeedsAttention => ReferralStatus::NeedsAttention,
        S::CancelledByOrganisation => ReferralStatus::CancelledByOrganisation,
    }
}

pub fn status_back(s: ReferralStatus) -> S {
    match s {
        ReferralStatus::Draft => S::Draft,
        ReferralStatus::Searching => S::Searching,
        ReferralStatus::Held => S::Held,
        ReferralStatus::Booked => S::Booked,
        ReferralStatus::Cancelled => S::Cancelled,
        ReferralStatus::Rescheduled => S::Rescheduled,
        ReferralStatus::Failed => S::Failed,
        ReferralStatus::NeedsAttention => S::NeedsAttention,
        ReferralStatus::CancelledByOrganisation => S::CancelledByOrganisation,
    }
}

pub fn code_option(c: &Coded) -> CodeOption {
    CodeOption {
        system: c.system.clone(),
        code: c.code.clone(),
        display: c.display.clone().unwrap_or_else(|| c.code.clone()),
    }
}

pub fn coded(c: &CodeOption) -> Coded {
    Coded {
        system: c.system.clone(),
        code: c.code.clone(),
        display: Some(c.display.clone()),
    }
}

pub fn priority_option(p: Priority) -> CodeOption {
    let (code, display) = match p {
        Priority::Routine => ("routine", "Routine"),
        Priority::Urgent => ("urgent", "Urgent"),
        Priority::Asap => ("asap", "As soon as possible"),
        Priority::Stat => ("stat", "Immediately (stat)"),
    };
    CodeOption {
        system: PRIORITY_SYSTEM.to_owned(),
        code: code.to_owned(),
        display: display.to_owned(),
    }
}

pub fn priority(code: &str) -> Priority {
    match code {
        "urgent" => Priority::Urgent,
        "asap" => Priority::Asap,
        "stat" => Priority::Stat,
        _ => Priority::Routine,
    }
}

pub fn summary(r: &Referral, org_name: Option<String>) -> ReferralSummary {
    let targeted =
        r.appointment.is_some() || !matches!(r.status, S::Draft | S::Searching | S::Failed);
    ReferralSummary {
        id: r.id.to_string(),
        status: status(r.status),
        organisation_id: targeted.then(|| r.organisation_id.to_string()),
        organisation_name: if targeted { org_name } else { None },
        patient: PatientSummary {
            name: r.patient.display_name.clone(),
            birth_date: r.patient.birth_date,
            mrn: r.patient.home_mrn.clone(),
        },
        service: ServiceChoice {
            specialty: r.specialty.as_ref().map(code_option),
            visit_type: r.visit_type.as_ref().map(code_option),
            priority: priority_option(r.priority),
            reason: r.reason.clone().unwrap_or_default(),
            reason_code: r.content.reason_code.as_ref().map(code_option),
            due_by: r.content.due_by,
            referrer: r
                .content
                .referrer
                .as_ref()
                .map(crate::handlers::settings::referrer),
            note: r.content.note.clone(),
        },
        appointment_start: r.booked_start,
        hold_expires_at: r.hold_expires_at.filter(|_| r.status == S::Held),
        created_at: r.created_at,
        updated_at: r.updated_at,
        overdue: r.is_overdue(chrono::Local::now().date_naive()),
    }
}

/// The content a create request carries, as the core takes it.
pub fn content_back(s: &ServiceChoice) -> ReferralContent {
    ReferralContent {
        reason_code: s.reason_code.as_ref().map(coded),
        due_by: s.due_by,
        referrer: s
            .referrer
            .as_ref()
            .map(crate::handlers::settings::referrer_back),
        note: s.note.clone(),
    }
}

/// "Dermatology · New patient" — what the confirmation shows as the service.
pub fn service_text(r: &Referral) -> String {
    let parts: Vec<String> = [&r.specialty, &r.visit_type]
        .iter()
        .filter_map(|c| c.as_ref())
        .map(|c| c.display.clone().unwrap_or_else(|| c.code.clone()))
        .collect();
    if parts.is_empty() {
        "Appointment".to_owned()
    } else {
        parts.join(" · ")
    }
}

pub fn option(o: &CoreOption) -> SlotOption {
    SlotOption {
        option_id: o.option_id.clone(),
        organisation_id: o.organisation_id.to_string(),
        organisation_name: o.organisation_name.clone(),
        start: o.start,
        end: o.end,
        practitioner: o.practitioner.clone(),
        practitioner_id: o
            .practitioner_ref
            .as_deref()
            .map(|r| r.trim_start_matches("Practitioner/").to_owned()),
        location: o.location.clone(),
        visit_type: o.visit_type.as_ref().map(code_option),
        comment: o.comment.clone(),
        organisation_utc_offset_minutes: o.organisation_offset_minutes,
    }
}

pub fn organisation(o: &StoreOrg) -> Organisation {
    Organisation {
        id: o.id.to_string(),
        name: o.display_name.clone(),
        fhir_base: o.fhir_base_url.clone(),
        client_id: o.client_id.clone(),
        scopes: o.scopes.join(" "),
        enabled: o.enabled,
        sandbox: o.is_sandbox,
        last_check: App::last_check(o).map(|c| report(o.id.as_str(), &c)),
        dialect: o.dialect.clone(),
    }
}

pub fn report(org_id: &str, c: &CheckReport) -> CapabilityReport {
    let step = |s: &referral_core::CheckStep| CheckStep {
        ok: s.ok,
        detail: s.detail.clone(),
    };
    CapabilityReport {
        organisation_id: org_id.to_owned(),
        checked_at: c.checked_at,
        discovery: step(&c.discovery),
        token: step(&c.token),
        metadata: step(&c.metadata),
        fhir_version: c.capabilities.fhir_version.clone(),
        operations: c.capabilities.operations.clone(),
        patch_formats: c.capabilities.patch_formats.clone(),
        hold_supported: c.hold_supported(),
        dialect: c.capabilities.dialect.clone(),
        dialect_label: c
            .capabilities
            .dialect
            .as_deref()
            .and_then(referral_core::dialect_label)
            .map(str::to_owned),
        dialect_reason: c.capabilities.dialect_reason.clone(),
    }
}
