//! The queue's refresh: everything that changed at home since the last look, in ONE request
//! when the home offers `batch` (a Bundle carrying the order search, any status, and the claim
//! search), in two GETs when it does not. Orders that closed or were claimed elsewhere arrive
//! too, so the desk's copy of the queue follows the home without re-reading it all.

use chrono::{DateTime, Utc};
use fhir_model::r4;
use reqwest::Method;
use serde_json::{Value, json};

use super::claim::CLAIM_SYSTEM;
use super::queue::{Order, RawPage, UnreadableOrder, later, raw_page};
use super::version::{HomeCaps, OrderKind};
use super::{HomeClient, HomeError};
use crate::error::ClientError;
use crate::transport::{Reply, Req};

/// Orders and claims per page asked of the home in a refresh (more pages follow `next`).
const PAGE: u32 = 500;

/// What changed at home after an instant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Referral orders changed since (any status: an order that closed at home is here too),
    /// with their Patient and Coverage.
    pub orders: Vec<Order>,
    /// Changed order entries that could not be read.
    pub unreadable: Vec<UnreadableOrder>,
    /// Claim Tasks (identifier system [`CLAIM_SYSTEM`]) changed since.
    pub tasks: Vec<r4::Task>,
    /// The latest `meta.lastUpdated` among the orders and claims: the next refresh's `since`.
    pub last_updated: Option<String>,
    /// Requests this refresh sent (1 with `batch` when at most one page changed; the first
    /// refresh of a client also reads the CapabilityStatement).
    pub requests: u32,
    /// The home's clock when it answered the first request (its HTTP `Date`), so the caller can
    /// tell how long ago, by the home's own clock, the newest change was made.
    pub answered_at: Option<DateTime<Utc>>,
}

/// One search of the refresh: its path and query.
struct Search {
    ty: &'static str,
    query: Vec<(String, String)>,
}

impl Search {
    fn orders(kind: OrderKind, since: &str) -> Self {
        let mut query = kind.params(PAGE);
        query.push(("_lastUpdated".to_owned(), format!("gt{since}")));
        Self {
            ty: kind.resource_type(),
            query,
        }
    }

    fn claims(since: &str) -> Self {
        Self {
            ty: "Task",
            query: vec![
                ("identifier".to_owned(), format!("{CLAIM_SYSTEM}|")),
                ("_lastUpdated".to_owned(), format!("gt{since}")),
                ("_count".to_owned(), PAGE.to_string()),
            ],
        }
    }

    /// The relative URL of a batch entry: `Type?a=b&…`, form-encoded.
    fn relative_url(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.query {
            q.append_pair(k, v);
        }
        format!("{}?{}", self.ty, q.finish())
    }
}

impl HomeClient {
    /// Whether the home's CapabilityStatement lists the `batch` interaction (read once per
    /// client; `true` in the answer's second part when this call read it).
    pub async fn offers_batch(&self) -> Result<(bool, bool), HomeError> {
        let (caps, read_now) = self.home_caps().await?;
        Ok((caps.batch, read_now))
    }

    /// How the home holds its referral orders (by the FHIR version it declares; read once).
    pub async fn order_kind(&self) -> Result<OrderKind, HomeError> {
        Ok(self.home_caps().await?.0.kind)
    }

    async fn home_caps(&self) -> Result<(HomeCaps, bool), HomeError> {
        let mut read_now = false;
        let caps = self
            .caps
            .get_or_try_init(|| async {
                read_now = true;
                self.count();
                let caps = self.org.capabilities().await?;
                Ok::<_, HomeError>(HomeCaps {
                    batch: lists_batch(&caps.statement),
                    kind: OrderKind::of_version(caps.fhir_version.as_deref()),
                })
            })
            .await?;
        Ok((*caps, read_now))
    }

