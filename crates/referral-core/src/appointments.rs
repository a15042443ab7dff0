//! A patient's and a practitioner's appointments across organisations, and reconciling the
//! worklist with what the organisations say (a cancellation on their side shows up here).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use fhir_model::{Appointment, appointment_status as status};
use referral_store::{
    MatchMode, OrganisationId, Referral, ReferralStatus, TextFilter, WorklistQuery,
};

use crate::app::App;
use crate::appt;
use crate::error::CoreResult;
use crate::patients::HOME_MRN_SYSTEM;
use crate::remote::{AppointmentQuery, PatientQuery, RemoteError};

/// Whose appointments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A patient by home MRN.
    Patient(String),
    /// A practitioner (id or reference as the organisations know them).
    Practitioner(String),
}

/// One appointment at one organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentRow {
    /// Organisation.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub organisation_name: String,
    /// The appointment.
    pub appointment: Appointment,
    /// Our referral for it, if any.
    pub referral_id: Option<referral_store::ReferralId>,
}

/// The merged answer.
#[derive(Debug, Clone, Default)]
pub struct AppointmentListing {
    /// Earliest first.
    pub rows: Vec<AppointmentRow>,
    /// Organisations that could not answer.
    pub errors: Vec<(OrganisationId, String, RemoteError)>,
}

impl App {
    /// Appointments of `subject` in `[from, to]` at every enabled organisation; the worklist is
    /// reconciled with what they say.
    pub async fn appointments(
        &self,
        subject: Subject,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> CoreResult<AppointmentListing> {
        let ours = self.booked_referrals().await?;
        let mut out = AppointmentListing::default();
        let window = (
            from.map(day_start),
            to.map(|d| day_start(d + chrono::Days::new(1))),
        );
        for org in self.organisations(false).await? {
            let remote = match self.remote(&org.id).await {
                Ok((_, remote)) => remote,
                Err(e) => {
                    tracing::warn!(organisation = %org.id, error = %e, "an organisation could not be asked");
                    let why = RemoteError::new(crate::remote::RemoteErrorKind::Local, "connect");
                    out.errors
                        .push((org.id.clone(), org.display_name.clone(), why));
                    continue;
                }
            };
            match self
                .appointments_at(&org, remote.as_ref(), &subject, window, &ours)
                .await
            {
                Ok(rows) => out.rows.extend(rows),
                Err(e) => out
                    .errors
                    .push((org.id.clone(), org.display_name.clone(), e)),
            }
        }
        out.rows.sort_by_key(|r| appt::start_of(&r.appointment));
        for row in &out.rows {
            if let Some(rid) = row.referral_id
                && row.appointment.status == status::CANCELLED
            {
                self.mark_cancelled_remotely(rid, &row.organisation_name)
                    .await?;
            }
        }
        Ok(out)
    }

    /// One organisation's appointments of `subject`, each linked to our referral when it is one.
    async fn appointments_at(
        &self,
        org: &referral_store::Organisation,
        remote: &dyn crate::remote::Remote,
        subject: &Subject,
        (from, to): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        ours: &[Referral],
    ) -> Result<Vec<AppointmentRow>, RemoteError> {
        let mut query = AppointmentQuery {
            from,
            to,
            ..AppointmentQuery::default()
        };
        match subject {
            Subject::Practitioner(p) => query.practitioner = Some(p.clone()),
            Subject::Patient(mrn) => {
                let known = ours
                    .iter()
                    .find(|r| {
                        r.organisation_id == org.id
                            && r.patient.home_mrn.as_deref() == Some(mrn.as_str())
                    })
                    .and_then(|r| r.patient.target_patient_id.clone());
                let id = match known {
                    Some(id) => Some(id),
                    None => {
                        let q = PatientQuery {
                            identifier: Some(format!("{HOME_MRN_SYSTEM}|{mrn}")),
                            ..PatientQuery::default()
                        };
                        remote
                            .search_patients(q)
                            .await?
                            .first()
                            .and_then(|h| h.patient.id.clone())
                    }
                };
                let Some(id) = id else { return Ok(Vec::new()) };
                query.patient = Some(id);
            }
        }
        let list = remote.search_appointments(query).await?;
        Ok(list
            .into_iter()
            .map(|a| {
                let referral_id = ours
                    .iter()
                    .find(|r| {
                        r.organisation_id == org.id
                            && r.appointment.as_ref().map(|x| &x.id) == a.id.as_ref()
                    })
                    .map(|r| r.id);
                AppointmentRow {
                    organisation_id: org.id.clone(),
                    organisation_name: org.display_name.clone(),
                    appointment: a,
                    referral_id,
                }
            })
            .collect())
    }

    /// Brings the worklist in step with the organisations (the batched
    /// [`App::sync_with_organisations`]). Returns the referrals changed.
    pub async fn reconcile_worklist(&self) -> CoreResult<Vec<Referral>> {
        let report = self.sync_with_organisations().await?;
        Ok(report.changes.into_iter().map(|c| c.referral).collect())
    }

    async fn booked_referrals(&self) -> CoreResult<Vec<Referral>> {
        let query = WorklistQuery {
            statuses: vec![ReferralStatus::Booked, ReferralStatus::Rescheduled],
            limit: referral_store::MAX_PAGE,
            ..WorklistQuery::default()
        };
        self.worklist(query).await
    }

    /// Worklist rows matching a home MRN.
    pub async fn referrals_for_mrn(&self, mrn: &str) -> CoreResult<Vec<Referral>> {
        let query = WorklistQuery {
            mrn: Some(TextFilter {
                text: mrn.to_owned(),
                mode: MatchMode::Prefix,
            }),
            limit: referral_store::MAX_PAGE,
            ..WorklistQuery::default()
        };
        self.worklist(query).await
    }

    /// A listed appointment of ours that the organisation cancelled: the referral becomes
    /// `cancelled-by-organisation` (once; a final referral is left alone).
    async fn mark_cancelled_remotely(
        &self,
        rid: referral_store::ReferralId,
        org_name: &str,
    ) -> CoreResult<Referral> {
        let current = self.referral(rid).await?;
        if !current
            .status
            .can_become(ReferralStatus::CancelledByOrganisation)
        {
            return Ok(current);
        }
        self.cancelled_there(&current, org_name).await
    }

    /// Releases the holds this app took and did not book, and stops the sandbox: call on close.
    pub async fn shutdown(&self) -> CoreResult<usize> {
        let mut released = 0;
        for rid in self.session_holds() {
            if self.release_hold(rid).await.unwrap_or(false) {
                released += 1;
            }
        }
        self.stop_sandbox().await;
        Ok(released)
    }
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}
