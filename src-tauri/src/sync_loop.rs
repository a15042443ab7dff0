//! The background sync: at start (after start-up recovery), then every few minutes, the core
//! re-reads held and booked referrals at their organisations; each change it finds raises a
//! desktop notification and a `sync-changed` event the worklist listens to, so the row turns at
//! once. The interval is `--sync-interval`, else `REFDESK_SYNC_INTERVAL_SECS` (tests use a few
//! seconds), else 5 minutes.

use std::time::Duration;

use referral_api::handlers;
use referral_api::sync::{SyncNowRequest, SyncStatus};
use referral_core::App;
use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::NotificationExt;

/// The event the UI listens to (`SYNC_CHANGED_EVENT` in `ui/src/ipc/client.ts`).
pub const SYNC_CHANGED_EVENT: &str = "sync-changed";

/// Five minutes: often enough to learn of a cancellation the same morning, rare enough that a
/// desk of hundreds of referrals costs the organisations a handful of searches an hour.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(300);

/// The interval: `from_args` (`--sync-interval`), else `REFDESK_SYNC_INTERVAL_SECS` (a positive
/// whole number), else the default.
pub fn interval(from_args: Option<u64>) -> Duration {
    let from_env = || {
        std::env::var("REFDESK_SYNC_INTERVAL_SECS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    from_args
        .or_else(from_env)
        .filter(|secs| *secs > 0)
        .map_or(DEFAULT_INTERVAL, Duration::from_secs)
}

/// Start-up first (the sandbox organisations must be running), then a sync every interval.
pub async fn run(handle: AppHandle, core: App, every: Duration) {
    crate::state::start_up(core.clone()).await;
    log::info!("sync with the organisations every {} s", every.as_secs());
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match handlers::sync_now(&core, SyncNowRequest {}).await {
            Ok(status) => announce(&handle, &status),
            Err(e) => log::warn!("sync with the organisations failed: {:?}", e.code),
        }
    }
}

/// Tells the window and the desktop about each change (the log gets kinds, never patients).
fn announce(handle: &AppHandle, status: &SyncStatus) {
    if status.changes.is_empty() {
        return;
    }
    if let Err(e) = handle.emit(SYNC_CHANGED_EVENT, status) {
        log::warn!("sync event not delivered to the window: {e}");
    }
    for change in &status.changes {
        log::info!("sync change notified: {:?}", change.kind);
        let shown = handle
            .notification()
            .builder()
            .title("Referral Desk")
            .body(&change.message)
            .show();
        if let Err(e) = shown {
            log::warn!("desktop notification not shown: {e}");
        }
    }
}
