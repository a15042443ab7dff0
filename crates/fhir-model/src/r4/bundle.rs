//! R4 Bundle: search results, transaction and transaction-response. Its shape is the same in the
//! two versions; what differs is the version of the resources it carries, so the conversions
//! convert every entry resource (and every transaction-response outcome).

use serde::{Deserialize, Serialize};

use super::Resource;
use crate::datatypes::is_empty;
use crate::{BundleLink, BundleSearch, BundleType, JsonMap, Meta, ModelError};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    #[serde(rename = "resourceType")]
    pub resource_type: BundleType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// searchset | transaction | transaction-response | batch | batch-response | ...
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub link: Vec<BundleLink>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub entry: Vec<BundleEntry>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleEntry {
    #[serde(rename = "fullUrl", skip_serializing_if = "Option::is_none")]
    pub full_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<BundleSearch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<BundleRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<BundleResponse>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A transaction entry's request: `PUT Slot/1` with `ifMatch`, `POST Appointment`, ...
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleRequest {
    /// GET | HEAD | POST | PUT | DELETE | PATCH.
    pub method: String,
    pub url: String,
    #[serde(rename = "ifNoneMatch", skip_serializing_if = "Option::is_none")]
    pub if_none_match: Option<String>,
    #[serde(rename = "ifMatch", skip_serializing_if = "Option::is_none")]
    pub if_match: Option<String>,
    #[serde(rename = "ifNoneExist", skip_serializing_if = "Option::is_none")]
    pub if_none_exist: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A transaction-response entry's outcome: `status` is the HTTP status line ("201 Created").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleResponse {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(rename = "lastModified", skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Resource>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl BundleResponse {
    /// The numeric HTTP status at the start of `status`, if it has one.
    pub fn code(&self) -> Option<u16> {
        self.status.split_whitespace().next()?.parse().ok()
    }

    /// Whether the entry succeeded (a 2xx status).
    pub fn is_success(&self) -> bool {
        self.code().is_some_and(|c| (200..300).contains(&c))
    }
}

/// Re-reads a value of one type as another of the same JSON shape.
fn recast<A: Serialize, B: serde::de::DeserializeOwned>(
    what: &str,
    a: &A,
) -> Result<B, ModelError> {
    serde_json::to_value(a)
        .and_then(serde_json::from_value)
        .map_err(|e| super::convert::invalid(what, e.to_string()))
}

impl Bundle {
    /// An empty R4 bundle of `type_` (e.g. "transaction").
    pub fn of_type(type_: &str) -> Self {
        Self {
            type_: type_.to_owned(),
            ..Self::default()
        }
    }

    /// The R4 form of an STU3 Bundle, every resource converted.
    pub fn from_stu3(b: &crate::Bundle) -> Self {
        Self {
            resource_type: BundleType,
            id: b.id.clone(),
            meta: b.meta.clone(),
            type_: b.type_.clone(),
            total: b.total,
            link: b.link.clone(),
            entry: b.entry.iter().map(BundleEntry::from_stu3).collect(),
            extra: b.extra.clone(),
        }
    }

    /// The STU3 form; fails when any carried resource is malformed.
    pub fn to_stu3(&self) -> Result<crate::Bundle, ModelError> {
        Ok(crate::Bundle {
            resource_type: BundleType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            type_: self.type_.clone(),
            total: self.total,
            link: self.link.clone(),
            entry: self
                .entry
                .iter()
                .map(BundleEntry::to_stu3)
                .collect::<Result<_, _>>()?,
            extra: self.extra.clone(),
        })
    }

    /// Every entry resource of the given kind, via a projection such as `Resource::as_slot`.
    pub fn resources<'a, T: 'a>(
        &'a self,
        pick: impl Fn(&'a Resource) -> Option<&'a T> + 'a,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.entry
            .iter()
            .filter_map(|e| e.resource.as_ref())
            .filter_map(pick)
    }
}

impl BundleEntry {
    /// The R4 form of an STU3 entry.
    pub fn from_stu3(e: &crate::BundleEntry) -> Self {
        let mut response: Option<BundleResponse> = e
            .response
            .as_ref()
            .and_then(|r| recast("Bundle.entry.response", r).ok());
        if let (Some(r), Some(outcome)) = (&mut response, e.response.as_ref()) {
            r.outcome = outcome
                .extra
                .get("outcome")
                .and_then(|v| crate::Resource::from_json_value(v.clone()).ok())
                .map(|o| Resource::from_stu3(&o));
        }
        Self {
            full_url: e.full_url.clone(),
            resource: e.resource.as_ref().map(Resource::from_stu3),
            search: e.search.clone(),
            request: e
                .request
                .as_ref()
                .and_then(|r| recast("Bundle.entry.request", r).ok()),
            response,
            extra: e.extra.clone(),
        }
    }

    /// The STU3 form of an R4 entry.
    pub fn to_stu3(&self) -> Result<crate::BundleEntry, ModelError> {
        let response = match &self.response {
            Some(r) => {
                let mut plain = r.clone();
                let outcome = plain.outcome.take().map(|o| o.to_stu3()).transpose()?;
                let mut stu3: crate::BundleResponse = recast("Bundle.entry.response", &plain)?;
                if let Some(o) = outcome
                    && let Ok(v) = serde_json::to_value(o)
                {
                    stu3.extra.insert("outcome".to_owned(), v);
                }
                Some(stu3)
            }
            None => None,
        };
        Ok(crate::BundleEntry {
            full_url: self.full_url.clone(),
            resource: self.resource.as_ref().map(Resource::to_stu3).transpose()?,
            search: self.search.clone(),
            request: self
                .request
                .as_ref()
                .map(|r| recast("Bundle.entry.request", r))
                .transpose()?,
            response,
            extra: self.extra.clone(),
        })
    }
}
