//! Coverage at a receiving organisation: the argo-coverage resource the desk sends (conformant
//! also when the plan is unknown), POST Coverage (journaled: not idempotent) and PUT
//! Coverage/[id] with `If-Match` (idempotent, recorded as an event).

use fhir_model::{CodeableConcept, Coverage, CoverageGrouping, Meta, Reference, urls};
use referral_store::ResolutionKind;
use referral_store::{EventKind, EventOutcome, Operation, OrganisationId, ReferralId};
use serde_json::json;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::journaled::failed_detail;
use crate::referrals::CoverageInfo;

/// HL7 v3 ActCode: the coverage types of `coverage-type` (argo-coverage binds `type` there).
pub const COVERAGE_TYPE_SYSTEM: &str = urls::ACT_CODE;
/// `policyholder-relationship` (argo-coverage binds `relationship` there).
pub const RELATIONSHIP_SYSTEM: &str = "http://hl7.org/fhir/policyholder-relationship";
/// The core extension that says why a required value is missing.
pub const DATA_ABSENT_REASON: &str = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

/// The relationships the desk offers, with their displays.
const RELATIONSHIPS: [(&str, &str); 4] = [
    ("self", "Self"),
    ("spouse", "Spouse"),
    ("child", "Child"),
    ("other", "Other"),
];

/// What booking does about the coverage entered with the referral when it registers the
/// patient at the organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CoverageChoice {
    /// Send the coverage entered with the referral (if any).
    #[default]
    AsEntered,
    /// Book without it: the organisation refused it and the user chose to go on.
    Without,
    /// Send this one instead (the user corrected it); it replaces the referral's.
    Corrected(CoverageInfo),
}

/// A coverage the organisation now holds: its id and version there (for `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCoverage {
    /// Coverage id at the organisation.
    pub id: String,
    /// `meta.versionId` as the organisation returned it.
    pub version: Option<String>,
}

/// Refuses coverage the organisation could not use, before anything is sent: argo-coverage
/// needs a payor, and the desk always sends the subscriber (member) id.
pub fn check_coverage(c: &CoverageInfo) -> CoreResult<()> {
    if c.payor.trim().is_empty() {
        return Err(CoreError::invalid("payor", "enter the insurer's name"));
    }
    if c.subscriber_id.trim().is_empty() {
        return Err(CoreError::invalid(
            "subscriber_id",
            "enter the member or subscriber ID",
        ));
    }
    if !RELATIONSHIPS
        .iter()
        .any(|(code, _)| *code == c.relationship)
    {
        return Err(CoreError::invalid(
            "relationship",
            "choose self, spouse, child or other",
        ));
    }
    Ok(())
}

/// `{"extension": [data-absent-reason = unknown]}`: a required primitive whose value the desk
/// does not know (FHIR allows a primitive with an extension and no value).
fn absent() -> serde_json::Value {
    json!({ "extension": [{ "url": DATA_ABSENT_REASON, "valueCode": "unknown" }] })
}

/// argo-coverage `grouping` (1..1, with `plan` and `planDisplay` 1..1): the plan when known,
/// else both marked unknown with data-absent-reason.
fn grouping(plan: Option<&str>) -> CoverageGrouping {
    match plan.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => CoverageGrouping {
            plan: Some(p.to_owned()),
            plan_display: Some(p.to_owned()),
            ..CoverageGrouping::default()
        },
        None => {
            let mut g = CoverageGrouping::default();
            g.extra.insert("_plan".into(), absent());
            g.extra.insert("_planDisplay".into(), absent());
            g
        }
    }
}

/// The argo-coverage resource for a patient: `meta.profile`, status, type (health insurance plan
/// policy), subscriber id, payor, grouping, relationship; the patient is the beneficiary, and
/// the subscriber too when the relationship is `self` (otherwise the subscriber is someone the
/// desk has no record of, and the IG says to leave it out).
pub fn to_fhir_coverage(patient_id: &str, c: &CoverageInfo) -> Coverage {
    let patient = Reference::to(&format!("Patient/{patient_id}"));
    let relationship = RELATIONSHIPS
        .iter()
        .find(|(code, _)| *code == c.relationship)
        .map_or(c.relationship.as_str(), |(_, display)| display);
    Coverage {
        meta: Some(Meta {
            profile: vec![urls::PROFILE_ARGO_COVERAGE.to_owned()],
            ..Meta::default()
        }),
        status: Some("active".into()),
        type_: Some(CodeableConcept::coded(
            COVERAGE_TYPE_SYSTEM,
            "HIP",
            "health insurance plan policy",
        )),
        subscriber_id: Some(c.subscriber_id.trim().to_owned()),
        subscriber: (c.relationship == "self").then(|| patient.clone()),
        beneficiary: Some(patient),
        relationship: Some(CodeableConcept::coded(
            RELATIONSHIP_SYSTEM,
            &c.relationship,
            relationship,
        )),
        payor: vec![Reference {
            display: Some(c.payor.trim().to_owned()),
            ..Reference::default()
        }],
        grouping: Some(grouping(c.plan_name.as_deref())),
        ..Coverage::default()
    }
}

fn saved(c: &Coverage, fallback_id: &str) -> SavedCoverage {
    SavedCoverage {
        id: c
            .id
            .clone()
            .filter(|i| !i.is_empty())
            .unwrap_or_else(|| fallback_id.to_owned()),
        version: c.meta.as_ref().and_then(|m| m.version_id.clone()),
    }
}

