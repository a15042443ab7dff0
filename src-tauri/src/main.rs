//! Entry point of the Referral Desk desktop app: reads the command line (help, version and bad
//! arguments end here, before any window), then hands over to the shell in `lib.rs`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
#![allow(
    clippy::print_stdout,
    reason = "--help, --version and argument errors answer on the terminal: no window exists yet"
)]

use std::process::ExitCode;

use referral_desk_lib::args::{self, Invocation};

/// Exit status for a command line the app refuses (the usual usage-error code).
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let options = match args::parse(std::env::args_os().skip(1)) {
        Ok(Invocation::Run(options)) => options,
        Ok(Invocation::Help) => {
            print!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Invocation::Version) => {
            println!("referral-desk {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("referral-desk: {err}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    match referral_desk_lib::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Nothing else can report this: the window (and the log plugin) never came up.
            eprintln!("referral-desk: {err}");
            ExitCode::FAILURE
        }
    }
}
