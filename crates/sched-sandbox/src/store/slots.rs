//! Slots: the published availability, and the claims pending/booked appointments put on them.
//! A slot is free when its own status is `free` and nobody claims it.

use fhir_model::{Slot, parse_instant};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use crate::error::StoreError;

/// A slot as `$find` needs it: no JSON, just where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeSlot {
    pub id: String,
    pub schedule: String,
    pub start: i64,
    pub end: i64,
    /// Free now (own status free and not claimed).
    pub free: bool,
}

/// A slot search: window, schedules, status, paging.
#[derive(Debug, Clone, Default)]
pub struct SlotQuery {
    pub schedules: Option<Vec<String>>,
    pub ids: Option<Vec<String>>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// "free" or "busy" (effective status, claims included).
    pub status: Option<String>,
    pub offset: u32,
    pub count: u32,
}

const FREE: &str = "(slot.status = 'free' AND NOT EXISTS (SELECT 1 FROM slot_claim c WHERE c.org = slot.org AND c.slot = slot.id))";

/// Inserts seed slots; the schedule id is taken from `Slot.schedule`.
pub fn insert_all(c: &Connection, org: &str, slots: &[Slot]) -> Result<(), StoreError> {
    let mut stmt = c.prepare_cached(
        "INSERT OR REPLACE INTO slot(org, id, schedule, start, end, status, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for s in slots {
        let (Some(id), Some((_, sched))) = (s.id.as_deref(), s.schedule.local()) else {
            continue;
        };
        let start = parse_instant(&s.start)?.timestamp();
        let end = parse_instant(&s.end)?.timestamp();
        let status = if s.status == "free" { "free" } else { "busy" };
        stmt.execute(params![
            org,
            id,
            sched,
            start,
            end,
            status,
            serde_json::to_string(s)?
        ])?;
    }
    Ok(())
}

fn placeholders(n: usize, first: usize) -> String {
    (first..first + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The first `limit` free slots of one schedule starting in `[from, to)`, by start.
pub fn free_slots_of(
    c: &Connection,
    org: &str,
    schedule: &str,
    from: i64,
    to: i64,
    limit: usize,
) -> Result<Vec<FreeSlot>, StoreError> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT id, schedule, start, end FROM slot WHERE org = ?1 AND schedule = ?2 AND start >= ?3 AND start < ?4
         AND {FREE} ORDER BY start LIMIT ?5"
    ))?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![org, schedule, from, to, limit], |r| {
        Ok(FreeSlot {
            id: r.get(0)?,
            schedule: r.get(1)?,
            start: r.get(2)?,
            end: r.get(3)?,
            free: true,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The named slots (missing ids are simply absent), with their effective freedom.
pub fn slots_by_ids(
    c: &Connection,
    org: &str,
    ids: &[String],
) -> Result<Vec<FreeSlot>, StoreError> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT id, schedule, start, end, {FREE} FROM slot WHERE org = ?1 AND id = ?2"
    ))?;
    let mut out = Vec::new();
    for id in ids {
        let row = stmt
            .query_row(params![org, id], |r| {
                Ok(FreeSlot {
                    id: r.get(0)?,
                    schedule: r.get(1)?,
                    start: r.get(2)?,
                    end: r.get(3)?,
                    free: r.get(4)?,
                })
            })
            .optional()?;
        out.extend(row);
    }
    Ok(out)
}

/// Claims every slot for `appointment`, or none: returns the id of the first slot that is not
/// free. Must run inside the IMMEDIATE transaction that also writes the appointment.
pub fn claim_slots(
    c: &Connection,
    org: &str,
    ids: &[String],
    appointment: &str,
) -> Result<Result<(), String>, StoreError> {
    let found = slots_by_ids(c, org, ids)?;
    for id in ids {
        if !found.iter().any(|s| &s.id == id && s.free) {
            return Ok(Err(id.clone()));
        }
    }
    let mut stmt =
        c.prepare_cached("INSERT INTO slot_claim(org, slot, appointment) VALUES (?1, ?2, ?3)")?;
    for id in ids {
        stmt.execute(params![org, id, appointment])?;
    }
    super::slot_state::bump_versions(c, org, ids)?;
    Ok(Ok(()))
}

/// Frees every slot claimed by `appointment`.
pub fn release_slots(c: &Connection, org: &str, appointment: &str) -> Result<usize, StoreError> {
    super::slot_state::bump_claimed_by(c, org, appointment)?;
    Ok(c.execute(
        "DELETE FROM slot_claim WHERE org = ?1 AND appointment = ?2",
        params![org, appointment],
    )?)
}

/// One slot's JSON with its effective status (claimed slots read as busy).
pub fn slot_json(c: &Connection, org: &str, id: &str) -> Result<Option<Slot>, StoreError> {
    let row: Option<(String, bool)> = c
        .query_row(
            &format!("SELECT json, {FREE} FROM slot WHERE org = ?1 AND id = ?2"),
            params![org, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(json, free)| effective(&json, free)).transpose()
}

fn effective(json: &str, free: bool) -> Result<Slot, StoreError> {
    let mut slot: Slot = serde_json::from_str(json)?;
    slot.status = if free { "free" } else { "busy" }.to_owned();
    Ok(slot)
}

/// Slots matching a query, ordered by start, with the total before paging.
pub fn search_slots(
    c: &Connection,
    org: &str,
    q: &SlotQuery,
) -> Result<(u64, Vec<Slot>), StoreError> {
    let mut cond = vec!["org = ?1".to_owned()];
    let mut args: Vec<Value> = vec![org.to_owned().into()];
    let mut push = |cond: &mut Vec<String>, sql: &str, v: Value| {
        args.push(v);
        cond.push(sql.replace('?', &format!("?{}", args.len())));
    };
    if let Some(from) = q.from {
        push(&mut cond, "start >= ?", from.into());
    }
    if let Some(to) = q.to {
        push(&mut cond, "start < ?", to.into());
    }
    for (col, list) in [("schedule", &q.schedules), ("id", &q.ids)] {
        if let Some(list) = list {
            let first = args.len() + 1;
            cond.push(format!("{col} IN ({})", placeholders(list.len(), first)));
            args.extend(list.iter().map(|s| Value::from(s.clone())));
            if list.is_empty() {
                cond.push("0".to_owned());
            }
        }
    }
    match q.status.as_deref() {
        Some("free") => cond.push(FREE.to_owned()),
        Some(_) => cond.push(format!("NOT {FREE}")),
        None => {}
    }
    let filter = cond.join(" AND ");
    let total: i64 = c.query_row(
        &format!("SELECT count(*) FROM slot WHERE {filter}"),
        params_from_iter(args.clone()),
        |r| r.get(0),
    )?;
    let sql = format!(
        "SELECT json, {FREE} FROM slot WHERE {filter} ORDER BY start, id LIMIT {} OFFSET {}",
        q.count, q.offset
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (json, free) = row?;
        out.push(effective(&json, free)?);
    }
    Ok((u64::try_from(total).unwrap_or(0), out))
}
