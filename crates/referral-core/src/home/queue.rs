//! The desk's copy of the home queue: the refresh (one `changes` request when nothing changed)
//! and the listing by view, which asks the home nothing.

use chrono::{DateTime, Duration, Utc};
use fhir_model::datetime::format_instant;
use referral_model::{MissingField, QueueItem, QueueRefresh, QueueView};
use referral_store::{OrderImport, QueueState};
use sched_client::Interaction;
use sched_client::home::{HomeError, Order, UnreadableOrder};

use super::desk::{CURSOR, LAST_REFRESHED};
use super::mapping::{OrderError, map_order};
use super::summary::{
    OrderSummary, StoredOrder, claim_of, item_of, order_of_task, rough_summary, summary_of,
};
use crate::app::App;
use crate::error::{CoreError, CoreResult};

/// The first refresh reads every change since the beginning: all referral orders and claims.
const EPOCH: &str = "1970-01-01T00:00:00Z";
/// How far before the cursor a refresh looks again, for clocks at home that disagree a little.
const SKEW: Duration = Duration::seconds(5);
/// Orders stored per transaction.
const CHUNK: usize = 500;

impl App {
    /// Reads what changed at home into the local queue: ONE request (a `batch` of the order and
    /// claim searches) when nothing changed; the first time, every referral order and claim,
    /// page by page. A bad order is stored with its problem and never stops the rest.
    pub async fn refresh_queue(&self) -> CoreResult<QueueRefresh> {
        // Boxed: the home client's futures are large, and callers should not carry them.
        Box::pin(self.refresh_queue_steps()).await
    }

    async fn refresh_queue_steps(&self) -> CoreResult<QueueRefresh> {
        let (org, client) = self.home_client().await?;
        let cursor = self.db(|s| s.setting(CURSOR)).await?;
        let since = cursor.as_deref().map_or_else(|| EPOCH.to_owned(), back_off);
        let before = client.requests_sent();
        let changes = client
            .changes(&since)
            .await
            .map_err(|e| home_failure(&org.display_name, Interaction::ReadCapabilities, e))?;
        let today = self.today();
        let mut imports: Vec<OrderImport> =
            changes.orders.iter().map(|o| import(o, today)).collect();
        imports.extend(changes.unreadable.iter().filter_map(unreadable));
        let mut changed = 0;
        for chunk in imports.chunks(CHUNK) {
            let chunk = chunk.to_vec();
            changed += self.db(move |s| s.save_queue_orders(&chunk)).await?.changed;
        }
        let claims: Vec<_> = changes
            .tasks
            .iter()
            .filter_map(|t| Some((order_of_task(t)?.to_owned(), claim_of(t))))
            .collect();
        let next = later(cursor, changes.last_updated.clone())
            .map(|newest| settle(newest, changes.answered_at));
        let now = self.now();
        let (items, problems) = self
            .db(move |s| {
                for (order_id, claim) in &claims {
                    s.record_queue_claim(order_id, claim)?;
                }
                if let Some(next) = &next {
                    s.set_setting(CURSOR, next)?;
                }
                s.set_setting(LAST_REFRESHED, &now.to_rfc3339())?;
                s.queue_counts()
            })
            .await?;
        Ok(QueueRefresh {
            items: count(items),
            changed: count(changed),
            requests: u32::try_from(client.requests_sent() - before).unwrap_or(u32::MAX),
            problems: count(problems),
        })
    }

    /// The local queue, filtered by `view`; no request to the home.
    pub async fn queue(&self, view: QueueView) -> CoreResult<Vec<QueueItem>> {
        let desk = self.desk().await?;
        let default_phone = self
            .desk_settings()
            .await?
            .referrer
            .is_some_and(|r| !r.phone.trim().is_empty());
        let rows = self.db(|s| s.queue_orders(true)).await?;
        let now = self.now();
        Ok(rows
            .into_iter()
            .map(|row| item_of(row, &desk.id, now))
            .filter(|item| view.shows(item.view))
            .map(|mut item| {
                if default_phone {
                    item.missing.retain(|m| *m != MissingField::ReferrerPhone);
                }
                item
            })
            .collect())
    }

    /// One order as the list shows it.
    pub async fn queue_item(&self, order_id: &str) -> CoreResult<QueueItem> {
        let desk = self.desk().await?;
        let id = order_id.to_owned();
        let row =
            self.db(move |s| s.queue_order(&id))
                .await?
                .ok_or_else(|| CoreError::NotFound {
                    what: "the order".to_owned(),
                })?;
        Ok(item_of(row, &desk.id, self.now()))
    }
}

/// An order as the refresh stores it.
pub(crate) fn import(order: &Order, today: chrono::NaiveDate) -> OrderImport {
    let sr = &order.request;
    let open = sr.status == "active";
    let (summary, problem) = match map_order(order, today) {
        Ok(mapped) => (summary_of(order, &mapped), None),
        Err(OrderError::NotOpen { .. }) => (rough_summary(order), None),
        Err(e) => (rough_summary(order), Some(problem_sentence(&e))),
    };
    OrderImport {
        order_id: order.id().to_owned(),
        order_version: sr.version_id().map(str::to_owned),
        last_updated: sr.meta.as_ref().and_then(|m| m.last_updated.clone()),
        state: if open {
            QueueState::Open
        } else {
            QueueState::Closed
        },
        order_json: serde_json::to_value(StoredOrder::of(order)).ok(),
        summary: serde_json::to_value(summary).unwrap_or_default(),
        problem,
    }
}