    /// Everything changed at home after `since` (an instant): the referral orders (any status,
    /// with patient and coverage) and the claim Tasks. One `batch` request when the home offers
    /// it, else two searches; `next` pages (more than 500 changes) and patients or coverages
    /// the home did not include cost one request each.
    pub async fn changes(&self, since: &str) -> Result<Changes, HomeError> {
        let (HomeCaps { batch, kind }, read_caps) = self.home_caps().await?;
        let mut changes = Changes {
            requests: u32::from(read_caps),
            ..Changes::default()
        };
        let searches = [Search::orders(kind, since), Search::claims(since)];
        let bundles = if batch {
            let (bundles, date) = self.batch_search(&searches).await?;
            changes.answered_at = date;
            bundles
        } else {
            let mut out = Vec::with_capacity(searches.len());
            for s in &searches {
                let (bundle, date) = self.get_bundle(s).await?;
                changes.answered_at = changes.answered_at.or(date);
                out.push(bundle);
            }
            out
        };
        changes.requests += if batch { 1 } else { 2 };
        let mut bundles = bundles.into_iter();
        let (orders, claims) = (bundles.next(), bundles.next());
        self.add_orders(kind, orders.unwrap_or(Value::Null), &mut changes)
            .await?;
        self.add_claims(claims.unwrap_or(Value::Null), &mut changes)
            .await?;
        Ok(changes)
    }

    /// `POST [base]` with a `batch` Bundle of GETs; answers each entry's searchset in order.
    async fn batch_search(
        &self,
        searches: &[Search],
    ) -> Result<(Vec<Value>, Option<DateTime<Utc>>), HomeError> {
        let entries: Vec<Value> = searches
            .iter()
            .map(|s| json!({"request": {"method": "GET", "url": s.relative_url()}}))
            .collect();
        let body = json!({"resourceType": "Bundle", "type": "batch", "entry": entries});
        // `POST [base]`: the base without its trailing slash, as the specification writes it.
        let mut base = self.org.base_url().clone();
        let path = base.path().trim_end_matches('/').to_owned();
        base.set_path(&path);
        let req = Req::new(Method::POST, base).json("application/fhir+json", &body)?;
        self.count();
        // A batch of searches changes nothing at home, so it is retried like a read.
        let (answer, date) = self.org.read(&req, dated_json).await?;
        Ok((batch_entries(&answer, searches.len())?, date))
    }

    async fn get_bundle(
        &self,
        search: &Search,
    ) -> Result<(Value, Option<DateTime<Utc>>), HomeError> {
        let req = Req::new(Method::GET, self.org.url(search.ty)?).query(search.query.clone());
        self.count();
        Ok(self.org.read(&req, dated_json).await?)
    }

    async fn next_bundle(&self, req: &Req) -> Result<Value, HomeError> {
        self.count();
        Ok(self.org.read(req, dated_json).await?.0)
    }

    /// The order searchset (and its `next` pages) into `changes`.
    async fn add_orders(
        &self,
        kind: OrderKind,
        mut bundle: Value,
        changes: &mut Changes,
    ) -> Result<(), HomeError> {
        loop {
            let raw: RawPage = raw_page(kind, &bundle)?;
            let (page, next, sent) = self.complete(raw).await?;
            changes.requests += sent;
            if let Some(u) = page.last_updated {
                note_updated(&mut changes.last_updated, &u);
            }
            changes.orders.extend(page.orders);
            changes.unreadable.extend(page.unreadable);
            let Some(next) = next else {
                return Ok(());
            };
            bundle = self
                .next_bundle(&Req::new(Method::GET, self.org.same_base(&next)?))
                .await?;
            changes.requests += 1;
        }
    }

    /// The claim searchset (and its `next` pages) into `changes`.
    async fn add_claims(&self, mut bundle: Value, changes: &mut Changes) -> Result<(), HomeError> {
        loop {
            for task in claims_in(&bundle)? {
                if let Some(u) = task.meta.as_ref().and_then(|m| m.last_updated.as_deref()) {
                    note_updated(&mut changes.last_updated, u);
                }
                changes.tasks.push(task);
            }
            let Some(next) = next_link(&bundle) else {
                return Ok(());
            };
            bundle = self
                .next_bundle(&Req::new(Method::GET, self.org.same_base(&next)?))
                .await?;
            changes.requests += 1;
        }
    }
}

fn note_updated(latest: &mut Option<String>, seen: &str) {
    if latest.as_deref().is_none_or(|l| later(seen, l)) {
        *latest = Some(seen.to_owned());
    }
}

/// Whether the statement's server `rest` lists the `batch` interaction.
fn lists_batch(statement: &fhir_model::CapabilityStatement) -> bool {
    statement.server_rest().is_some_and(|rest| {
        rest.extra
            .get("interaction")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|i| i.get("code").and_then(Value::as_str) == Some("batch"))
    })
}

