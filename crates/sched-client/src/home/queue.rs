//! The open-orders search: `ServiceRequest?status=active&intent=order&category=<referral>` with
//! the patient and coverage included, page after page, each page's orders joined to their
//! included resources. An entry that cannot be read is reported on its own so the rest of the
//! queue still arrives.

use std::collections::HashMap;

use fhir_model::r4;
use futures::Stream;
use reqwest::Method;
use serde_json::Value;

use super::{HomeClient, HomeError};
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

    fn to_query(&self) -> Vec<(String, String)> {
        let mut q = vec![("status".to_owned(), "active".to_owned())];
        q.extend(order_params(self.page_size));
        if let Some(since) = &self.since {
            q.push(("_lastUpdated".to_owned(), format!("gt{since}")));
        }
        if self.sort_by_last_updated {
            q.push(("_sort".to_owned(), "_lastUpdated".to_owned()));
        }
        q
    }
}

/// The referral-order search parameters every queue search shares (any status): intent,
/// category, both includes and the page size.
pub(super) fn order_params(page_size: u32) -> Vec<(String, String)> {
    vec![
        ("intent".to_owned(), "order".to_owned()),
        ("category".to_owned(), REFERRAL_CATEGORY.to_owned()),
        ("_include".to_owned(), "ServiceRequest:patient".to_owned()),
        ("_include".to_owned(), "ServiceRequest:insurance".to_owned()),
        ("_count".to_owned(), page_size.max(1).to_string()),
    ]
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
        let first = self
            .org
            .url("ServiceRequest")
            .map(|url| Req::new(Method::GET, url).query(query.to_query()));
        futures::stream::unfold((self.clone(), Some(first)), |(client, next)| async move {
            let req = match next? {
                Ok(req) => req,
                Err(e) => return Some((Err(e.into()), (client, None))),
            };
            match client.page(&req).await {
                Ok((page, link)) => {
                    let next =
                        link.map(|l| client.org.same_base(&l).map(|u| Req::new(Method::GET, u)));
                    Some((Ok(page), (client, next)))
                }
                Err(e) => Some((Err(e), (client, None))),
            }
        })
    }

    async fn page(&self, req: &Req) -> Result<(OrderPage, Option<String>), HomeError> {
        self.count();
        let raw = self.org.read(req, |r| parse_page(&r.body)).await?;
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
        Ok((join(raw.matched, &raw.included), raw.next, sent))
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
        let found = self.org.read(&req, |r| parse_page(&r.body)).await?;
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
            "/insurance"
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
fn parse_page(body: &[u8]) -> Result<RawPage, ClientError> {
    let bundle: Value = serde_json::from_slice(body)
        .map_err(|e| ClientError::malformed("order search", format!("body is not JSON: {e}")))?;
    raw_page(&bundle)
}

/// Splits a searchset Bundle (JSON) into matches, other resources, and its `next` link.
pub(super) fn raw_page(bundle: &Value) -> Result<RawPage, ClientError> {
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
        if mode == Some("include") || ty != Some("ServiceRequest") {
            if let Ok(r) = r4::Resource::from_json(resource.clone()) {
                raw.included.insert(key(&r), r);
            }
        } else {
            raw.matched.push(resource.clone());
        }
    }
    Ok(raw)
}

fn join(matched: Vec<Value>, included: &HashMap<String, r4::Resource>) -> OrderPage {
    let mut page = OrderPage::default();
    for value in matched {
        let id = value.get("id").and_then(Value::as_str).map(str::to_owned);
        let request = match serde_json::from_value::<r4::ServiceRequest>(value) {
            Ok(r) => r,
            Err(e) => {
                page.unreadable.push(UnreadableOrder {
                    id,
                    reason: e.to_string(),
                });
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
