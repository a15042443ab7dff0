//! `$find` across the chosen organisations at once: each organisation's answer is reported as it
//! arrives; a slow or failing organisation never delays or fails the others.

use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};
use fhir_model::datetime::format_instant;
use fhir_model::{Appointment, FindParams, Token};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use referral_store::{
    DateWindow, EventKind, EventOutcome, OrganisationId, Referral, ReferralId, ReferralStatus,
};

pub use super::filter::{FindFilter, TimeOfDay};
use crate::app::App;
use crate::appt;
use crate::error::{CoreError, CoreResult};
use crate::remote::{RemoteError, RemoteErrorKind};
use referral_store::Transition;

/// How long one organisation may take to answer a search.
pub const FIND_TIMEOUT: Duration = Duration::from_secs(20);
/// Most options asked of one organisation.
pub const FIND_COUNT: u32 = 50;

/// One proposed appointment.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotOption {
    /// `<organisation>/<appointment id>`: the handle for hold/book/reschedule.
    pub option_id: String,
    /// Organisation.
    pub organisation_id: OrganisationId,
    /// Its display name.
    pub organisation_name: String,
    /// Start.
    pub start: DateTime<Utc>,
    /// End (start when the organisation gave none).
    pub end: DateTime<Utc>,
    /// Practitioner display.
    pub practitioner: Option<String>,
    /// Practitioner reference (`Practitioner/<id>`), used to find a lost hold again.
    pub practitioner_ref: Option<String>,
    /// Location display.
    pub location: Option<String>,
    /// First service type (visit type) as coded by the organisation.
    pub visit_type: Option<referral_store::Coded>,
    /// Remarks.
    pub comment: Option<String>,
    /// The UTC offset (minutes) the organisation wrote the start with: its own local time.
    pub organisation_offset_minutes: Option<i32>,
}

impl SlotOption {
    /// The option for a proposal, or `None` when it has no id or start.
    pub fn from_appointment(org: &OrganisationId, org_name: &str, a: &Appointment) -> Option<Self> {
        let id = a.id.as_deref()?;
        let start = appt::start_of(a)?;
        Some(Self {
            option_id: appt::option_id(org, id),
            organisation_id: org.clone(),
            organisation_name: org_name.to_owned(),
            start,
            end: appt::end_of(a).unwrap_or(start),
            practitioner: appt::actor_display(a, "Practitioner"),
            practitioner_ref: a
                .actors_of_type("Practitioner")
                .next()
                .and_then(|r| r.reference.clone()),
            location: appt::actor_display(a, "Location"),
            visit_type: a.service_type.first().and_then(|c| {
                let coding = c.coding.first()?;
                Some(referral_store::Coded {
                    system: coding.system.clone().unwrap_or_default(),
                    code: coding.code.clone()?,
                    display: c.label().map(str::to_owned),
                })
            }),
            comment: a.comment.clone().or_else(|| a.description.clone()),
            organisation_offset_minutes: a
                .start
                .as_deref()
                .and_then(|s| fhir_model::datetime::parse_instant(s).ok())
                .map(|t| t.offset().local_minus_utc() / 60),
        })
    }
}

/// Progress of one organisation.
#[derive(Debug, Clone)]
pub enum FindProgress {
    /// Asked; no answer yet.
    Asked {
        /// Organisation.
        organisation_id: OrganisationId,
        /// Name.
        organisation_name: String,
    },
    /// Answered with options (earliest first).
    Answered {
        /// Organisation.
        organisation_id: OrganisationId,
        /// Name.
        organisation_name: String,
        /// Its options.
        options: Vec<SlotOption>,
    },
    /// Failed; the others are unaffected.
    Failed {
        /// Organisation.
        organisation_id: OrganisationId,
        /// Name.
        organisation_name: String,
        /// A sentence saying why.
        message: String,
        /// The error.
        error: RemoteError,
    },
}

/// The merged result of a search.
#[derive(Debug, Clone)]
pub struct FindOutcome {
    /// Id of this search.
    pub search_id: String,
    /// The referral searched for.
    pub referral_id: ReferralId,
    /// Organisations asked.
    pub asked: usize,
    /// All options, earliest first (ties in organisation preference order).
    pub options: Vec<SlotOption>,
    /// Organisations that failed, with their errors.
    pub failures: Vec<(OrganisationId, String, RemoteError)>,
}

