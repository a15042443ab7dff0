//! The worklist query: referrals filtered by status, organisation, dates, patient name and MRN.
//!
//! Every filter is written so that SQLite can answer it from an index (see `row.rs`):
//! - names and MRN compare against lower-cased search keys; `Prefix` is an index range
//!   (`key >= q AND key < q || U+10FFFF`) on family, given or display name; `Contains` looks the
//!   display name or MRN up in an FTS5 trigram index (`search.rs`); the search box's "name or
//!   MRN" is one condition ORing both, ANDed with the other filters in the same query, so the
//!   page and the total count come from one result set;
//! - dates are a range on one column; the caller chooses which (see [`DateFilter`]).

use referral_model::{
    DateFilter, MAX_PAGE, MatchMode, TextFilter, WorklistOrder, WorklistPage, WorklistQuery,
};
use rusqlite::types::Value;

use super::row::{self, search_key};
use crate::codec::{date, ts};
use crate::error::{Result, invalid};
use crate::store::Store;

impl Store {
    /// Runs a worklist query: one page, and how many referrals match in all, read from one
    /// snapshot so the two agree.
    pub fn worklist(&self, query: &WorklistQuery) -> Result<WorklistPage> {
        if query.limit == 0 || query.limit > MAX_PAGE {
            return Err(invalid("limit", "must be between 1 and 500"));
        }
        let (filter, mut args) = filter(query)?;
        let count_sql = format!("SELECT count(*) FROM referrals {filter}");
        let count_args = args.clone();
        let page_sql = page(query, &filter, &mut args);
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&page_sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), row::from_row)?;
            let mut referrals = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            // One row more than asked for tells whether a next page exists.
            let has_more = referrals.len() > query.limit as usize;
            referrals.truncate(query.limit as usize);
            // The count only when the page does not already tell it: a first page that is not
            // full holds every match.
            let total = if query.offset == 0 && !has_more {
                referrals.len() as u64
            } else {
                let mut count = tx.prepare_cached(&count_sql)?;
                let n: i64 =
                    count.query_row(rusqlite::params_from_iter(count_args), |r| r.get(0))?;
                u64::try_from(n).unwrap_or(0)
            };
            Ok(WorklistPage {
                referrals,
                has_more,
                total,
            })
        })
    }
}

/// The highest code point: `key < prefix || MAX` bounds every key that starts with `prefix`.
const PREFIX_END: char = '\u{10FFFF}';

/// Columns a text filter looks at: prefixes are index ranges on each of `prefix`; substrings
/// are looked up in the trigram index columns `contains`.
struct TextColumns {
    prefix: &'static [&'static str],
    contains: &'static [&'static str],
}

const NAME_COLUMNS: TextColumns = TextColumns {
    prefix: &["display_key", "family_key", "given_key"],
    contains: &["display_key"],
};
const MRN_COLUMNS: TextColumns = TextColumns {
    prefix: &["mrn_key"],
    contains: &["mrn_key"],
};
/// The search box: name or MRN. One trigram lookup covers both columns.
const NAME_OR_MRN_COLUMNS: TextColumns = TextColumns {
    prefix: &["display_key", "family_key", "given_key", "mrn_key"],
    contains: &["display_key", "mrn_key"],
};

/// Shortest substring the trigram index can answer.
const TRIGRAM: usize = 3;

