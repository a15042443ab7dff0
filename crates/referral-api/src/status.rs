//! `app_status` and `setup_sandbox`: what the first-run screen needs to decide where to go.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::organisation::Organisation;

/// `app_status` request: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppStatusRequest {}

/// The app's state at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// No organisation is configured yet: show the first-run screen.
    pub first_run: bool,
    pub organisation_count: u32,
    /// The in-process sandbox organisations are running.
    pub sandbox_running: bool,
    /// The app's signing key exists (its public JWKS can be shown).
    pub key_present: bool,
    /// Referrals needing a person's attention (recovery found an uncertain outcome).
    pub needs_attention_count: u32,
    pub app_version: String,
}

/// `setup_sandbox` request: start the sandbox organisations on loopback, create the app's key if
/// missing, register it with them and add them to the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetupSandboxRequest {}

/// The sandbox organisations now in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupSandboxResult {
    pub organisations: Vec<Organisation>,
}
