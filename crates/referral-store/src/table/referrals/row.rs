//! The `referrals` table itself: its migration, its columns and the mapping to `Referral`.

use chrono::{DateTime, Utc};
use rusqlite::{Row, Transaction, params};

use crate::codec::{date, get_opt_date, get_opt_ts, get_ts, ts};
use referral_model::ReferralId;
use referral_model::ReferralStatus;
use referral_model::{AppointmentRef, Coded, DateWindow, NewReferral, PatientSummary, Referral};

/// Search keys (`*_key`) hold the Unicode lower-case, space-collapsed form of names and MRN,
/// computed in Rust (SQLite's `lower()` is ASCII-only), so that case-insensitive prefix search is
/// an index range scan. The indexes match the worklist's filters and orders; `rowid` is the
/// tie-breaker because every index already ends with it.
pub(crate) const MIGRATION_V2: &str = "
CREATE TABLE referrals (
    id                      TEXT PRIMARY KEY NOT NULL,
    version                 INTEGER NOT NULL CHECK (version >= 1),
    status                  TEXT NOT NULL CHECK (status IN ('draft', 'searching', 'held',
                                'booked', 'cancelled', 'rescheduled', 'failed', 'needs-attention')),
    organisation_id         TEXT NOT NULL REFERENCES organisations (id),
    patient_display         TEXT NOT NULL CHECK (length(trim(patient_display)) > 0),
    patient_family          TEXT,
    patient_given           TEXT,
    patient_birth_date      TEXT,
    patient_gender          TEXT,
    home_mrn                TEXT,
    target_patient_id       TEXT,
    specialty_system        TEXT,
    specialty_code          TEXT,
    specialty_display       TEXT,
    visit_type_system       TEXT,
    visit_type_code         TEXT,
    visit_type_display      TEXT,
    reason                  TEXT,
    priority                TEXT NOT NULL CHECK (priority IN ('routine', 'urgent', 'asap', 'stat')),
    requested_start         TEXT,
    requested_end           TEXT,
    appointment_id          TEXT,
    appointment_version     TEXT,
    previous_appointment_id TEXT,
    hold_expires_at         TEXT,
    booked_start            TEXT,
    booked_end              TEXT,
    practitioner_display    TEXT,
    location_display        TEXT,
    booking_comment         TEXT,
    status_note             TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    created_by              TEXT NOT NULL,
    family_key              TEXT,
    given_key               TEXT,
    display_key             TEXT NOT NULL,
    mrn_key                 TEXT,
    CHECK ((requested_start IS NULL) = (requested_end IS NULL)),
    CHECK (requested_start IS NULL OR requested_start <= requested_end)
) STRICT;
CREATE INDEX referrals_status_updated ON referrals (status, updated_at);
CREATE INDEX referrals_org_updated ON referrals (organisation_id, updated_at);
CREATE INDEX referrals_updated ON referrals (updated_at);
CREATE INDEX referrals_created ON referrals (created_at);
CREATE INDEX referrals_requested_start ON referrals (requested_start);
CREATE INDEX referrals_booked_start ON referrals (booked_start);
-- The date orders put referrals without the date last; SQLite sorts NULL first, so these
-- expression indexes give the dated-first order without sorting the whole worklist.
CREATE INDEX referrals_requested_order ON referrals (requested_start IS NULL, requested_start);
CREATE INDEX referrals_booked_order ON referrals (booked_start IS NULL, booked_start);
-- The usual date views are per status (booked by appointment date, open ones by window).
CREATE INDEX referrals_status_requested_order
    ON referrals (status, requested_start IS NULL, requested_start);
CREATE INDEX referrals_status_booked_order ON referrals (status, booked_start IS NULL, booked_start);
CREATE INDEX referrals_family_key ON referrals (family_key);
CREATE INDEX referrals_given_key ON referrals (given_key);
CREATE INDEX referrals_display_key ON referrals (display_key);
CREATE INDEX referrals_mrn_key ON referrals (mrn_key);
";

pub(crate) const COLUMNS: &str = "id, version, status, organisation_id, patient_display, \
    patient_family, patient_given, patient_birth_date, patient_gender, home_mrn, \
    target_patient_id, specialty_system, specialty_code, specialty_display, visit_type_system, \
    visit_type_code, visit_type_display, reason, priority, requested_start, requested_end, \
    appointment_id, appointment_version, previous_appointment_id, hold_expires_at, booked_start, \
    booked_end, practitioner_display, location_display, booking_comment, status_note, \
    created_at, updated_at, created_by, reason_code_system, reason_code, reason_code_display, \
    due_by, referrer_name, referrer_npi, referrer_phone, note";

