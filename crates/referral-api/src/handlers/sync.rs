//! Handlers of [`crate::sync`]: `sync_now` and `sync_status`.

use referral_core::{App, Change, ChangeKind};

use super::OrApi;
use crate::error::ApiError;
use crate::sync::{SyncChange, SyncChangeKind, SyncNowRequest, SyncStatus, SyncStatusRequest};

pub async fn sync_now(app: &App, _req: SyncNowRequest) -> Result<SyncStatus, ApiError> {
    let report = app.sync_with_organisations().await.api()?;
    let mut status = sync_status(app, SyncStatusRequest {}).await?;
    status.changes = report.changes.iter().map(change).collect();
    Ok(status)
}

pub async fn sync_status(app: &App, _req: SyncStatusRequest) -> Result<SyncStatus, ApiError> {
    let state = app.sync_state().await.api()?;
    Ok(SyncStatus {
        last_synced_at: state.last_synced_at,
        offline: state.offline,
        changes: Vec::new(),
    })
}

fn change(c: &Change) -> SyncChange {
    let who = &c.referral.patient.display_name;
    let org = &c.organisation_name;
    let (kind, message) = match c.kind {
        ChangeKind::CancelledByOrganisation => (
            SyncChangeKind::CancelledByOrganisation,
            format!("{org} cancelled the appointment of {who}."),
        ),
        ChangeKind::Moved => (
            SyncChangeKind::Moved,
            format!("{org} moved the appointment of {who}."),
        ),
        ChangeKind::HoldExpired => (
            SyncChangeKind::HoldExpired,
            format!("The hold for {who} at {org} ran out."),
        ),
    };
    SyncChange {
        referral_id: c.referral.id.to_string(),
        kind,
        message,
    }
}
