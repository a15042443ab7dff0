//! The schema's history: every table module's migrations, in the order they were released.
//!
//! The schema version is SQLite's `user_version`, kept by `rusqlite_migration`. Append only: a
//! released step is never edited, because files in the field have already run it.

use rusqlite::Connection;
use rusqlite_migration::{M, MigrationDefinitionError, Migrations};

use crate::error::{Result, StoreError};
use crate::table::{
    home, journal, organisation_keys, organisations, referral_events, referrals, settings,
};

static STEPS: &[M<'static>] = &[
    M::up(organisations::MIGRATION_V1).comment("organisations directory"),
    M::up(referrals::MIGRATION_V2).comment("referrals and worklist indexes"),
    M::up(referral_events::MIGRATION_V3).comment("append-only audit trail"),
    M::up(journal::MIGRATION_V4).comment("journal of intents"),
    M::up(settings::MIGRATION_V5).comment("settings"),
    M::up(referrals::MIGRATION_V6).comment("trigram index for substring search"),
    M::up(crate::actor::MIGRATION_V7).comment("who did it: user and workstation"),
    M::up(referrals::MIGRATION_V8).comment("referral content: reason code, due by, referrer, note"),
    M::up(referrals::MIGRATION_V9).comment("status cancelled-by-organisation"),
    M::up(organisation_keys::MIGRATION_V10)
        .comment("the key (kid, alg) each organisation signs with"),
    M::up(organisations::MIGRATION_V11).comment("the dialect override of each organisation"),
    M::up(home::MIGRATION_V12).comment("the home organisation, its queue of orders and outbox"),
];

/// The schema version this build writes.
pub const LATEST_VERSION: usize = STEPS.len();

/// The full migration list; public so tests can build files at an older version.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(STEPS)
}

/// Brings `conn` to [`LATEST_VERSION`]; refuses files from a newer program.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::MigrationDefinition(
            MigrationDefinitionError::DatabaseTooFarAhead,
        ) => StoreError::SchemaTooNew,
        other => StoreError::Migration(other),
    })
}
