//! Test-only crash hook: `REFDESK_CRASH_AT=<operation>:<journaled|sent>` kills this process with
//! SIGKILL right after the journal intent is committed (`journaled`) or right after the remote
//! call answered (`sent`), so tests can prove recovery reconciles every step. Operations are the
//! journal's: hold, book, cancel, release-hold, create-patient, create-coverage, reschedule-hold,
//! reschedule-cancel-old, reschedule-book.

use std::sync::Arc;

use referral_core::{CrashHook, CrashPoint};

/// The hook, when `REFDESK_CRASH_AT` is set.
pub fn hook_from_env() -> Option<CrashHook> {
    let spec = std::env::var("REFDESK_CRASH_AT").ok()?;
    let (op, point) = spec.split_once(':')?;
    let point = match point {
        "journaled" => CrashPoint::Journaled,
        "sent" => CrashPoint::Sent,
        _ => return None,
    };
    let op = op.to_owned();
    Some(Arc::new(move |at: &str, p: CrashPoint| {
        if at == op && p == point {
            die();
        }
    }))
}

/// SIGKILL ourselves (no unsafe, no libc): nothing after this line runs, no destructor, no flush.
fn die() -> ! {
    let pid = std::process::id().to_string();
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &pid])
        .status();
    std::process::abort()
}
