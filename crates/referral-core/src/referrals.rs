//! Creating referrals and the plan the core keeps beside each one (candidate organisations,
//! the patient's details for registration, coverage, and ids already known per organisation).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use fhir_model::referral_reasons::referral_reason;
use referral_model::ReferralContent;
use referral_store::{
    Coded, DateWindow, EventKind, EventOutcome, Gender, NewReferral, OrganisationId,
    PatientSummary, Priority, Referral, ReferralId, WorklistPage, WorklistQuery,
};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::error::{CoreError, CoreResult};

/// The patient as known at the referring side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientInfo {
    /// Family name.
    pub family: String,
    /// Given names.
    pub given: Vec<String>,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Gender.
    pub gender: Gender,
    /// MRN at home.
    pub mrn: String,
    /// Phone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
}

impl PatientInfo {
    /// "Given Family".
    pub fn display_name(&self) -> String {
        let mut parts = self.given.clone();
        parts.push(self.family.clone());
        parts.join(" ")
    }
}

/// Insurance to register with the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageInfo {
    /// Payor name.
    pub payor: String,
    /// Subscriber (member) id.
    pub subscriber_id: String,
    /// Plan name.
    pub plan_name: Option<String>,
    /// self, spouse, child, other.
    pub relationship: String,
}

/// What a new referral asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralInput {
    /// The patient.
    pub patient: PatientInfo,
    /// Coverage for registration where the patient is new.
    pub coverage: Option<CoverageInfo>,
    /// Patient ids already known, per organisation.
    pub patient_links: BTreeMap<String, String>,
    /// Specialty.
    pub specialty: Option<Coded>,
    /// Visit type.
    pub visit_type: Option<Coded>,
    /// Reason, free text.
    pub reason: Option<String>,
    /// Priority.
    pub priority: Priority,
    /// Organisations to ask, in preference order (at least one).
    pub organisation_ids: Vec<String>,
    /// Requested window (inclusive dates).
    pub window: DateWindow,
    /// Coded reason, due-by day, referrer (absent = the desk's default) and note.
    pub content: ReferralContent,
}

/// The plan stored beside a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralPlan {
    /// Candidate organisations in preference order.
    pub organisation_ids: Vec<String>,
    /// Patient details for registration.
    pub patient: PatientInfo,
    /// Coverage.
    pub coverage: Option<CoverageInfo>,
    /// Known patient id per organisation.
    pub patient_links: BTreeMap<String, String>,
    /// Organisations where the patient was registered but the coverage is still to send (the
    /// organisation refused it; booking again sends a corrected one or goes on without it).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub coverage_pending: BTreeSet<String>,
}

fn plan_key(id: ReferralId) -> String {
    format!("core.plan/{id}")
}

impl App {
    /// Saves a new draft referral (targeting the first organisation until a slot is held).
    pub async fn create_referral(&self, input: ReferralInput) -> CoreResult<Referral> {
        let first = input
            .organisation_ids
            .first()
            .ok_or_else(|| CoreError::invalid("organisations", "choose at least one"))?;
        let org_id = OrganisationId::new(first.trim().to_owned())?;
        for other in &input.organisation_ids {
            OrganisationId::new(other.trim().to_owned())?;
        }
        if let Some(c) = &input.coverage {
            crate::coverage::check_coverage(c)?;
        }
        if input.window.start > input.window.end {
            return Err(CoreError::invalid("window", "the start is after the end"));
        }
        let p = &input.patient;
        let new = NewReferral {
            patient: PatientSummary {
                display_name: p.display_name(),
                family: Some(p.family.clone()),
                given: Some(p.given.join(" ")).filter(|g| !g.is_empty()),
                birth_date: Some(p.birth_date),
                gender: Some(p.gender),
                home_mrn: Some(p.mrn.clone()).filter(|m| !m.trim().is_empty()),
                target_patient_id: input.patient_links.get(first.as_str()).cloned(),
            },
            organisation_id: org_id.clone(),
            specialty: input.specialty.clone(),
            visit_type: input.visit_type.clone(),
            reason: input.reason.clone(),
            priority: input.priority,
            requested_window: Some(input.window),
            created_by: self.inner.user.clone(),
            content: self.checked_content(&input.content).await?,
        };
        let plan = ReferralPlan {
            organisation_ids: input.organisation_ids.clone(),
            patient: input.patient,
            coverage: input.coverage,
            patient_links: input.patient_links,
            coverage_pending: BTreeSet::new(),
        };
        let referral = self.db(move |s| s.create_referral(&new)).await?;
        self.save_plan(referral.id, &plan).await?;
        self.event(
            Some(referral.id),
            EventKind::StatusChange,
            None,
            "create referral".to_owned(),
            EventOutcome::Succeeded,
            serde_json::json!({ "organisations": plan.organisation_ids }),
        )
        .await?;
        Ok(referral)
    }

