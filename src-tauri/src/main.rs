//! Entry point of the Referral Desk desktop app: hands over to the shell in `lib.rs`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    match referral_desk_lib::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Nothing else can report this: the window (and the log plugin) never came up.
            eprintln!("referral-desk: {err}");
            ExitCode::FAILURE
        }
    }
}