/// The form search keys take, for stored values and for queries alike.
pub(crate) fn search_key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn coded(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Coded>> {
    let system: Option<String> = row.get(at)?;
    let code: Option<String> = row.get(at + 1)?;
    Ok(match (system, code) {
        (Some(system), Some(code)) => Some(Coded {
            system,
            code,
            display: row.get(at + 2)?,
        }),
        _ => None,
    })
}

fn patient(row: &Row<'_>) -> rusqlite::Result<PatientSummary> {
    Ok(PatientSummary {
        display_name: row.get(4)?,
        family: row.get(5)?,
        given: row.get(6)?,
        birth_date: get_opt_date(row, 7)?,
        gender: row.get(8)?,
        home_mrn: row.get(9)?,
        target_patient_id: row.get(10)?,
    })
}

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Referral> {
    let window = match (get_opt_date(row, 19)?, get_opt_date(row, 20)?) {
        (Some(start), Some(end)) => Some(DateWindow { start, end }),
        _ => None,
    };
    let appointment_id: Option<String> = row.get(21)?;
    let appointment_version: Option<String> = row.get(22)?;
    let appointment = appointment_id.map(|id| AppointmentRef {
        id,
        version: appointment_version,
    });
    Ok(Referral {
        id: row.get(0)?,
        version: row.get(1)?,
        status: row.get(2)?,
        organisation_id: row.get(3)?,
        patient: patient(row)?,
        specialty: coded(row, 11)?,
        visit_type: coded(row, 14)?,
        reason: row.get(17)?,
        priority: row.get(18)?,
        requested_window: window,
        appointment,
        previous_appointment_id: row.get(23)?,
        hold_expires_at: get_opt_ts(row, 24)?,
        booked_start: get_opt_ts(row, 25)?,
        booked_end: get_opt_ts(row, 26)?,
        practitioner_display: row.get(27)?,
        location_display: row.get(28)?,
        booking_comment: row.get(29)?,
        status_note: row.get(30)?,
        created_at: get_ts(row, 31)?,
        updated_at: get_ts(row, 32)?,
        created_by: row.get(33)?,
        content: super::content::from_row(row, 34)?,
    })
}

/// Inserts a validated new referral as `draft`, version 1.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    id: ReferralId,
    new: &NewReferral,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    let p = &new.patient;
    let (sp_system, sp_code, sp_display) = split_coded(new.specialty.as_ref());
    let (vt_system, vt_code, vt_display) = split_coded(new.visit_type.as_ref());
    let window = new.requested_window;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO referrals (id, version, status, organisation_id, patient_display, \
         patient_family, patient_given, patient_birth_date, patient_gender, home_mrn, \
         target_patient_id, specialty_system, specialty_code, specialty_display, \
         visit_type_system, visit_type_code, visit_type_display, reason, priority, \
         requested_start, requested_end, created_at, updated_at, created_by, \
         family_key, given_key, display_key, mrn_key) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
         ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?21, ?22, ?23, ?24, \
         ?25, ?26)",
    )?;
    stmt.execute(params![
        id,
        ReferralStatus::Draft,
        new.organisation_id,
        p.display_name,
        p.family,
        p.given,
        p.birth_date.map(date),
        p.gender,
        p.home_mrn,
        p.target_patient_id,
        sp_system,
        sp_code,
        sp_display,
        vt_system,
        vt_code,
        vt_display,
        new.reason,
        new.priority,
        window.map(|w| date(w.start)),
        window.map(|w| date(w.end)),
        ts(now),
        new.created_by,
        p.family.as_deref().map(search_key),
        p.given.as_deref().map(search_key),
        search_key(&p.display_name),
        p.home_mrn.as_deref().map(search_key),
    ])?;
    super::content::write(tx, id, &new.content)
}

fn split_coded(c: Option<&Coded>) -> (Option<&str>, Option<&str>, Option<&str>) {
    match c {
        Some(c) => (Some(&c.system), Some(&c.code), c.display.as_deref()),
        None => (None, None, None),
    }
}
