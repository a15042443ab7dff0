//! Recovery on start: interrupted reschedules are finished to a truthful state, every unresolved
//! journal entry is reconciled by reading the organisation back, and orphaned holds (held at the
//! organisation but never recorded by the desk) are released.

use fhir_model::appointment_status as status;
use referral_store::{
    EventKind, EventOutcome, JournalEntry, Operation, ReferralId, ReferralStatus, ResolutionKind,
};
use serde_json::json;

use crate::app::App;
use crate::error::CoreResult;
use crate::workflow::reschedule::Marker;
use referral_store::Transition;

/// What recovery did, for the front end to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Journal entries resolved.
    pub resolved: usize,
    /// Entries left unresolved (organisation unreachable): tried again next start.
    pub left: usize,
    /// Orphaned holds released.
    pub holds_released: usize,
    /// Referrals flagged for a person.
    pub flagged: Vec<ReferralId>,
}

impl App {
    /// Reconciles everything a crash may have left half done.
    pub async fn recover(&self) -> CoreResult<RecoveryReport> {
        let mut report = RecoveryReport::default();
        for (id, marker) in self.markers().await? {
            let Ok(rid) = App::parse_referral_id(&id) else {
                continue;
            };
            self.recover_reschedule(rid, &marker, &mut report).await?;
        }
        let entries = self.db(|s| s.journal().unresolved()).await?;
        for entry in entries {
            match self.reconcile_entry(&entry, &mut report).await {
                Ok(true) => report.resolved += 1,
                Ok(false) | Err(_) => report.left += 1,
            }
        }
        Ok(report)
    }

    async fn recover_reschedule(
        &self,
        rid: ReferralId,
        m: &Marker,
        report: &mut RecoveryReport,
    ) -> CoreResult<()> {
        let referral = self.referral(rid).await?;
        let Ok((org, remote)) = self.remote(&referral.organisation_id).await else {
            return Ok(());
        };
        let Ok(old) = remote.read_appointment(m.old_id.clone()).await else {
            return Ok(());
        };
        let new = match &m.new_id {
            Some(id) => remote.read_appointment(id.clone()).await.ok(),
            None => {
                let trace = serde_json::json!({ "trace": m.trace });
                self.lost_hold(remote.as_ref(), &trace).await
            }
        };
        let mut m = m.clone();
        if m.new_id.is_none() {
            m.new_id = new.as_ref().and_then(|a| a.id.clone());
        }
        let m = &m;
        let old_booked = old.status == status::BOOKED;
        let new_status = new.as_ref().map(|a| a.status.as_str()).unwrap_or("none");
        if new_status == status::PENDING {
            self.release_new(&referral, m).await;
            report.holds_released += 1;
        }
        match (old_booked, new_status) {
            (true, s) if s != status::BOOKED => {
                self.note(rid, &org.id, "reschedule interrupted; the old appointment is still booked and the new time was released").await?;
            }
            (false, s) if s == status::BOOKED => {
                if let Some(a) = &new {
                    self.record_booked(&referral, a, m.comment.clone(), Operation::RescheduleBook)
                        .await?;
                }
                self.note(
                    rid,
                    &org.id,
                    "reschedule completed before the interruption; the new appointment is booked",
                )
                .await?;
            }
            _ => {
                let what = format!(
                    "a reschedule was interrupted: the old appointment is {} and the new one is {new_status} at {}. Check with the organisation and book again if needed.",
                    old.status, org.display_name
                );
                self.flag(rid, &what).await?;
                report.flagged.push(rid);
            }
        }
        for entry in self.db(move |s| s.journal().for_referral(rid)).await? {
            if entry.resolved.is_none() {
                self.resolve(
                    entry.id,
                    ResolutionKind::UnknownReconciled,
                    json!({ "by": "reschedule recovery" }),
                )
                .await?;
                report.resolved += 1;
            }
        }
        self.set_marker(rid, None).await
    }

    pub(crate) async fn note(
        &self,
        rid: ReferralId,
        org: &referral_store::OrganisationId,
        what: &str,
    ) -> CoreResult<()> {
        self.event(
            Some(rid),
            EventKind::Reconcile,
            Some(org),
            "recovery".into(),
            EventOutcome::Succeeded,
            json!({ "note": what }),
        )
        .await
    }

    /// Reads one entry's target back and resolves it. `Ok(false)`: could not tell yet.
    async fn reconcile_entry(
        &self,
        entry: &JournalEntry,
        report: &mut RecoveryReport,
    ) -> CoreResult<bool> {
        let org_id = entry.intent.organisation_id.clone();
        let Ok((_, remote)) = self.remote(&org_id).await else {
            return Ok(false);
        };
        let appointment_id = entry
            .intent
            .request
            .get("appointment_id")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        let referral = match entry.intent.referral_id {
            Some(id) => Some(self.referral(id).await?),
            None => None,
        };
        let (Some(appointment_id), Some(referral)) = (appointment_id, referral) else {
            // Registrations: the server de-duplicates patients, so a repeated registration is
            // harmless; the entry is closed with what is known.
            self.resolve(
                entry.id,
                ResolutionKind::UnknownReconciled,
                json!({ "checked": false }),
            )
            .await?;
            return Ok(true);
        };
        let remote = remote.as_ref();
        match entry.intent.operation {
            Operation::Hold | Operation::RescheduleHold => {
                self.reconcile_hold(entry, &referral, remote, &appointment_id, report)
                    .await
            }
            Operation::Book | Operation::RescheduleBook => {
                self.reconcile_book(entry, &referral, remote, &appointment_id)
                    .await
            }
            _ => {
                self.reconcile_cancel(entry, &referral, remote, &appointment_id)
                    .await
            }
        }
    }