impl App {
    /// POST Coverage for a patient already registered at the organisation (journaled).
    pub async fn add_coverage(
        &self,
        org_id: &OrganisationId,
        patient_id: &str,
        coverage: &CoverageInfo,
        referral_id: Option<ReferralId>,
    ) -> CoreResult<SavedCoverage> {
        check_coverage(coverage)?;
        let (org_row, remote) = self.remote(org_id).await?;
        let resource = to_fhir_coverage(patient_id, coverage);
        let request = json!({ "patient_id": patient_id, "subscriber_id": coverage.subscriber_id });
        let (jid, answer) = self
            .journaled(
                referral_id,
                org_id,
                Operation::CreateCoverage,
                request,
                || remote.create_coverage(resource),
            )
            .await?;
        match answer {
            Ok(c) => {
                let s = saved(&c, "");
                let detail = json!({ "coverage_id": s.id });
                self.event(
                    referral_id,
                    EventKind::CreateCoverage,
                    Some(org_id),
                    "POST Coverage".into(),
                    EventOutcome::Succeeded,
                    detail.clone(),
                )
                .await?;
                self.resolve(jid, ResolutionKind::Succeeded, detail).await?;
                Ok(s)
            }
            Err(e) => {
                let what = "POST Coverage".to_owned();
                self.failure_event(referral_id, EventKind::CreateCoverage, org_id, what, &e)
                    .await?;
                self.resolve(jid, ResolutionKind::Failed, failed_detail(&e))
                    .await?;
                Err(CoreError::remote(&org_row.display_name, e))
            }
        }
    }

    /// `PUT Coverage/[id]`: replaces a coverage the organisation already has for the patient,
    /// with `If-Match` on `version` when given (a stale version is refused there with 412:
    /// `VersionConflict`). Idempotent, so not journaled; the answer is recorded as an event.
    pub async fn update_coverage(
        &self,
        org_id: &OrganisationId,
        patient_id: &str,
        coverage_id: &str,
        version: Option<&str>,
        coverage: &CoverageInfo,
    ) -> CoreResult<SavedCoverage> {
        check_coverage(coverage)?;
        if coverage_id.trim().is_empty() {
            return Err(CoreError::invalid("coverage_id", "give the coverage's id"));
        }
        let (org_row, remote) = self.remote(org_id).await?;
        let mut resource = to_fhir_coverage(patient_id, coverage);
        resource.id = Some(coverage_id.trim().to_owned());
        if let (Some(meta), Some(v)) = (resource.meta.as_mut(), version) {
            meta.version_id = Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        }
        let answer = remote.update_coverage(resource).await;
        let what = format!("PUT Coverage/{}", coverage_id.trim());
        match answer {
            Ok(c) => {
                let s = saved(&c, coverage_id.trim());
                self.event(
                    None,
                    EventKind::CreateCoverage,
                    Some(org_id),
                    what,
                    EventOutcome::Succeeded,
                    json!({ "coverage_id": s.id }),
                )
                .await?;
                Ok(s)
            }
            Err(e) => {
                self.failure_event(None, EventKind::CreateCoverage, org_id, what, &e)
                    .await?;
                Err(CoreError::remote(&org_row.display_name, e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn info(plan: Option<&str>, relationship: &str) -> CoverageInfo {
        CoverageInfo {
            payor: "Acme Health".into(),
            subscriber_id: "M-1".into(),
            plan_name: plan.map(str::to_owned),
            relationship: relationship.into(),
        }
    }

    #[test]
    fn a_coverage_without_a_plan_still_carries_every_element_argo_coverage_requires() {
        let v = serde_json::to_value(to_fhir_coverage("p1", &info(None, "self"))).unwrap();
        assert_eq!(v["meta"]["profile"][0], urls::PROFILE_ARGO_COVERAGE);
        assert_eq!(v["status"], "active");
        assert_eq!(v["type"]["coding"][0]["code"], "HIP");
        assert_eq!(v["subscriberId"], "M-1");
        assert_eq!(v["payor"][0]["display"], "Acme Health");
        for el in ["_plan", "_planDisplay"] {
            assert_eq!(
                v["grouping"][el]["extension"][0]["url"], DATA_ABSENT_REASON,
                "{el}"
            );
        }
        assert_eq!(v["subscriber"]["reference"], "Patient/p1");
    }

    #[test]
    fn a_known_plan_is_sent_and_a_dependant_has_no_invented_subscriber() {
        let v =
            serde_json::to_value(to_fhir_coverage("p1", &info(Some(" Gold "), "child"))).unwrap();
        assert_eq!(v["grouping"]["plan"], "Gold");
        assert_eq!(v["grouping"]["planDisplay"], "Gold");
        assert!(v["grouping"].get("_plan").is_none());
        assert!(v.get("subscriber").is_none());
        assert_eq!(v["beneficiary"]["reference"], "Patient/p1");
        assert_eq!(v["relationship"]["coding"][0]["display"], "Child");
    }

    #[test]
    fn coverage_without_payor_or_member_id_is_refused_before_sending() {
        let mut c = info(None, "self");
        c.payor = "  ".into();
        assert_eq!(
            check_coverage(&c).unwrap_err().invalid_field().unwrap().0,
            "payor"
        );
        let mut c = info(None, "self");
        c.subscriber_id = String::new();
        assert_eq!(
            check_coverage(&c).unwrap_err().invalid_field().unwrap().0,
            "subscriber_id"
        );
        assert!(check_coverage(&info(None, "cousin")).is_err());
        assert!(check_coverage(&info(None, "spouse")).is_ok());
    }
}
