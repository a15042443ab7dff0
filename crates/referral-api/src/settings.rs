//! Desk settings: the default referring clinician (who organisations call back) and the default
//! due-by offset for discharge follow-ups.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::referral::Referrer;

/// `get_desk_settings` request: no parameters. Result: [`DeskSettings`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GetDeskSettingsRequest {}

/// The desk's settings; `save_desk_settings` takes and returns them (as stored, trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskSettings {
    /// The referrer a new referral gets when it names none.
    pub referrer: Option<Referrer>,
    /// Default due-by offset in days for discharge follow-ups (1 to 365), e.g. 7.
    pub follow_up_days: Option<u32>,
}

/// `save_desk_settings` request: the settings themselves (the same JSON as [`DeskSettings`];
/// a wrapper only because every command's request type is named `…Request`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveDeskSettingsRequest {
    #[serde(flatten)]
    #[ts(flatten)]
    pub settings: DeskSettings,
}
