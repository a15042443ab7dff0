//! DTOs of the key commands: `list_keys`, `add_key`, `retire_key`, `set_organisation_key`.
//! Only public facts about each key travel: its id, algorithm, dates and who uses it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::admin::KeyAlgorithm;

/// `list_keys` request: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ListKeysRequest {}

/// `add_key` request: a new key, which becomes the one new registrations use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddKeyRequest {
    /// ES384 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub algorithm: Option<KeyAlgorithm>,
}

/// `retire_key` request: the key leaves the JWKS and can no longer sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RetireKeyRequest {
    pub key_id: String,
}

/// `set_organisation_key` request: the organisation signs with this key from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetOrganisationKeyRequest {
    pub organisation_id: String,
    pub key_id: String,
}

/// An organisation signing with a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyUser {
    pub id: String,
    pub display_name: String,
}

/// One key of the app (public facts only, never the private key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppKey {
    pub key_id: String,
    /// `ES384` or `RS384`.
    pub algorithm: String,
    /// RFC 3339; absent for a key made before key rotation existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub created: Option<String>,
    /// RFC 3339, when retired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retired: Option<String>,
    /// New registrations use this key.
    pub active: bool,
    pub organisations: Vec<KeyUser>,
}

/// Every key of the app, active first; what each key command answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyList {
    pub keys: Vec<AppKey>,
}
