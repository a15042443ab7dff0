//! `app_status` and `setup_sandbox`.

use referral_core::App;
use referral_model::{ReferralStatus, WorklistQuery};

use super::{OrApi, convert};
use crate::error::ApiError;
use crate::status::{AppStatus, AppStatusRequest, SetupSandboxRequest, SetupSandboxResult};

pub async fn app_status(app: &App, _req: AppStatusRequest) -> Result<AppStatus, ApiError> {
    let orgs = app.organisations(true).await.api()?;
    let attention = app
        .worklist_page(WorklistQuery {
            statuses: vec![ReferralStatus::NeedsAttention],
            limit: 1,
            ..WorklistQuery::default()
        })
        .await
        .api()?;
    Ok(AppStatus {
        first_run: orgs.is_empty(),
        organisation_count: u32::try_from(orgs.len()).unwrap_or(u32::MAX),
        sandbox_running: app.sandbox_running().await,
        key_present: app.existing_key().api()?.is_some(),
        needs_attention_count: u32::try_from(attention.total).unwrap_or(u32::MAX),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

pub async fn setup_sandbox(
    app: &App,
    _req: SetupSandboxRequest,
) -> Result<SetupSandboxResult, ApiError> {
    let orgs = app.use_sandbox().await.api()?;
    Ok(SetupSandboxResult {
        organisations: orgs.iter().map(convert::organisation).collect(),
    })
}
