//! The background sync: at start (after start-up recovery), then every few minutes, the core
//! re-reads held and booked referrals at their organisations; each change it finds raises a
//! desktop notification and a `sync-changed` event the worklist listens to, so the row turns at
//! once. The interval is `--sync-interval`, else `REFDESK_SYNC_INTERVAL_SECS` (tests use a few
//! seconds), else 5 minutes.
//!
//! Start-up (restarting the sandbox organisations, recovery) and the first sync wait until the
//! window's first screen has painted (the UI's `ui-ready` event), so they do not compete with the
//! webview for the CPU while it starts, nor hold `app_status` (which waits for a starting
//! sandbox) back: docs/benchmarks.md, "desktop app", 2026-11-30 evening.

use std::time::Duration;

use referral_api::handlers;
use referral_api::sync::{SyncNowRequest, SyncStatus};
use referral_core::App;
use tauri::{AppHandle, Emitter, Listener};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::oneshot;

/// The event the UI listens to (`SYNC_CHANGED_EVENT` in `ui/src/ipc/client.ts`).
pub const SYNC_CHANGED_EVENT: &str = "sync-changed";

/// The event the UI sends once its first screen has painted (`UI_READY_EVENT` in
/// `ui/src/ipc/client.ts`).
pub const UI_READY_EVENT: &str = "ui-ready";

/// The event telling the UI that start-up has run, so it re-reads the app's status (the sandbox
/// organisations now run; recovery may have flagged referrals): `STARTED_UP_EVENT` in
/// `ui/src/ipc/client.ts`.
pub const STARTED_UP_EVENT: &str = "started-up";

/// How long start-up waits for `UI_READY_EVENT` before going ahead anyway (a page that failed to
/// load must not keep the sandbox organisations and the sync from starting).
const UI_READY_FALLBACK: Duration = Duration::from_secs(5);

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

/// Resolves once the UI has sent `UI_READY_EVENT` (an error when the listener went away first).
/// Call before the window is created, so the event cannot come before the listener.
pub fn ui_ready(handle: &AppHandle) -> oneshot::Receiver<()> {
    let (ready, painted) = oneshot::channel();
    handle.once(UI_READY_EVENT, move |_| {
        // A receiver already gone means start-up went ahead after the fallback: nothing to do.
        let _ = ready.send(());
    });
    painted
}

/// Once the UI has painted (or after `UI_READY_FALLBACK`), start-up (the sandbox organisations
/// must be running), then a sync at once and every interval.
pub async fn run(handle: AppHandle, core: App, every: Duration, ui_ready: oneshot::Receiver<()>) {
    if tokio::time::timeout(UI_READY_FALLBACK, ui_ready)
        .await
        .is_err()
    {
        log::info!("the window did not report its first paint; starting up anyway");
    }
    crate::state::start_up(core.clone()).await;
    if let Err(e) = handle.emit(STARTED_UP_EVENT, ()) {
        log::warn!("start-up event not delivered to the window: {e}");
    }
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
