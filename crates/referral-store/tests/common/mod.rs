//! Fixtures shared by the table tests: a manual clock, an organisation and a referral.
#![allow(
    dead_code,
    reason = "each test file uses a different part of the fixtures"
)]
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use referral_store::{
    BookingRecord, Coded, DateWindow, EventKind, EventOutcome, HoldRecord, ManualClock, NewEvent,
    NewOrganisation, NewReferral, OrganisationId, PatientSummary, Priority, Referral, ReferralId,
    ReferralStatus, Result, Store, Transition,
};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(t0()))
}

pub fn org_id(slug: &str) -> OrganisationId {
    OrganisationId::new(slug).unwrap()
}

pub fn new_org(slug: &str) -> NewOrganisation {
    NewOrganisation {
        id: org_id(slug),
        display_name: format!("Clinic {slug}"),
        fhir_base_url: format!("https://{slug}.example.org/fhir"),
        client_id: format!("refdesk-{slug}"),
        key_ref: "refdesk-es384-2026".into(),
        scopes: vec!["system/Appointment.*".into(), "system/Patient.read".into()],
        token_endpoint: None,
        enabled: true,
        is_sandbox: false,
    }
}

pub fn patient(display: &str, family: &str, given: &str, mrn: &str) -> PatientSummary {
    PatientSummary {
        display_name: display.into(),
        family: Some(family.into()),
        given: Some(given.into()),
        birth_date: NaiveDate::from_ymd_opt(1961, 7, 14),
        gender: None,
        home_mrn: Some(mrn.into()),
        target_patient_id: None,
    }
}

pub fn new_referral(org: &str, patient: PatientSummary) -> NewReferral {
    NewReferral {
        patient,
        organisation_id: org_id(org),
        specialty: Some(Coded {
            system: "http://snomed.info/sct".into(),
            code: "394579002".into(),
            display: Some("Cardiology".into()),
        }),
        visit_type: None,
        reason: Some("Exertional chest pain".into()),
        priority: Priority::Routine,
        requested_window: Some(DateWindow {
            start: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
        }),
        created_by: "nurse.jones".into(),
        content: Default::default(),
    }
}

/// An in-memory store on a manual clock with organisation `north` in the directory.
pub fn store_with_org() -> (Store, Arc<ManualClock>) {
    let clock = clock();
    let store = Store::in_memory_with_clock(clock.clone()).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    (store, clock)
}

pub fn smith() -> NewReferral {
    new_referral("north", patient("Anna Smith", "Smith", "Anna", "MRN-0042"))
}

/// The status steps the tests take, each through [`Store::transition`] with a stock event (the
/// store has no way to change a status without its event).
pub trait Steps {
    fn set_status(
        &self,
        id: ReferralId,
        version: i64,
        to: ReferralStatus,
        note: Option<&str>,
    ) -> Result<Referral>;
    fn record_hold(&self, id: ReferralId, version: i64, hold: &HoldRecord) -> Result<Referral>;
    fn record_booking(&self, id: ReferralId, version: i64, b: &BookingRecord) -> Result<Referral>;
    fn record_reschedule(
        &self,
        id: ReferralId,
        version: i64,
        b: &BookingRecord,
    ) -> Result<Referral>;
}

pub fn status_event(request: &str) -> NewEvent {
    NewEvent {
        referral_id: None,
        kind: EventKind::StatusChange,
        organisation_id: None,
        request: request.to_owned(),
        outcome: EventOutcome::Succeeded,
        detail: None,
    }
}

impl Steps for Store {
    fn set_status(
        &self,
        id: ReferralId,
        version: i64,
        to: ReferralStatus,
        note: Option<&str>,
    ) -> Result<Referral> {
        let event = status_event(&format!("status {to}"));
        self.transition(id, version, &Transition::to(to, note), &event)
    }
    fn record_hold(&self, id: ReferralId, version: i64, hold: &HoldRecord) -> Result<Referral> {
        let step = Transition::Hold(hold.clone());
        self.transition(id, version, &step, &status_event("$hold"))
    }
    fn record_booking(&self, id: ReferralId, version: i64, b: &BookingRecord) -> Result<Referral> {
        let step = Transition::Booking(b.clone());
        self.transition(id, version, &step, &status_event("$book"))
    }
    fn record_reschedule(
        &self,
        id: ReferralId,
        version: i64,
        b: &BookingRecord,
    ) -> Result<Referral> {
        let step = Transition::Reschedule(b.clone());
        self.transition(id, version, &step, &status_event("reschedule"))
    }
}
