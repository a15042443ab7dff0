//! Slots as an R4 server shows them: the effective status (`free`, `busy-tentative` while a
//! pending hold claims it, `busy` when booked or published busy) and a version for `If-Match`
//! that moves whenever a claim on the slot comes or goes.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use crate::error::StoreError;

/// One slot with its effective state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRow {
    pub id: String,
    pub schedule: String,
    pub start: i64,
    pub end: i64,
    /// `free`, `busy-tentative` or `busy`.
    pub state: String,
    pub version: i64,
    /// The appointment claiming it, if any.
    pub holder: Option<String>,
    /// The stored (STU3) JSON.
    pub json: String,
}

/// A plain-R4 Slot search.
#[derive(Debug, Clone, Default)]
pub struct R4SlotQuery {
    pub schedules: Option<Vec<String>>,
    pub ids: Option<Vec<String>>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Effective statuses wanted (any of).
    pub statuses: Option<Vec<String>>,
    pub offset: u32,
    /// Rows to return; one more is read to know whether a next page exists.
    pub count: u32,
}

const STATE: &str = "CASE WHEN s.status <> 'free' THEN 'busy' WHEN c.appointment IS NULL THEN 'free' \
     WHEN a.status = 'pending' THEN 'busy-tentative' ELSE 'busy' END";

const FROM: &str = "FROM slot s \
     LEFT JOIN slot_claim c ON c.org = s.org AND c.slot = s.id \
     LEFT JOIN appointment a ON a.org = c.org AND a.id = c.appointment \
     LEFT JOIN slot_version v ON v.org = s.org AND v.slot = s.id";

fn columns() -> String {
    format!(
        "s.id, s.schedule, s.start, s.end, {STATE}, COALESCE(v.version, 1), c.appointment, s.json"
    )
}

fn row(r: &Row<'_>) -> rusqlite::Result<SlotRow> {
    Ok(SlotRow {
        id: r.get(0)?,
        schedule: r.get(1)?,
        start: r.get(2)?,
        end: r.get(3)?,
        state: r.get(4)?,
        version: r.get(5)?,
        holder: r.get(6)?,
        json: r.get(7)?,
    })
}

/// One slot by id.
pub fn r4_slot(c: &Connection, org: &str, id: &str) -> Result<Option<SlotRow>, StoreError> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {} {FROM} WHERE s.org = ?1 AND s.id = ?2",
        columns()
    ))?;
    Ok(stmt.query_row(params![org, id], row).optional()?)
}

fn in_list(col: &str, list: &[String], args: &mut Vec<Value>) -> String {
    if list.is_empty() {
        return "0".to_owned();
    }
    let marks: Vec<String> = list
        .iter()
        .map(|v| {
            args.push(Value::from(v.clone()));
            format!("?{}", args.len())
        })
        .collect();
    format!("{col} IN ({})", marks.join(","))
}

/// Slots matching `q` by start then id: up to `count + 1` rows (the extra one says a next page
/// exists). No total is counted: counting every match cost more than the page itself.
pub fn r4_slots(c: &Connection, org: &str, q: &R4SlotQuery) -> Result<Vec<SlotRow>, StoreError> {
    let mut args: Vec<Value> = vec![org.to_owned().into()];
    let mut cond = vec!["s.org = ?1".to_owned()];
    if let Some(from) = q.from {
        args.push(from.into());
        cond.push(format!("s.start >= ?{}", args.len()));
    }
    if let Some(to) = q.to {
        args.push(to.into());
        cond.push(format!("s.start < ?{}", args.len()));
    }
    if let Some(list) = &q.schedules {
        cond.push(in_list("s.schedule", list, &mut args));
    }
    if let Some(list) = &q.ids {
        cond.push(in_list("s.id", list, &mut args));
    }
    if let Some(list) = &q.statuses {
        cond.push(in_list(&format!("({STATE})"), list, &mut args));
    }
    let sql = format!(
        "SELECT {} {FROM} WHERE {} ORDER BY s.start, s.id LIMIT {} OFFSET {}",
        columns(),
        cond.join(" AND "),
        u64::from(q.count) + 1,
        q.offset
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Moves the version of each slot on.
pub fn bump_versions(c: &Connection, org: &str, ids: &[String]) -> Result<(), StoreError> {
    let mut stmt = c.prepare_cached(
        "INSERT INTO slot_version(org, slot, version) VALUES (?1, ?2, 2)
         ON CONFLICT(org, slot) DO UPDATE SET version = version + 1",
    )?;
    for id in ids {
        stmt.execute(params![org, id])?;
    }
    Ok(())
}

/// Moves the version of every slot `appointment` claims on (before the claims go).
pub fn bump_claimed_by(c: &Connection, org: &str, appointment: &str) -> Result<(), StoreError> {
    let ids: Vec<String> = {
        let mut stmt =
            c.prepare_cached("SELECT slot FROM slot_claim WHERE org = ?1 AND appointment = ?2")?;
        let rows = stmt.query_map(params![org, appointment], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    bump_versions(c, org, &ids)
}
