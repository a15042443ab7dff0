//! Bundle: search results (`searchset`, including the Argonaut avail-bundle and slot-bundle) and
//! transactions (used to import seed data).

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{JsonMap, Meta, OperationOutcome, Resource};

resource_tag!(BundleType, "Bundle");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    #[serde(rename = "resourceType")]
    pub resource_type: BundleType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// searchset | transaction | transaction-response | batch | history | collection | ...
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
pub struct BundleLink {
    pub relation: String,
    pub url: String,
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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleSearch {
    /// match | include | outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleRequest {
    pub method: String,
    pub url: String,
    #[serde(rename = "ifNoneExist", skip_serializing_if = "Option::is_none")]
    pub if_none_exist: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleResponse {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Bundle {
    /// An empty searchset with `total`.
    pub fn searchset(total: u64) -> Self {
        Self {
            type_: "searchset".to_owned(),
            total: Some(total),
            ..Self::default()
        }
    }

    /// The `next` link, if the server pages.
    pub fn next_link(&self) -> Option<&str> {
        self.link
            .iter()
            .find(|l| l.relation == "next")
            .map(|l| l.url.as_str())
    }

    /// Every entry resource of the given kind, via a projection such as `Resource::as_appointment`.
    pub fn resources<'a, T: 'a>(
        &'a self,
        pick: impl Fn(&'a Resource) -> Option<&'a T> + 'a,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.entry
            .iter()
            .filter_map(|e| e.resource.as_ref())
            .filter_map(pick)
    }

    /// The OperationOutcomes carried in the bundle (search.mode = outcome, or any OO entry).
    pub fn outcomes(&self) -> impl Iterator<Item = &OperationOutcome> {
        self.resources(Resource::as_operation_outcome)
    }
}