/// Callback receiving progress (with the search id) as organisations answer.
pub type ProgressFn<'a> = &'a (dyn Fn(&str, &FindProgress) + Send + Sync);

impl App {
    /// Runs `$find` for a referral at `organisation_ids` (empty = the referral's plan), in
    /// `window` (None = the referral's requested window).
    pub async fn find_slots(
        &self,
        referral_id: ReferralId,
        organisation_ids: Vec<String>,
        window: Option<DateWindow>,
        progress: ProgressFn<'_>,
    ) -> CoreResult<FindOutcome> {
        let filter = FindFilter::default();
        self.find_slots_filtered(referral_id, organisation_ids, window, &filter, progress)
            .await
    }

    /// [`App::find_slots`] narrowed to practitioners or locations (`$find` `practitioner`,
    /// `location-reference`, `location-string`).
    pub async fn find_slots_filtered(
        &self,
        referral_id: ReferralId,
        organisation_ids: Vec<String>,
        window: Option<DateWindow>,
        filter: &FindFilter,
        progress: ProgressFn<'_>,
    ) -> CoreResult<FindOutcome> {
        let referral = self.referral(referral_id).await?;
        if referral.status.is_final() {
            return Err(CoreError::Conflict {
                what: "the referral is cancelled".to_owned(),
            });
        }
        let plan = self.plan(&referral).await?;
        let ids = if organisation_ids.is_empty() {
            plan.organisation_ids.clone()
        } else {
            organisation_ids
        };
        let window = window
            .or(referral.requested_window)
            .ok_or_else(|| CoreError::invalid("window", "give a date window to search in"))?;
        self.mark_searching(&referral).await?;
        let mut targets = Vec::new();
        for id in &ids {
            let org_id = OrganisationId::new(id.trim().to_owned())?;
            let mut params = find_params(&referral, window, plan.patient_links.get(id.as_str()));
            filter.apply(&mut params, window);
            targets.push((org_id, params));
        }
        let search_id = self.inner.ids.next_id();
        let mut pending: FuturesUnordered<_> = targets
            .into_iter()
            .enumerate()
            .map(|(rank, (org_id, params))| {
                let search_id = search_id.as_str();
                let report = move |p: &FindProgress| progress(search_id, p);
                async move { self.find_one(rank, org_id, params, filter, &report).await }
            })
            .collect();
        let mut ranked = Vec::new();
        let mut failures = Vec::new();
        while let Some(result) = pending.next().await {
            match result {
                Ok((rank, options)) => ranked.extend(options.into_iter().map(|o| (rank, o))),
                Err(failure) => failures.push(failure),
            }
        }
        drop(pending);
        ranked.sort_by(|(ra, a), (rb, b)| a.start.cmp(&b.start).then(ra.cmp(rb)));
        let outcome = FindOutcome {
            search_id,
            referral_id,
            asked: ids.len(),
            options: ranked.into_iter().map(|(_, o)| o).collect(),
            failures,
        };
        self.record_find(&referral, &outcome, filter.after.is_some())
            .await?;
        Ok(outcome)
    }

    async fn find_one(
        &self,
        rank: usize,
        org_id: OrganisationId,
        params: FindParams,
        filter: &FindFilter,
        progress: &(dyn Fn(&FindProgress) + Send + Sync),
    ) -> Result<(usize, Vec<SlotOption>), (OrganisationId, String, RemoteError)> {
        let connected = self.remote(&org_id).await;
        let (org, remote) = match connected {
            Ok(pair) => pair,
            Err(e) => {
                tracing::warn!(organisation = %org_id, error = %e, "an organisation could not be asked");
                let error = RemoteError::new(RemoteErrorKind::Local, "$find");
                let name = org_id.to_string();
                report_failure(progress, &org_id, &name, &error);
                return Err((org_id, name, error));
            }
        };
        progress(&FindProgress::Asked {
            organisation_id: org_id.clone(),
            organisation_name: org.display_name.clone(),
        });
        let answer = match tokio::time::timeout(FIND_TIMEOUT, remote.find(params)).await {
            Ok(answer) => answer,
            Err(_) => Err(RemoteError::new(RemoteErrorKind::Timeout, "$find")),
        };
        match answer {
            Ok(appointments) => {
                let mut options: Vec<SlotOption> = appointments
                    .iter()
                    .filter_map(|a| SlotOption::from_appointment(&org_id, &org.display_name, a))
                    .filter(|o| filter.keeps(o))
                    .collect();
                options.sort_by_key(|o| o.start);
                progress(&FindProgress::Answered {
                    organisation_id: org_id.clone(),
                    organisation_name: org.display_name.clone(),
                    options: options.clone(),
                });
                Ok((rank, options))
            }
            Err(error) => {
                report_failure(progress, &org_id, &org.display_name, &error);
                Err((org_id, org.display_name, error))
            }
        }
    }