fn unreadable(u: &UnreadableOrder) -> Option<OrderImport> {
    let summary = OrderSummary {
        patient_name: "Unreadable order".to_owned(),
        what: "Referral".to_owned(),
        ..OrderSummary::default()
    };
    Some(OrderImport {
        order_id: u.id.clone()?,
        order_version: None,
        last_updated: None,
        state: QueueState::Unreadable,
        order_json: None,
        summary: serde_json::to_value(summary).unwrap_or_default(),
        problem: Some("The home sent this order in a form the desk cannot read.".to_owned()),
    })
}

/// Why a bad order cannot be worked, in plain words.
pub(crate) fn problem_sentence(e: &OrderError) -> String {
    match e {
        OrderError::NoPatient { .. } => "The order names no patient.".to_owned(),
        OrderError::PatientNotSent { .. } => {
            "The home did not send the order's patient.".to_owned()
        }
        OrderError::UnknownCode { element, code, .. } => {
            format!("The order's {element} code \"{code}\" is not one the desk knows.")
        }
        OrderError::NotOpen { .. } => "The order is no longer open at home.".to_owned(),
    }
}

/// A home error as the core reports it: a conflict names who works the order.
pub(crate) fn home_failure(home: &str, during: Interaction, e: HomeError) -> CoreError {
    match e {
        HomeError::ClaimConflict {
            owner, lease_end, ..
        } => CoreError::OrderClaimed {
            owner: owner.unwrap_or_else(|| "another desk".to_owned()),
            until: lease_end
                .as_deref()
                .and_then(|l| fhir_model::parse_instant(l).ok())
                .map(|t| t.with_timezone(&Utc)),
        },
        HomeError::ClaimFinished { task, .. } => CoreError::OrderFinished {
            outcome: task.business_status.and_then(|b| b.text),
        },
        other => CoreError::remote(home, crate::remote::home_error(during, other)),
    }
}

/// Suffix of a cursor whose window is settled: every change stamped at or before it was
/// visible when the home answered (it answered more than two margins after the newest change),
/// so the next refresh reads strictly after it, without the margin.
const SETTLED: &str = "#settled";

/// The cursor to keep after a refresh whose newest change is `newest` and which the home
/// answered at `answered_at` (its own clock).
fn settle(newest: String, answered_at: Option<DateTime<Utc>>) -> String {
    let newest_at = fhir_model::parse_instant(newest.trim_end_matches(SETTLED))
        .ok()
        .map(|t| t.with_timezone(&Utc));
    match (newest_at, answered_at) {
        (Some(n), Some(a)) if a - n >= SKEW * 2 => {
            format!("{}{SETTLED}", newest.trim_end_matches(SETTLED))
        }
        _ => newest.trim_end_matches(SETTLED).to_owned(),
    }
}

/// The `since` of the next refresh: the cursor itself once settled, else the cursor minus the
/// clock-skew margin (a write stamped just before the newest one may commit after it was read,
/// so the window is read again, and unchanged versions are left alone).
fn back_off(cursor: &str) -> String {
    if let Some(settled) = cursor.strip_suffix(SETTLED) {
        return settled.to_owned();
    }
    match fhir_model::parse_instant(cursor) {
        Ok(t) => format_instant(&(t.with_timezone(&Utc) - SKEW)),
        Err(_) => EPOCH.to_owned(),
    }
}

/// The later of two instants (text), keeping the known one when the other does not parse.
fn later(a: Option<String>, b: Option<String>) -> Option<String> {
    let at = |s: &Option<String>| -> Option<DateTime<Utc>> {
        s.as_deref()
            .and_then(|t| fhir_model::parse_instant(t.trim_end_matches(SETTLED)).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    match (at(&a), at(&b)) {
        (Some(x), Some(y)) if x >= y => a,
        (_, Some(_)) => b,
        _ => a,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod cursor_tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        fhir_model::parse_instant(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_fresh_cursor_is_read_again_with_the_margin_and_a_settled_one_without() {
        let newest = "2026-11-30T10:00:00Z".to_owned();
        let soon = settle(newest.clone(), Some(at("2026-11-30T10:00:04Z")));
        assert_eq!(back_off(&soon), "2026-11-30T09:59:55Z", "{soon}");
        let quiet = settle(newest.clone(), Some(at("2026-11-30T10:00:11Z")));
        assert_eq!(back_off(&quiet), "2026-11-30T10:00:00Z", "{quiet}");
        // Without the home's clock nothing is taken as settled.
        assert_eq!(back_off(&settle(newest, None)), "2026-11-30T09:59:55Z");
        // A newer change keeps the newest instant and starts a new window.
        let next = later(Some(quiet), Some("2026-11-30T10:05:00Z".to_owned())).unwrap();
        assert_eq!(next, "2026-11-30T10:05:00Z");
        assert_eq!(
            back_off(&settle(next, Some(at("2026-11-30T10:05:01Z")))),
            "2026-11-30T10:04:55Z"
        );
    }
}
