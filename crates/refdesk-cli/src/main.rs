//! `refdesk`: Referral Desk's workflows from a terminal, for admins, automation and tests. Every
//! command is a front end of a `referral_api::handlers` function, as the desktop app is.

mod cli;
mod cmd;
mod crash;
mod out;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use referral_api::admin::{RecoverRequest, RecoveryResult};
use referral_api::handlers::{self, api_error};
use referral_api::{ApiError, ApiErrorCode};
use referral_core::{App, AppBuilder, KeyStorage};

use crate::cli::{Cli, Command};
use crate::out::{Done, Out, Stop};

fn main() -> ExitCode {
    crash::install_panic_hook();
    let cli = Cli::parse();
    let out = Out::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(_) => {
            let e = out::local_failure("refdesk could not start its runtime.");
            return fail(&out, &e);
        }
    };
    match runtime.block_on(run(cli, &out)) {
        Ok(code) => ExitCode::from(code),
        Err(Stop::Closed) => ExitCode::SUCCESS,
        Err(Stop::Api(e)) => fail(&out, &e),
    }
}

fn fail(out: &Out, e: &ApiError) -> ExitCode {
    out.error(e);
    ExitCode::from(e.code.exit_code())
}

/// The data directory: `--data-dir`, `REFDESK_DATA_DIR`, or the OS data directory.
fn data_dir(cli: &Cli) -> Result<PathBuf, ApiError> {
    if let Some(dir) = &cli.data_dir {
        return Ok(dir.clone());
    }
    directories::ProjectDirs::from("org", "Referral Desk", "refdesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            ApiError::invalid_field("--data-dir", "no home directory found; pass --data-dir.")
        })
}

fn open_app(cli: &Cli) -> Result<App, ApiError> {
    let dir = data_dir(cli)?;
    let storage = if cli.key_file {
        KeyStorage::File(dir.join("keys"))
    } else {
        KeyStorage::OsKeyring
    };
    let mut builder = AppBuilder::open(&dir, None)
        .and_then(|b| b.key_storage(&storage))
        .map_err(|e| api_error(&e))?
        .sandbox_launcher(Arc::new(sandbox_launcher::Launcher::default()))
        .user(&std::env::var("USER").unwrap_or_else(|_| "refdesk".to_owned()));
    if let Some(hook) = crash::hook_from_env() {
        builder = builder.crash_hook(hook);
    }
    builder.build().map_err(|e| api_error(&e))
}

async fn run(cli: Cli, out: &Out) -> Done {
    let app = open_app(&cli)?;
    let workflow = !matches!(
        cli.command,
        Command::Keys(_)
            | Command::Org(_)
            | Command::Sandbox(_)
            | Command::Recover
            | Command::Audit(_)
            | Command::Settings(_)
            | Command::Home(_)
            // A person resolving a referral sees the organisation's answer themselves.
            | Command::Referrals(cli::ReferralsCmd::Recheck { .. } | cli::ReferralsCmd::Settle { .. })
    );
    if workflow {
        let report = handlers::recover(&app, RecoverRequest {}).await?;
        if report.resolved > 0 || report.holds_released > 0 || !report.flagged.is_empty() {
            out.progress(&recovery_text(&report));
        }
    }
    match cli.command {
        Command::Keys(c) => cmd::keys::run(&app, c, out).await,
        Command::Org(c) => cmd::org::run(&app, c, out).await,
        Command::Patient(c) => cmd::patient::run(&app, c, out).await,
        Command::Coverage(c) => cmd::patient::coverage(&app, c, out).await,
        Command::Find(a) => cmd::find::run(&app, *a, out).await,
        Command::Hold(a) => cmd::workflow::hold(&app, a, out).await,
        Command::Release(a) => cmd::workflow::release(&app, a, out).await,
        Command::Book(a) => cmd::workflow::book(&app, a, out).await,
        Command::Cancel(a) => cmd::workflow::cancel(&app, a, out).await,
        Command::Reschedule(a) => cmd::workflow::reschedule(&app, a, out).await,
        Command::Referrals(c) => cmd::referrals::run(&app, c, out).await,
        Command::Appointments(a) => cmd::referrals::appointments(&app, a, out).await,
        Command::Export(c) => cmd::export::run(&app, c, out).await,
        Command::Recover => {
            let report = handlers::recover(&app, RecoverRequest {}).await?;
            out.emit(&report, recovery_text)?;
            Ok(if report.flagged.is_empty() {
                0
            } else {
                ApiErrorCode::NeedsAttention.exit_code()
            })
        }
        Command::Sandbox(c) => cmd::sandbox::run(&app, c, out).await,
        Command::Audit(c) => cmd::audit::run(&app, c, out).await,
        Command::Settings(c) => cmd::settings::run(&app, c, out).await,
        Command::Home(c) => cmd::queue::home(&app, c, out).await,
        Command::Queue(c) => cmd::queue::run(&app, c, out).await,
    }
}

fn recovery_text(r: &RecoveryResult) -> String {
    let mut s = format!(
        "recovery: {} unfinished action(s) reconciled, {} left for later, {} orphaned hold(s) released",
        r.resolved, r.left, r.holds_released
    );
    for id in &r.flagged {
        s.push_str(&format!("\nrecovery: referral {id} needs attention"));
    }
    s
}