    async fn mark_searching(&self, referral: &Referral) -> CoreResult<()> {
        if matches!(
            referral.status,
            ReferralStatus::Draft | ReferralStatus::Failed
        ) {
            self.change_status(referral, Transition::to(ReferralStatus::Searching, None))
                .await?;
        }
        Ok(())
    }

    async fn record_find(
        &self,
        referral: &Referral,
        outcome: &FindOutcome,
        more: bool,
    ) -> CoreResult<()> {
        self.remember_options(referral.id, &outcome.options, more)
            .await?;
        let mut by_org: std::collections::BTreeMap<&OrganisationId, usize> = Default::default();
        for o in &outcome.options {
            *by_org.entry(&o.organisation_id).or_default() += 1;
        }
        for (org, count) in by_org {
            self.event(
                Some(referral.id),
                EventKind::Find,
                Some(org),
                "$find".to_owned(),
                EventOutcome::Succeeded,
                serde_json::json!({ "options": count, "search": outcome.search_id }),
            )
            .await?;
        }
        for (org, _, error) in &outcome.failures {
            if self
                .db({
                    let org = org.clone();
                    move |s| s.organisation(&org)
                })
                .await
                .is_ok()
            {
                self.failure_event(
                    Some(referral.id),
                    EventKind::Find,
                    org,
                    "$find".into(),
                    error,
                )
                .await?;
            }
        }
        Ok(())
    }
}

fn report_failure(
    progress: &(dyn Fn(&FindProgress) + Send + Sync),
    org: &OrganisationId,
    name: &str,
    e: &RemoteError,
) {
    progress(&FindProgress::Failed {
        organisation_id: org.clone(),
        organisation_name: name.to_owned(),
        message: crate::describe::remote_sentence(name, e),
        error: e.clone(),
    });
}

/// `$find` parameters for a referral: whole days of the window, codes as `system|code` tokens.
pub(crate) fn find_params(
    referral: &Referral,
    window: DateWindow,
    patient_id: Option<&String>,
) -> FindParams {
    let start = window.start.and_time(NaiveTime::MIN).and_utc();
    let end = (window.end + chrono::Days::new(1))
        .and_time(NaiveTime::MIN)
        .and_utc();
    FindParams {
        start: Some(format_instant(&start)),
        end: Some(format_instant(&end)),
        specialty: referral
            .specialty
            .iter()
            .map(|c| Token::new(&c.system, &c.code))
            .collect(),
        visit_type: referral
            .visit_type
            .iter()
            .map(|c| Token::new(&c.system, &c.code))
            .collect(),
        // The coded reason as the OperationDefinition types it: a `system|code` token string.
        reason: referral
            .content
            .reason_code
            .iter()
            .map(|c| Token::new(&c.system, &c.code))
            .collect(),
        patient_reference: patient_id
            .map(|p| format!("Patient/{p}"))
            .into_iter()
            .collect(),
        count: Some(FIND_COUNT),
        // The desk's own id of the referral, for dialects that take it (IHE referral-identifier).
        referral_identifier: Some(fhir_model::Identifier {
            system: Some("urn:ietf:rfc:3986".to_owned()),
            value: Some(format!("urn:uuid:{}", referral.id.0)),
            ..fhir_model::Identifier::default()
        }),
        ..FindParams::default()
    }
}

pub use super::trace::OptionTrace;
