//! The home organisation (the EHR the desk works orders from) and its referral queue: migration
//! 12, the home's row in `organisations`, the local copy of the queue ([`orders`]) and the
//! outbox of write-backs to the home ([`outbox`]).
//!
//! The home is an ordinary `organisations` row with `role = 'home'` (key, token URL, scopes and
//! dialect work as for any organisation); at most one exists. [`Store::organisations`] lists the
//! receiving organisations only, so search, sync and Settings never see the home.

pub mod orders;
pub mod outbox;

use referral_model::{NewOrganisation, Organisation};
use rusqlite::{OptionalExtension, params};

use crate::codec::ts;
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::table::organisations;

pub(crate) const MIGRATION_V12: &str = "
ALTER TABLE organisations ADD COLUMN role TEXT NOT NULL DEFAULT 'receiving'
    CHECK (role IN ('receiving', 'home'));
CREATE UNIQUE INDEX organisations_one_home ON organisations (role) WHERE role = 'home';

CREATE TABLE queue_orders (
    order_id        TEXT PRIMARY KEY NOT NULL,
    order_version   TEXT,
    last_updated    TEXT,
    state           TEXT NOT NULL CHECK (state IN ('open', 'closed', 'gone', 'unreadable')),
    order_json      TEXT CHECK (order_json IS NULL OR json_valid(order_json)),
    summary         TEXT NOT NULL CHECK (json_valid(summary)),
    problem         TEXT,
    task_id         TEXT,
    task_version    TEXT,
    task_status     TEXT,
    owner_desk      TEXT,
    owner_display   TEXT,
    lease_end       TEXT,
    business_status TEXT,
    referral_id     TEXT REFERENCES referrals (id),
    seen_at         TEXT NOT NULL
) STRICT;
CREATE INDEX queue_orders_by_state ON queue_orders (state, last_updated);
CREATE UNIQUE INDEX queue_orders_one_referral ON queue_orders (referral_id)
    WHERE referral_id IS NOT NULL;

CREATE TABLE home_outbox (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    order_id     TEXT NOT NULL,
    operation    TEXT NOT NULL
        CHECK (operation IN ('claim', 'start', 'release', 'outcome', 'renew')),
    base_version TEXT,
    body         TEXT NOT NULL CHECK (json_valid(body)),
    started_at   TEXT NOT NULL,
    resolved_at  TEXT,
    resolution   TEXT CHECK (resolution IN ('applied', 'already-applied', 'refused')),
    detail       TEXT,
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
) STRICT;
CREATE INDEX home_outbox_unresolved ON home_outbox (id) WHERE resolved_at IS NULL;
CREATE INDEX home_outbox_by_order ON home_outbox (order_id, id);
CREATE TRIGGER home_outbox_resolution_is_final BEFORE UPDATE ON home_outbox
WHEN OLD.resolved_at IS NOT NULL OR NEW.key IS NOT OLD.key OR NEW.operation IS NOT OLD.operation
  OR NEW.body IS NOT OLD.body OR NEW.order_id IS NOT OLD.order_id
  OR NEW.base_version IS NOT OLD.base_version OR NEW.started_at IS NOT OLD.started_at
BEGIN SELECT RAISE(ABORT, 'outbox entries are written once and resolved once'); END;
CREATE TRIGGER home_outbox_no_delete BEFORE DELETE ON home_outbox
BEGIN SELECT RAISE(ABORT, 'outbox entries are never deleted'); END;
";

impl Store {
    /// The home organisation, if one is set.
    pub fn home_organisation(&self) -> Result<Option<Organisation>> {
        self.read(organisations::home)
    }

    /// Makes `home` THE home organisation: the existing home row (whatever its id) is replaced
    /// by these details, or a new row is added. Its capability report is dropped when the base
    /// URL changes, as it would be for any organisation edited to point elsewhere.
    pub fn save_home_organisation(&self, home: &NewOrganisation) -> Result<Organisation> {
        let checked = organisations::Checked::new(home)?;
        self.write(|tx, now| {
            let clash: Option<String> = tx
                .query_row(
                    "SELECT role FROM organisations WHERE id = ?1",
                    [&home.id],
                    |row| row.get(0),
                )
                .optional()?;
            if clash.as_deref() == Some("receiving") {
                return Err(StoreError::DuplicateOrganisation(home.id.clone()));
            }
            tx.execute(
                "DELETE FROM organisations WHERE role = 'home' AND id <> ?1",
                [&home.id],
            )?;
            tx.execute(
                "INSERT INTO organisations (id, display_name, fhir_base_url, client_id, key_ref, \
                 scopes, token_endpoint, capability_json, capability_read_at, enabled, \
                 is_sandbox, created_at, updated_at, dialect, role) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL, 1, ?8, ?9, ?9, NULL, 'home') \
                 ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, \
                 capability_json = CASE WHEN fhir_base_url = excluded.fhir_base_url \
                     THEN capability_json END, \
                 capability_read_at = CASE WHEN fhir_base_url = excluded.fhir_base_url \
                     THEN capability_read_at END, \
                 fhir_base_url = excluded.fhir_base_url, client_id = excluded.client_id, \
                 key_ref = excluded.key_ref, scopes = excluded.scopes, \
                 token_endpoint = excluded.token_endpoint, is_sandbox = excluded.is_sandbox, \
                 updated_at = excluded.updated_at, role = 'home'",
                params![
                    home.id,
                    checked.display_name,
                    checked.base_url,
                    checked.client_id,
                    checked.key_ref,
                    checked.scopes,
                    checked.token_endpoint,
                    home.is_sandbox,
                    ts(now)
                ],
            )?;
            organisations::get(tx, &home.id)
        })
    }
}
