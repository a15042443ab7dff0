//! Order → referral input: everything a home ServiceRequest (with its included Patient and
//! Coverage) carries becomes the fields of a new referral, so nothing is retyped; what the order
//! lacks is listed for the desk to ask. An order that cannot become a referral at all (no
//! patient, a code the desk does not know) is a typed error for that order alone. Pure: no IO.

use chrono::NaiveDate;
use fhir_model::referral_reasons::referral_reason;
use fhir_model::terminology::SPECIALTIES;
use fhir_model::{CodeableConcept, r4};
use referral_model::ReferralContent;
use referral_store::{Coded, DateWindow, Gender, Priority};
use sched_client::home::Order;
use thiserror::Error;

use super::parts::{coverage, date, notes, patient_draft, referrer};
use crate::referrals::{CoverageInfo, PatientInfo, ReferralInput};

/// The NPI identifier system.
pub const NPI_SYSTEM: &str = "http://hl7.org/fhir/sid/us-npi";

/// A field the order does not give, which the desk asks for before the referral is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Missing {
    PatientName,
    BirthDate,
    Gender,
    Mrn,
    Specialty,
    Window,
    ReferrerPhone,
    CoveragePayor,
    CoverageSubscriberId,
}

/// Why an order cannot become a referral.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OrderError {
    #[error("order {order_id} names no patient")]
    NoPatient { order_id: String },
    #[error("order {order_id}: the home did not send the order's patient")]
    PatientNotSent { order_id: String },
    #[error("order {order_id}: the {element} code \"{code}\" is not one the desk knows")]
    UnknownCode {
        order_id: String,
        element: &'static str,
        code: String,
    },
    #[error("order {order_id} is not an open referral order")]
    NotOpen { order_id: String },
}

/// The patient as far as the order tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientDraft {
    pub family: Option<String>,
    pub given: Vec<String>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub mrn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Every identifier the home gave, as `(system, value)`.
    pub identifiers: Vec<(String, String)>,
}

/// What an order says, ready for a new referral once `missing` is filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedOrder {
    pub order_id: String,
    pub patient: PatientDraft,
    pub coverage: Option<CoverageInfo>,
    pub specialty: Option<Coded>,
    pub reason: Option<String>,
    pub priority: Priority,
    pub window: Option<DateWindow>,
    /// A named performer organisation (`reference`, `display`), the organisation to ask.
    pub performer: Option<(Option<String>, Option<String>)>,
    /// Coded reason (when in the pick-list), due-by day, referrer and notes.
    pub content: ReferralContent,
    pub missing: Vec<Missing>,
}

impl MappedOrder {
    /// The referral input for `organisation_ids`, or what is still missing.
    pub fn to_input(&self, organisation_ids: Vec<String>) -> Result<ReferralInput, Vec<Missing>> {
        let p = &self.patient;
        let (Some(family), Some(birth_date), Some(gender), Some(mrn), Some(window)) = (
            p.family.clone(),
            p.birth_date,
            p.gender,
            p.mrn.clone(),
            self.window,
        ) else {
            return Err(self.missing.clone());
        };
        if !self.missing.is_empty() {
            return Err(self.missing.clone());
        }
        Ok(ReferralInput {
            patient: PatientInfo {
                family,
                given: p.given.clone(),
                birth_date,
                gender,
                mrn,
                phone: p.phone.clone(),
                email: p.email.clone(),
            },
            coverage: self.coverage.clone(),
            patient_links: Default::default(),
            specialty: self.specialty.clone(),
            visit_type: None,
            reason: self.reason.clone(),
            priority: self.priority,
            organisation_ids,
            window,
            content: self.content.clone(),
        })
    }
}