/// The searchset of each entry of a `batch-response`, in request order; an entry the home
/// answered with an error status fails the refresh (with its OperationOutcome).
fn batch_entries(answer: &Value, expected: usize) -> Result<Vec<Value>, HomeError> {
    if answer.get("type").and_then(Value::as_str) != Some("batch-response") {
        return Err(HomeError::unexpected(
            "queue refresh",
            "the answer to the batch is not a batch-response Bundle",
        ));
    }
    let entries = answer
        .get("entry")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if entries.len() != expected {
        return Err(HomeError::unexpected(
            "queue refresh",
            format!(
                "the batch answered {} of {expected} searches",
                entries.len()
            ),
        ));
    }
    entries
        .into_iter()
        .map(|mut entry| {
            let status = entry
                .pointer("/response/status")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let code: u16 = status
                .split_whitespace()
                .next()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            // R4 puts an entry's error in `response.outcome`; some servers use `resource`.
            let resource = entry
                .get_mut("resource")
                .map(Value::take)
                .or_else(|| entry.pointer_mut("/response/outcome").map(Value::take));
            match resource {
                Some(r) if (200..300).contains(&code) => Ok(r),
                r => Err(HomeError::Client(ClientError::Status {
                    status: code,
                    outcome: r.and_then(|r| serde_json::from_value(r).ok()).map(Box::new),
                    retry_after: None,
                })),
            }
        })
        .collect()
}

fn next_link(bundle: &Value) -> Option<String> {
    bundle
        .get("link")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|l| l.get("relation").and_then(Value::as_str) == Some("next"))
        .and_then(|l| l.get("url").and_then(Value::as_str))
        .map(str::to_owned)
}

/// The claim Tasks of a searchset (Tasks without the claim identifier are left out).
fn claims_in(bundle: &Value) -> Result<Vec<r4::Task>, HomeError> {
    let entries = bundle.get("entry").and_then(Value::as_array);
    let mut out = Vec::new();
    for resource in entries
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("resource"))
    {
        if resource.get("resourceType").and_then(Value::as_str) != Some("Task") {
            continue;
        }
        let task: r4::Task = serde_json::from_value(resource.clone())
            .map_err(|e| HomeError::unexpected("queue refresh", e.to_string()))?;
        if task
            .identifier
            .iter()
            .any(|i| i.system.as_deref() == Some(CLAIM_SYSTEM))
        {
            out.push(task);
        }
    }
    Ok(out)
}

/// A refresh answer's JSON body with the home's HTTP `Date` (when it sent a readable one).
fn dated_json(r: Reply) -> Result<(Value, Option<DateTime<Utc>>), ClientError> {
    let body = serde_json::from_slice(&r.body)
        .map_err(|e| ClientError::malformed("queue refresh", e.to_string()))?;
    let date = r
        .header("date")
        .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
        .map(|d| d.with_timezone(&Utc));
    Ok((body, date))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn a_batch_response_gives_each_searchset_and_an_error_entry_fails() {
        let ok = json!({"resourceType": "Bundle", "type": "batch-response", "entry": [
            {"resource": {"resourceType": "Bundle", "type": "searchset"}, "response": {"status": "200 OK"}},
            {"resource": {"resourceType": "Bundle", "type": "searchset", "total": 0}, "response": {"status": "200"}}]});
        let found = batch_entries(&ok, 2).unwrap();
        assert_eq!(found[1]["total"], 0);
        assert!(
            batch_entries(&ok, 3).is_err(),
            "a missing answer is an error"
        );
        let refused = json!({"resourceType": "Bundle", "type": "batch-response", "entry": [
            {"resource": {"resourceType": "OperationOutcome", "issue": []}, "response": {"status": "403 Forbidden"}}]});
        match batch_entries(&refused, 1).unwrap_err() {
            HomeError::Client(ClientError::Status { status, .. }) => assert_eq!(status, 403),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn search_urls_are_relative_and_encoded() {
        let url = Search::claims("2026-01-01T00:00:00+00:00").relative_url();
        assert!(url.starts_with("Task?identifier=https%3A%2F%2Freferral-desk.example%2Fclaim%7C&"));
        assert!(
            url.contains("_lastUpdated=gt2026-01-01T00%3A00%3A00%2B00%3A00"),
            "{url}"
        );
        let orders =
            Search::orders(OrderKind::ServiceRequest, "2026-01-01T00:00:00Z").relative_url();
        assert!(
            !orders.contains("status="),
            "orders of any status: {orders}"
        );
        assert!(orders.contains("_include=ServiceRequest%3Apatient"));
    }
}
