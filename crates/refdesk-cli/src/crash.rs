//! What happens when `refdesk` stops abnormally.
//!
//! A panic (a bug) ends the command with one plain sentence on stderr and the local-failure exit
//! code instead of Rust's panic text; the journal makes stopping mid-way safe, as it does for a
//! crash. The details go to stderr only with `RUST_BACKTRACE` set, for whoever debugs it.
//!
//! Test-only crash hook: `REFDESK_CRASH_AT=<operation>:<journaled|sent>` kills this process with
//! SIGKILL right after the journal intent is committed (`journaled`) or right after the remote
//! call answered (`sent`), so tests can prove recovery reconciles every step. Operations are the
//! journal's: hold, book, cancel, release-hold, create-patient, create-coverage, reschedule-hold,
//! reschedule-cancel-old, reschedule-book; and the home outbox's: claim, start, release,
//! outcome, renew.

use std::sync::Arc;

use referral_core::{CrashHook, CrashPoint};

/// Replaces the default panic output (a backtrace a clinician cannot act on) with a sentence and
/// a documented exit code.
pub fn install_panic_hook() {
    let debug = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    std::panic::set_hook(Box::new(move |info| {
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "refdesk: stopped by an internal error; anything unfinished is reconciled on the next run (`refdesk recover`). Please report it."
        );
        if debug {
            let _ = writeln!(
                err,
                "refdesk: at {}",
                info.location()
                    .map_or_else(String::new, ToString::to_string)
            );
        }
        std::process::exit(i32::from(crate::out::LOCAL_FAILURE.exit_code()));
    }));
}

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