/// Maps one order; `today` starts a requested period that gives only its end.
pub fn map_order(order: &Order, today: NaiveDate) -> Result<MappedOrder, OrderError> {
    let sr = &order.request;
    let order_id = order.id().to_owned();
    if sr.status != "active" || sr.intent != "order" {
        return Err(OrderError::NotOpen { order_id });
    }
    let is_patient = sr
        .subject
        .as_ref()
        .and_then(|s| s.local())
        .is_some_and(|(t, _)| t == "Patient");
    if !is_patient {
        return Err(OrderError::NoPatient { order_id });
    }
    let Some(patient) = &order.patient else {
        return Err(OrderError::PatientNotSent { order_id });
    };
    let unknown = |element, code: &str| OrderError::UnknownCode {
        order_id: order_id.clone(),
        element,
        code: code.to_owned(),
    };
    let priority = match sr.priority.as_deref() {
        None => Priority::Routine,
        Some(p) => Priority::from_code(p).ok_or_else(|| unknown("priority", p))?,
    };
    let mut missing = Vec::new();
    let patient = patient_draft(patient, &mut missing).map_err(|g| unknown("gender", &g))?;
    let specialty = specialty(sr).map_err(|c| unknown("performer type", &c))?;
    if specialty.is_none() {
        missing.push(Missing::Specialty);
    }
    let window = window(sr, today);
    if window.is_none() {
        missing.push(Missing::Window);
    }
    let referrer = referrer(sr);
    if referrer.as_ref().is_some_and(|r| r.phone.is_empty()) {
        missing.push(Missing::ReferrerPhone);
    }
    let coverage = order.coverage.first().map(|c| coverage(c, &mut missing));
    Ok(MappedOrder {
        order_id,
        patient,
        coverage,
        specialty,
        reason: reason_text(sr),
        priority,
        window,
        performer: sr
            .performer
            .first()
            .map(|p| (p.reference.clone(), p.display.clone())),
        content: ReferralContent {
            reason_code: reason_code(sr),
            due_by: window.map(|w| w.end),
            referrer,
            note: notes(sr),
        },
        missing,
    })
}

fn coded(system: &str, code: &str, display: &str) -> Coded {
    Coded {
        system: system.to_owned(),
        code: code.to_owned(),
        display: Some(display.to_owned()),
    }
}

/// performerType → specialty; else the specialty of a pick-list reason. `Err` carries a
/// performer type coded only in codes the desk does not know.
fn specialty(sr: &r4::ServiceRequest) -> Result<Option<Coded>, String> {
    if let Some(pt) = &sr.performer_type {
        let known = pt.coding.iter().find_map(|c| {
            (c.system.as_deref() == Some(SPECIALTIES.system))
                .then_some(c.code.as_deref())
                .flatten()
                .and_then(|code| SPECIALTIES.find(code))
        });
        if let Some(code) = known {
            return Ok(Some(coded(SPECIALTIES.system, code.code, code.display)));
        }
        if let Some(c) = pt.coding.iter().find_map(|c| c.code.clone()) {
            return Err(c);
        }
    }
    Ok(pick_list_reason(sr)
        .and_then(|r| SPECIALTIES.find(r.specialty))
        .map(|s| coded(SPECIALTIES.system, s.code, s.display)))
}

fn pick_list_reason(
    sr: &r4::ServiceRequest,
) -> Option<&'static fhir_model::referral_reasons::ReferralReason> {
    sr.reason_code
        .iter()
        .flat_map(|c| &c.coding)
        .find_map(|c| referral_reason(c.system.as_deref()?, c.code.as_deref()?))
}

fn reason_code(sr: &r4::ServiceRequest) -> Option<Coded> {
    pick_list_reason(sr).map(|r| coded(r.system, r.code, r.display))
}

/// The reasons' texts (or displays), then what is asked for, as one line.
fn reason_text(sr: &r4::ServiceRequest) -> Option<String> {
    let label = |c: &CodeableConcept| c.label().map(str::to_owned);
    let parts: Vec<String> = sr
        .reason_code
        .iter()
        .filter_map(label)
        .chain(sr.code.as_ref().and_then(label))
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// occurrencePeriod (start defaults to today) or occurrenceDateTime as the last day.
fn window(sr: &r4::ServiceRequest, today: NaiveDate) -> Option<DateWindow> {
    let (start, end) = match (&sr.occurrence_period, &sr.occurrence_date_time) {
        (Some(p), _) => (
            p.start.as_deref().and_then(date),
            p.end.as_deref().and_then(date)?,
        ),
        (None, Some(at)) => (None, date(at)?),
        (None, None) => return None,
    };
    let start = start.unwrap_or(today).max(today).min(end);
    Some(DateWindow { start, end })
}

#[cfg(test)]
#[path = "mapping_tests.rs"]
mod tests;
