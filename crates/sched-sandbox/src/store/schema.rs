//! The database schema. Times are UTC epoch seconds so range queries use the indexes.

use rusqlite::Connection;

use crate::error::StoreError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    org TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (org, key));
CREATE TABLE IF NOT EXISTS counter (
    org TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (org, name));
-- Directory resources, patients, coverages, subscriptions: JSON by type and id.
CREATE TABLE IF NOT EXISTS resource (
    org TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
    version INTEGER NOT NULL, updated TEXT NOT NULL, json TEXT NOT NULL,
    PRIMARY KEY (org, type, id));
-- Published slots; `status` is the schedule's own (free or busy), claims come on top.
CREATE TABLE IF NOT EXISTS slot (
    org TEXT NOT NULL, id TEXT NOT NULL, schedule TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, status TEXT NOT NULL, json TEXT NOT NULL,
    PRIMARY KEY (org, id));
-- Covering index for `$find`: a schedule's slots by start without touching the table.
CREATE INDEX IF NOT EXISTS slot_by_schedule ON slot (org, schedule, start, status, end, id);
CREATE INDEX IF NOT EXISTS slot_by_time ON slot (org, start);
-- R4 Slot search pages by (start, id): read in index order, stopping at the page's end.
CREATE INDEX IF NOT EXISTS slot_by_time_id ON slot (org, start, id);
-- One row per slot taken by a pending or booked appointment: the primary key is the
-- at-most-once guarantee.
CREATE TABLE IF NOT EXISTS slot_claim (
    org TEXT NOT NULL, slot TEXT NOT NULL, appointment TEXT NOT NULL,
    PRIMARY KEY (org, slot));
CREATE INDEX IF NOT EXISTS claim_by_appointment ON slot_claim (org, appointment);
CREATE TABLE IF NOT EXISTS appointment (
    org TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
    start INTEGER, end INTEGER, hold_expires INTEGER, json TEXT NOT NULL,
    PRIMARY KEY (org, id));
CREATE INDEX IF NOT EXISTS appointment_holds ON appointment (org, status, hold_expires);
-- A slot's version for R4 `If-Match` (absent = 1): bumped whenever a claim on it comes or goes.
CREATE TABLE IF NOT EXISTS slot_version (
    org TEXT NOT NULL, slot TEXT NOT NULL, version INTEGER NOT NULL,
    PRIMARY KEY (org, slot));
";

pub fn migrate(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(SCHEMA)?;
    Ok(())
}
