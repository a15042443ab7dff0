//! The open-orders search: `ServiceRequest?status=active&intent=order&category=<referral>` with
//! the patient and coverage included, page after page, each page's orders joined to their
//! included resources. An entry that cannot be read is reported on its own so the rest of the
//! queue still arrives.

use std::collections::HashMap;

use fhir_model::r4;
use futures::Stream;
use reqwest::Method;
use serde_json::Value;

use super::{HomeClient, HomeError, OrderKind};
use crate::error::ClientError;
use crate::transport::Req;

/// The `category` token of referral orders (SNOMED CT 3457005 "Patient referral").
pub const REFERRAL_CATEGORY: &str = "http://snomed.info/sct|3457005";

/// Which open orders to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    /// `_count`: orders per page asked of the home.
    pub page_size: u32,
    /// `_lastUpdated=gt<instant>`: only orders changed after this (a refresh); `None` = all.
    pub since: Option<String>,
    /// `_sort=_lastUpdated`, for homes whose CapabilityStatement offers it.
    pub sort_by_last_updated: bool,
}

impl Default for OrderQuery {
    fn default() -> Self {
        Self {
            page_size: 100,
            since: None,
            sort_by_last_updated: false,
        }
    }
}

impl OrderQuery {
    /// A refresh of everything changed after `since` (the `last_updated` of earlier pages).
    pub fn since(since: &str) -> Self {
        Self {
            since: Some(since.to_owned()),
            ..Self::default()
        }
    }

    fn to_query(&self, kind: OrderKind) -> Vec<(String, String)> {
        let mut q = vec![("status".to_owned(), "active".to_owned())];
        q.extend(kind.params(self.page_size));
        if let Some(since) = &self.since {
            q.push(("_lastUpdated".to_owned(), format!("gt{since}")));
        }
        if self.sort_by_last_updated {
            q.push(("_sort".to_owned(), "_lastUpdated".to_owned()));
        }
        q
    }
}

/// Where the open-orders stream goes next.
enum Next {
    First(OrderQuery),
    Link(OrderKind, String),
}

/// One open order with the resources the home included for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub request: r4::ServiceRequest,
    /// The order's `subject`, when the home included it.
    pub patient: Option<r4::Patient>,
    /// The order's `insurance` coverages the home included, in the order's order.
    pub coverage: Vec<r4::Coverage>,
}

impl Order {
    /// The ServiceRequest's id (present on every order read from a search).
    pub fn id(&self) -> &str {
        self.request.id.as_deref().unwrap_or("")
    }
}

/// A search-match entry that is not a readable ServiceRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableOrder {
    pub id: Option<String>,
    pub reason: String,
}

/// One page of the queue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderPage {
    pub orders: Vec<Order>,
    pub unreadable: Vec<UnreadableOrder>,
    /// The latest `meta.lastUpdated` among this page's orders: the next refresh's `since`.
    pub last_updated: Option<String>,
}

impl HomeClient {
    /// The open referral orders, one page per item, following `next` links that stay on the
    /// home. Each page is a retried read; an error ends the stream. A patient or coverage the
    /// home did not include (R4 has no standard `ServiceRequest:insurance` search parameter, so
    /// many homes ignore that `_include`) is read with one `_id` search per type and page.
    pub fn open_orders(
        &self,
        query: &OrderQuery,
    ) -> impl Stream<Item = Result<OrderPage, HomeError>> + Send + 'static {
        let start = Next::First(query.clone());
        futures::stream::unfold((self.clone(), Some(start)), |(client, next)| async move {
            let (kind, req) = match client.next_request(next?).await {
                Ok(found) => found,
                Err(e) => return Some((Err(e), (client, None))),
            };
            match client.page(kind, &req).await {
                Ok((page, link)) => {
                    let next = link.map(|l| Next::Link(kind, l));
                    Some((Ok(page), (client, next)))
                }
                Err(e) => Some((Err(e), (client, None))),
            }
        })
    }

    /// The request of the stream's next page: the first search (which needs the home's order
    /// kind, read once from its CapabilityStatement) or a `next` link.
    async fn next_request(&self, next: Next) -> Result<(OrderKind, Req), HomeError> {
        match next {
            Next::First(query) => {
                let kind = self.order_kind().await?;
                let url = self.org.url(kind.resource_type())?;
                Ok((kind, Req::new(Method::GET, url).query(query.to_query(kind))))
            }
            Next::Link(kind, link) => Ok((kind, Req::new(Method::GET, self.org.same_base(&link)?))),
        }
    }

    async fn page(
        &self,
        kind: OrderKind,
        req: &Req,
    ) -> Result<(OrderPage, Option<String>), HomeError> {
        self.count();
        let raw = self.org.read(req, |r| parse_page(kind, &r.body)).await?;
        let (page, next, _) = self.complete(raw).await?;
        Ok((page, next))
    }

    /// Joins a searchset's orders to their Patient and Coverage, reading those the home did
    /// not include; answers the page, its `next` link and how many requests that took.
    pub(super) async fn complete(
        &self,
        mut raw: RawPage,
    ) -> Result<(OrderPage, Option<String>, u32), HomeError> {
        let mut sent = 0;
        for ty in ["Patient", "Coverage"] {
            let missing = raw.missing(ty);
            if !missing.is_empty() {
                self.include(ty, &missing, &mut raw.included).await?;
                sent += 1;
            }
        }
        Ok((join(raw.kind, raw.matched, &raw.included), raw.next, sent))
    }

    /// `GET <ty>?_id=a,b,...`: the resources a page referenced but the home did not include.
    async fn include(
        &self,
        ty: &str,
        ids: &[String],
        into: &mut HashMap<String, r4::Resource>,
    ) -> Result<(), HomeError> {
        let query = vec![
            ("_id".to_owned(), ids.join(",")),
            ("_count".to_owned(), ids.len().to_string()),
        ];
        let req = Req::new(Method::GET, self.org.url(ty)?).query(query);
        self.count();
        let found = self
            .org
            .read(&req, |r| parse_page(OrderKind::ServiceRequest, &r.body))
            .await?;
        into.extend(found.included);
        for value in found.matched {
            if let Ok(r) = r4::Resource::from_json(value) {
                into.insert(key(&r), r);
            }
        }
        Ok(())
    }
}

