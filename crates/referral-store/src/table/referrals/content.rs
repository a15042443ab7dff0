//! The referral's content columns (schema version 8): coded reason, due-by day, referrer and
//! note, read and written beside the rest of the row. Kept in their own module so the original
//! table definition (`row.rs`, version 2) stays as released.

use referral_model::{Coded, ReferralContent, Referrer};
use rusqlite::{Row, Transaction, params};

use crate::codec::{date, get_opt_date};
use referral_model::ReferralId;

/// Added columns are all nullable, so files from older versions keep every row unchanged. The
/// due-by order index puts referrals without a due day last, like the other date orders.
pub(crate) const MIGRATION_V8: &str = "
ALTER TABLE referrals ADD COLUMN reason_code_system TEXT;
ALTER TABLE referrals ADD COLUMN reason_code TEXT;
ALTER TABLE referrals ADD COLUMN reason_code_display TEXT;
ALTER TABLE referrals ADD COLUMN due_by TEXT;
ALTER TABLE referrals ADD COLUMN referrer_name TEXT;
ALTER TABLE referrals ADD COLUMN referrer_npi TEXT;
ALTER TABLE referrals ADD COLUMN referrer_phone TEXT;
ALTER TABLE referrals ADD COLUMN note TEXT;
CREATE INDEX referrals_due_order ON referrals (due_by IS NULL, due_by);
";

/// Reads the content (its columns follow the original ones in `row::COLUMNS`) starting at column `at`.
pub(crate) fn from_row(row: &Row<'_>, at: usize) -> rusqlite::Result<ReferralContent> {
    let system: Option<String> = row.get(at)?;
    let code: Option<String> = row.get(at + 1)?;
    let reason_code = match (system, code) {
        (Some(system), Some(code)) => Some(Coded {
            system,
            code,
            display: row.get(at + 2)?,
        }),
        _ => None,
    };
    let name: Option<String> = row.get(at + 4)?;
    let phone: Option<String> = row.get(at + 6)?;
    let referrer = match (name, phone) {
        (Some(name), Some(phone)) => Some(Referrer {
            name,
            npi: row.get(at + 5)?,
            phone,
        }),
        _ => None,
    };
    Ok(ReferralContent {
        reason_code,
        due_by: get_opt_date(row, at + 3)?,
        referrer,
        note: row.get(at + 7)?,
    })
}

/// Writes the content of a just-inserted referral.
pub(crate) fn write(
    tx: &Transaction<'_>,
    id: ReferralId,
    c: &ReferralContent,
) -> rusqlite::Result<()> {
    let reason = c.reason_code.as_ref();
    let referrer = c.referrer.as_ref();
    tx.prepare_cached(
        "UPDATE referrals SET reason_code_system = ?2, reason_code = ?3, \
         reason_code_display = ?4, due_by = ?5, referrer_name = ?6, referrer_npi = ?7, \
         referrer_phone = ?8, note = ?9 WHERE id = ?1",
    )?
    .execute(params![
        id,
        reason.map(|r| &r.system),
        reason.map(|r| &r.code),
        reason.and_then(|r| r.display.as_ref()),
        c.due_by.map(date),
        referrer.map(|r| &r.name),
        referrer.and_then(|r| r.npi.as_ref()),
        referrer.map(|r| &r.phone),
        c.note,
    ])?;
    Ok(())
}
