//! Migration V9: the `cancelled-by-organisation` status joins the `status` CHECK list.
//!
//! Why `writable_schema` and not a table rebuild: the change only widens a CHECK constraint, so
//! every row already stored stays valid and nothing on disk moves; SQLite documents editing the
//! stored `CREATE TABLE` text for exactly this case. A rebuild would have to drop a table that
//! the journal and the audit trail point at. `RESET` makes this connection re-read the schema,
//! and the new index (useful on its own: a sync lists one organisation's open referrals) changes
//! the schema cookie so other connections re-read it too.

pub(crate) const MIGRATION_V9: &str = "
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''needs-attention'')', '''needs-attention'', ''cancelled-by-organisation'')')
 WHERE type = 'table' AND name = 'referrals';
PRAGMA writable_schema = RESET;
CREATE INDEX referrals_organisation_status ON referrals (organisation_id, status);
";