    /// The content as it will be stored: each value checked (a due-by day before today, a
    /// reason code not in the pick-list, a blank or over-long note and a bad referrer are
    /// refused) and the desk's default referrer filled in when none is given.
    async fn checked_content(&self, content: &ReferralContent) -> CoreResult<ReferralContent> {
        if let Some(rc) = &content.reason_code
            && referral_reason(&rc.system, &rc.code).is_none()
        {
            return Err(CoreError::invalid(
                "reason_code",
                "that reason is not in the desk's list of referral reasons; choose one from the list",
            ));
        }
        let mut checked = content.validated(self.today())?;
        if let Some(rc) = checked.reason_code.as_mut()
            && let Some(known) = referral_reason(&rc.system, &rc.code)
        {
            rc.display = Some(known.display.to_owned());
        }
        if checked.referrer.is_none() {
            checked.referrer = self.desk_settings().await?.referrer;
        }
        Ok(checked)
    }

    /// The plan of a referral (an empty one for referrals created elsewhere).
    pub async fn plan(&self, referral: &Referral) -> CoreResult<ReferralPlan> {
        let key = plan_key(referral.id);
        let stored = self.db(move |s| s.setting(&key)).await?;
        if let Some(plan) = stored.and_then(|t| serde_json::from_str(&t).ok()) {
            return Ok(plan);
        }
        let p = &referral.patient;
        Ok(ReferralPlan {
            organisation_ids: vec![referral.organisation_id.to_string()],
            patient: PatientInfo {
                family: p.family.clone().unwrap_or_default(),
                given: p.given.iter().map(String::clone).collect(),
                birth_date: p.birth_date.unwrap_or_default(),
                gender: p.gender.unwrap_or(Gender::Unknown),
                mrn: p.home_mrn.clone().unwrap_or_default(),
                phone: None,
                email: None,
            },
            coverage: None,
            patient_links: BTreeMap::new(),
            coverage_pending: BTreeSet::new(),
        })
    }

    pub(crate) async fn save_plan(&self, id: ReferralId, plan: &ReferralPlan) -> CoreResult<()> {
        let text = serde_json::to_string(plan).map_err(|e| CoreError::Task {
            reason: e.to_string(),
        })?;
        let key = plan_key(id);
        self.db(move |s| s.set_setting(&key, &text)).await
    }

    /// One referral.
    pub async fn referral(&self, id: ReferralId) -> CoreResult<Referral> {
        self.db(move |s| s.referral(id)).await
    }

    /// Parses a referral id typed by a user.
    pub fn parse_referral_id(text: &str) -> CoreResult<ReferralId> {
        text.trim()
            .parse()
            .map_err(|_| CoreError::invalid("referral", "is not a referral id (a UUID)"))
    }

    /// The referrals of the worklist page for `query`.
    pub async fn worklist(&self, query: WorklistQuery) -> CoreResult<Vec<Referral>> {
        Ok(self.worklist_page(query).await?.referrals)
    }

    /// The worklist page for `query`, with whether more follow and how many match in all.
    pub async fn worklist_page(&self, query: WorklistQuery) -> CoreResult<WorklistPage> {
        self.db(move |s| s.worklist(&query)).await
    }

    /// The audit trail of one referral.
    pub async fn events(&self, id: ReferralId) -> CoreResult<Vec<referral_store::Event>> {
        self.db(move |s| s.events_for_referral(id)).await
    }
}