    /// A PATCH to cancelled (cancel, release, reschedule's cancel-old) whose outcome was not
    /// recorded: the appointment's status at the organisation decides.
    async fn reconcile_cancel(
        &self,
        entry: &JournalEntry,
        referral: &referral_store::Referral,
        remote: &dyn crate::remote::Remote,
        appointment_id: &str,
    ) -> CoreResult<bool> {
        let remote_status = match remote.read_appointment(appointment_id.to_owned()).await {
            Ok(a) => a.status,
            Err(e) if e.kind == crate::remote::RemoteErrorKind::NotFound => "none".to_owned(),
            Err(_) => return Ok(false),
        };
        self.after_lost_cancel(referral, entry.intent.operation, &remote_status)
            .await?;
        let detail = json!({ "reads_back_as": remote_status });
        self.resolve(entry.id, ResolutionKind::UnknownReconciled, detail)
            .await?;
        Ok(true)
    }

    /// A `$hold` whose outcome was never recorded: the held appointment (read back by the
    /// proposal's id, or found by practitioner and time because servers re-key held
    /// appointments) is released unless the referral records it as its hold.
    async fn reconcile_hold(
        &self,
        entry: &JournalEntry,
        referral: &referral_store::Referral,
        remote: &dyn crate::remote::Remote,
        proposal: &str,
        report: &mut RecoveryReport,
    ) -> CoreResult<bool> {
        let held = match remote.read_appointment(proposal.to_owned()).await {
            Ok(a) if a.status == status::PENDING => Some(a),
            Ok(_) => self.lost_hold(remote, &entry.intent.request).await,
            Err(e) if e.kind == crate::remote::RemoteErrorKind::NotFound => {
                self.lost_hold(remote, &entry.intent.request).await
            }
            Err(_) => return Ok(false),
        };
        let recorded = |id: &str| {
            referral.status == ReferralStatus::Held
                && referral.appointment.as_ref().is_some_and(|a| a.id == id)
        };
        let mut released = None;
        if let Some(a) = held {
            let id = a.id.clone().unwrap_or_default();
            if !recorded(&id) {
                if remote.cancel(id.clone(), None, None).await.is_err() {
                    return Ok(false);
                }
                report.holds_released += 1;
                self.note(
                    referral.id,
                    &referral.organisation_id,
                    &format!("an orphaned hold on appointment {id} was released"),
                )
                .await?;
                released = Some(id);
            }
        }
        self.resolve(
            entry.id,
            ResolutionKind::UnknownReconciled,
            json!({ "released": released }),
        )
        .await?;
        Ok(true)
    }

    /// A pending appointment at the traced practitioner and start (the lost hold), if any.
    pub(crate) async fn lost_hold(
        &self,
        remote: &dyn crate::remote::Remote,
        request: &serde_json::Value,
    ) -> Option<fhir_model::Appointment> {
        let trace: crate::workflow::find::OptionTrace =
            serde_json::from_value(request.get("trace")?.clone()).ok()?;
        let query = crate::remote::AppointmentQuery {
            practitioner: Some(trace.practitioner.clone()?),
            status: vec![status::PENDING.to_owned()],
            from: Some(trace.start),
            to: Some(trace.end),
            ..crate::remote::AppointmentQuery::default()
        };
        let found = remote.search_appointments(query).await.ok()?;
        found
            .into_iter()
            .find(|a| a.status == status::PENDING && crate::appt::start_of(a) == Some(trace.start))
    }

    pub(crate) async fn after_lost_book(
        &self,
        rid: ReferralId,
        remote_status: &str,
    ) -> CoreResult<()> {
        let current = self.referral(rid).await?;
        let fix = match (current.status, remote_status) {
            (ReferralStatus::Held, s) if s != status::PENDING => {
                Some((ReferralStatus::Searching, "the hold is gone"))
            }
            (ReferralStatus::NeedsAttention, status::PENDING) => Some((
                ReferralStatus::Searching,
                "the booking did not happen; the hold was released",
            )),
            (ReferralStatus::NeedsAttention, _) => {
                Some((ReferralStatus::Searching, "the booking did not happen"))
            }
            _ => None,
        };
        if let Some((to, note)) = fix {
            if remote_status == status::PENDING
                && let Some(a) = &current.appointment
                && let Ok((_, remote)) = self.remote(&current.organisation_id).await
            {
                let _ = remote.cancel(a.id.clone(), None, None).await;
            }
            self.change_status(&current, Transition::to(to, Some(note)))
                .await?;
            self.note_session_hold(rid, false);
        }
        Ok(())
    }

    async fn after_lost_cancel(
        &self,
        referral: &referral_store::Referral,
        op: Operation,
        remote_status: &str,
    ) -> CoreResult<()> {
        if remote_status != status::CANCELLED {
            return self
                .note(
                    referral.id,
                    &referral.organisation_id,
                    &format!(
                        "the cancellation had not gone through; the appointment is {remote_status}"
                    ),
                )
                .await;
        }
        let to = match op {
            Operation::ReleaseHold if referral.status == ReferralStatus::Held => {
                ReferralStatus::Searching
            }
            Operation::Cancel if referral.status != ReferralStatus::Cancelled => {
                ReferralStatus::Cancelled
            }
            _ => return Ok(()),
        };
        self.change_status(referral, Transition::to(to, Some("settled by recovery")))
            .await?;
        self.note(
            referral.id,
            &referral.organisation_id,
            "the cancellation had gone through; recorded",
        )
        .await
    }
}