/// A searchset page as read: match entries (JSON, parsed one by one later), every other
/// resource by `Type/id`, and the `next` link.
pub(super) struct RawPage {
    kind: OrderKind,
    matched: Vec<Value>,
    included: HashMap<String, r4::Resource>,
    next: Option<String>,
}

impl RawPage {
    /// Ids of `ty` the matched orders reference (subject for Patient, insurance for Coverage)
    /// that the page does not carry.
    fn missing(&self, ty: &str) -> Vec<String> {
        let pointer = if ty == "Patient" {
            "/subject"
        } else {
            self.kind.coverage_pointer()
        };
        let mut ids: Vec<String> = self
            .matched
            .iter()
            .filter_map(|m| m.pointer(pointer))
            .flat_map(|v| match v {
                Value::Array(list) => list.clone(),
                one => vec![one.clone()],
            })
            .filter_map(|r| {
                r.get("reference")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .filter_map(|r| {
                let (t, id) = fhir_model::split_reference(&r)?;
                (t == ty).then(|| id.to_owned())
            })
            .filter(|id| !self.included.contains_key(&format!("{ty}/{id}")))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

fn key(r: &r4::Resource) -> String {
    format!("{}/{}", r.resource_type(), r.id().unwrap_or(""))
}

/// Splits a searchset body into matches, other resources, and its `next` link.
fn parse_page(kind: OrderKind, body: &[u8]) -> Result<RawPage, ClientError> {
    let bundle: Value = serde_json::from_slice(body)
        .map_err(|e| ClientError::malformed("order search", format!("body is not JSON: {e}")))?;
    raw_page(kind, &bundle)
}

/// Splits a searchset Bundle (JSON) into matches, other resources, and its `next` link.
pub(super) fn raw_page(kind: OrderKind, bundle: &Value) -> Result<RawPage, ClientError> {
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(ClientError::malformed("order search", "expected a Bundle"));
    }
    let next = bundle
        .get("link")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|l| l.get("relation").and_then(Value::as_str) == Some("next"))
        .and_then(|l| l.get("url").and_then(Value::as_str))
        .map(str::to_owned);
    let mut raw = RawPage {
        kind,
        matched: Vec::new(),
        included: HashMap::new(),
        next,
    };
    let entries = bundle.get("entry").and_then(Value::as_array);
    for entry in entries.into_iter().flatten() {
        let Some(resource) = entry.get("resource") else {
            continue;
        };
        let mode = entry.pointer("/search/mode").and_then(Value::as_str);
        let ty = resource.get("resourceType").and_then(Value::as_str);
        if mode == Some("include") || ty != Some(kind.resource_type()) {
            if let Ok(r) = r4::Resource::from_json(resource.clone()) {
                raw.included.insert(key(&r), r);
            }
        } else {
            raw.matched.push(resource.clone());
        }
    }
    Ok(raw)
}

fn join(
    kind: OrderKind,
    matched: Vec<Value>,
    included: &HashMap<String, r4::Resource>,
) -> OrderPage {
    let mut page = OrderPage::default();
    for value in matched {
        let id = value.get("id").and_then(Value::as_str).map(str::to_owned);
        let request = match kind.parse(value) {
            Ok(r) => r,
            Err(reason) => {
                page.unreadable.push(UnreadableOrder { id, reason });
                continue;
            }
        };
        let find = |r: &fhir_model::Reference| {
            let (ty, id) = r.local()?;
            included.get(&format!("{ty}/{id}"))
        };
        let patient = request
            .subject
            .as_ref()
            .and_then(find)
            .and_then(|r| r.as_patient().cloned());
        let coverage = request
            .insurance
            .iter()
            .filter_map(find)
            .filter_map(|r| r.as_coverage().cloned())
            .collect();
        let updated = request.meta.as_ref().and_then(|m| m.last_updated.clone());
        if let Some(u) = updated
            && page
                .last_updated
                .as_deref()
                .is_none_or(|seen| later(&u, seen))
        {
            page.last_updated = Some(u);
        }
        page.orders.push(Order {
            request,
            patient,
            coverage,
        });
    }
    page
}

/// Whether instant `a` is after `b` (compared as instants; as text when either does not parse).
pub(super) fn later(a: &str, b: &str) -> bool {
    match (fhir_model::parse_instant(a), fhir_model::parse_instant(b)) {
        (Ok(a), Ok(b)) => a > b,
        _ => a > b,
    }
}
