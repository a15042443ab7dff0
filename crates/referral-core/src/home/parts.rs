//! The parts of an order that map one to one: the patient, its coverage, the requester and the
//! notes (split from `mapping` to keep each file small). Pure: no IO.

use chrono::NaiveDate;
use fhir_model::r4;
use referral_model::Referrer;
use referral_model::content::MAX_NOTE;
use referral_store::Gender;

use super::mapping::{Missing, NPI_SYSTEM, PatientDraft};
use crate::referrals::CoverageInfo;

/// The patient's details; `Err` carries a gender code the desk does not know.
pub(super) fn patient_draft(
    p: &r4::Patient,
    missing: &mut Vec<Missing>,
) -> Result<PatientDraft, String> {
    let name = p
        .name
        .iter()
        .find(|n| n.use_.as_deref() == Some("official"))
        .or(p.name.first());
    let family = name
        .and_then(|n| n.family.clone())
        .filter(|f| !f.trim().is_empty());
    let gender = match p.gender.as_deref() {
        None => None,
        Some(g) => Some(Gender::from_code(g).ok_or_else(|| g.to_owned())?),
    };
    let mrn = p
        .identifier
        .iter()
        .find(|i| {
            i.type_
                .as_ref()
                .is_some_and(|t| t.coding.iter().any(|c| c.code.as_deref() == Some("MR")))
        })
        .or(p.identifier.first())
        .and_then(|i| i.value.clone());
    let telecom = |system: &str| {
        p.telecom
            .iter()
            .find(|t| t.system.as_deref() == Some(system))
            .and_then(|t| t.value.clone())
    };
    let draft = PatientDraft {
        family,
        given: name.map(|n| n.given.clone()).unwrap_or_default(),
        birth_date: p.birth_date.as_deref().and_then(date),
        gender,
        mrn,
        phone: telecom("phone"),
        email: telecom("email"),
        identifiers: p
            .identifier
            .iter()
            .filter_map(|i| Some((i.system.clone().unwrap_or_default(), i.value.clone()?)))
            .collect(),
    };
    for (absent, field) in [
        (draft.family.is_none(), Missing::PatientName),
        (draft.birth_date.is_none(), Missing::BirthDate),
        (draft.gender.is_none(), Missing::Gender),
        (draft.mrn.is_none(), Missing::Mrn),
    ] {
        if absent {
            missing.push(field);
        }
    }
    Ok(draft)
}

/// A FHIR date or dateTime's day.
pub(super) fn date(value: &str) -> Option<NaiveDate> {
    value
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// requester → referring clinician (the call-back phone is asked for: a reference has none).
pub(super) fn referrer(sr: &r4::ServiceRequest) -> Option<Referrer> {
    let requester = sr.requester.as_ref()?;
    let name = requester.display.clone().filter(|d| !d.trim().is_empty())?;
    let npi = requester
        .identifier
        .as_ref()
        .filter(|i| i.system.as_deref() == Some(NPI_SYSTEM))
        .and_then(|i| i.value.clone())
        // An NPI whose check digit fails would block the whole referral; the name is enough
        // for the organisation to call back, so a bad NPI is left out rather than refused.
        .filter(|n| referral_model::content::is_valid_npi(n));
    Some(Referrer {
        name,
        npi,
        phone: String::new(),
    })
}

/// The order's notes (and patient instruction), one per line, cut to the note limit.
pub(super) fn notes(sr: &r4::ServiceRequest) -> Option<String> {
    let lines: Vec<&str> = sr
        .note
        .iter()
        .map(|n| n.text.as_str())
        .chain(sr.patient_instruction.as_deref())
        .filter(|t| !t.trim().is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n").chars().take(MAX_NOTE).collect())
}

pub(super) fn coverage(c: &r4::Coverage, missing: &mut Vec<Missing>) -> CoverageInfo {
    let payor = c
        .payor
        .iter()
        .find_map(|p| p.display.clone())
        .unwrap_or_default();
    let subscriber_id = c.subscriber_id.clone().unwrap_or_default();
    if payor.is_empty() {
        missing.push(Missing::CoveragePayor);
    }
    if subscriber_id.is_empty() {
        missing.push(Missing::CoverageSubscriberId);
    }
    let plan = c.class.iter().find(|k| k.code() == Some("plan"));
    CoverageInfo {
        payor,
        subscriber_id,
        plan_name: plan.map(|k| k.name.clone().unwrap_or_else(|| k.value.clone())),
        relationship: c
            .relationship
            .as_ref()
            .and_then(|r| r.coding.iter().find_map(|x| x.code.clone()))
            .unwrap_or_else(|| "self".to_owned()),
    }
}
