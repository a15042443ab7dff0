//! The organisation directory: list, save, remove, check a connection, and the app's public key.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An organisation the app can book into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub id: String,
    pub name: String,
    /// FHIR base URL, e.g. `https://ehr.example.org/fhir`.
    pub fhir_base: String,
    /// The client_id this organisation's authorization server knows the app by.
    pub client_id: String,
    /// Space-separated SMART scopes requested.
    pub scopes: String,
    pub enabled: bool,
    /// One of the in-process sandbox organisations.
    pub sandbox: bool,
    /// The capability report read last, if the connection was ever checked.
    pub last_check: Option<CapabilityReport>,
    /// The scheduling dialect set in its settings (`argonaut`, `ihe-iti`, `plain-r4`, `epic`,
    /// `oracle`); absent = detected from its CapabilityStatement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dialect: Option<String>,
}

/// `list_organisations` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListOrganisationsRequest {
    /// Also list disabled organisations (Settings does; the wizard does not).
    pub include_disabled: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationList {
    pub organisations: Vec<Organisation>,
}

/// `save_organisation` request: add (`id` null) or edit an organisation. Result: [`Organisation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveOrganisationRequest {
    pub id: Option<String>,
    pub name: String,
    pub fhir_base: String,
    pub client_id: String,
    pub scopes: String,
    pub enabled: bool,
    /// Set the dialect (a name, or `auto` to detect it again); absent leaves it as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dialect: Option<String>,
}

/// `remove_organisation` request. Referrals already made keep their history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoveOrganisationRequest {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoveOrganisationResult {
    pub id: String,
    /// True when it had referrals and was disabled instead, so their history stays readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub disabled_instead: Option<bool>,
}

/// `check_organisation` request: discovery + token + `/metadata`. Result: [`CapabilityReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckOrganisationRequest {
    pub id: String,
}

/// One step of a connection check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckStep {
    pub ok: bool,
    /// What was found, or what went wrong, as a sentence.
    pub detail: String,
}

/// What an organisation supports, as read by a connection check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityReport {
    pub organisation_id: String,
    pub checked_at: DateTime<Utc>,
    /// `.well-known/smart-configuration` read and usable.
    pub discovery: CheckStep,
    /// An access token was obtained with the app's key.
    pub token: CheckStep,
    /// `/metadata` read; its `fhirVersion`.
    pub metadata: CheckStep,
    pub fhir_version: Option<String>,
    /// Operations offered, e.g. `["find", "hold", "book", "match"]`.
    pub operations: Vec<String>,
    /// Patch formats declared for cancel / release, e.g. `["application/json-patch+json"]`.
    pub patch_formats: Vec<String>,
    pub hold_supported: bool,
    /// The dialect the organisation is spoken to in (`plain-r4`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dialect: Option<String>,
    /// Its plain name, e.g. "IHE ITI Scheduling (FHIR R4)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dialect_label: Option<String>,
    /// Why: "set in the organisation's settings", or what the CapabilityStatement declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dialect_reason: Option<String>,
}

/// `get_jwks` request: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GetJwksRequest {}

/// The app's PUBLIC key set, to hand to an organisation's administrator. Never a private key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Jwks {
    /// The JWK Set document, pretty-printed JSON, ready to copy.
    pub jwks_json: String,
    pub key_id: String,
    /// `ES384` or `RS384`.
    pub algorithm: String,
}