fn text_condition(on: &TextColumns, filter: &TextFilter, args: &mut Vec<Value>) -> Result<String> {
    let key = search_key(&filter.text);
    if key.is_empty() {
        return Err(invalid("search text", "must not be empty"));
    }
    let at = args.len() + 1;
    Ok(match filter.mode {
        MatchMode::Prefix => {
            args.push(Value::Text(key.clone()));
            args.push(Value::Text(format!("{key}{PREFIX_END}")));
            let ranges: Vec<String> = on
                .prefix
                .iter()
                .map(|c| format!("({c} >= ?{at} AND {c} < ?{})", at + 1))
                .collect();
            format!("({})", ranges.join(" OR "))
        }
        MatchMode::Contains if key.chars().count() >= TRIGRAM => {
            // FTS5 phrase syntax: the text in double quotes, inner quotes doubled.
            let phrase = key.replace('"', "\"\"");
            let columns = on.contains.join(" ");
            args.push(Value::Text(format!("{{{columns}}} : \"{phrase}\"")));
            format!(
                "rowid IN (SELECT rowid FROM referral_search WHERE referral_search MATCH ?{at})"
            )
        }
        MatchMode::Contains => {
            // One or two characters occur in most rows, so reading in the page's order finds a
            // page quickly; the trigram index cannot answer them anyway.
            args.push(Value::Text(key));
            let found: Vec<String> = on
                .contains
                .iter()
                .map(|c| format!("instr({c}, ?{at}) > 0"))
                .collect();
            format!("({})", found.join(" OR "))
        }
    })
}

/// The `WHERE` clause of every filter, ANDed, and its arguments.
fn filter(q: &WorklistQuery) -> Result<(String, Vec<Value>)> {
    let mut conds = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if !q.statuses.is_empty() {
        let marks: Vec<String> = q
            .statuses
            .iter()
            .map(|s| {
                args.push(Value::Text(s.as_str().to_owned()));
                format!("?{}", args.len())
            })
            .collect();
        conds.push(format!("status IN ({})", marks.join(", ")));
    }
    if let Some(org) = &q.organisation {
        args.push(Value::Text(org.as_str().to_owned()));
        conds.push(format!("organisation_id = ?{}", args.len()));
    }
    if let Some(d) = &q.date {
        let (col, from, to, upper) = match *d {
            DateFilter::Requested { from, to } => ("requested_start", date(from), date(to), "<="),
            DateFilter::Booked { from, to } => ("booked_start", ts(from), ts(to), "<"),
        };
        args.push(Value::Text(from));
        args.push(Value::Text(to));
        conds.push(format!(
            "{col} >= ?{} AND {col} {upper} ?{}",
            args.len() - 1,
            args.len()
        ));
    }
    if let Some(name) = &q.patient_name {
        conds.push(text_condition(&NAME_COLUMNS, name, &mut args)?);
    }
    if let Some(mrn) = &q.mrn {
        conds.push(text_condition(&MRN_COLUMNS, mrn, &mut args)?);
    }
    if let Some(today) = q.overdue_on {
        // The same rule as `Referral::is_overdue`.
        args.push(Value::Text(date(today)));
        conds.push(format!(
            "due_by < ?{} AND status NOT IN ('booked', 'cancelled', 'rescheduled')",
            args.len()
        ));
    }
    if let Some(search) = &q.search {
        conds.push(text_condition(&NAME_OR_MRN_COLUMNS, search, &mut args)?);
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    Ok((filter, args))
}

/// The page query over `filter`: its order, one row more than the page, and the offset.
fn page(q: &WorklistQuery, filter: &str, args: &mut Vec<Value>) -> String {
    let order = match q.order {
        WorklistOrder::UpdatedDesc => "updated_at DESC, rowid DESC",
        WorklistOrder::CreatedDesc => "created_at DESC, rowid DESC",
        WorklistOrder::RequestedStartAsc => "requested_start IS NULL, requested_start, rowid",
        WorklistOrder::BookedStartAsc => "booked_start IS NULL, booked_start, rowid",
        WorklistOrder::PatientName => "display_key, rowid",
        WorklistOrder::DueByAsc => "due_by IS NULL, due_by, rowid",
    };
    args.push(Value::Integer(i64::from(q.limit) + 1));
    args.push(Value::Integer(i64::from(q.offset)));
    let (limit, offset) = (args.len() - 1, args.len());
    format!(
        "SELECT {} FROM referrals {filter} ORDER BY {order} LIMIT ?{limit} OFFSET ?{offset}",
        row::COLUMNS
    )
}
