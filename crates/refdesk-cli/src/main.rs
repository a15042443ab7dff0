//! `refdesk`: Referral Desk's workflows from a terminal, for admins, automation and tests.

mod cli;
mod cmd;
mod crash;
mod exit;
mod out;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use referral_core::{App, AppBuilder, CoreError, KeyStorage};

use crate::cli::{Cli, Command};
use crate::out::Out;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("refdesk: could not start: {e}");
            return ExitCode::from(exit::LOCAL);
        }
    };
    let out = Out::new(cli.json);
    match runtime.block_on(run(cli, &out)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            out.error(&e);
            ExitCode::from(exit::code_of(&e))
        }
    }
}

/// The data directory: `--data-dir`, `REFDESK_DATA_DIR`, or the OS data directory.
fn data_dir(cli: &Cli) -> Result<PathBuf, CoreError> {
    if let Some(dir) = &cli.data_dir {
        return Ok(dir.clone());
    }
    directories::ProjectDirs::from("org", "Referral Desk", "refdesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| CoreError::invalid("--data-dir", "no home directory found; pass --data-dir"))
}

fn open_app(cli: &Cli) -> Result<App, CoreError> {
    let dir = data_dir(cli)?;
    let storage = if cli.key_file {
        KeyStorage::File(dir.join("keys"))
    } else {
        KeyStorage::OsKeyring
    };
    let mut builder = AppBuilder::open(&dir, None)?
        .key_storage(&storage)?
        .sandbox_launcher(Arc::new(sandbox_launcher::Launcher::default()))
        .user(&std::env::var("USER").unwrap_or_else(|_| "refdesk".to_owned()));
    if let Some(hook) = crash::hook_from_env() {
        builder = builder.crash_hook(hook);
    }
    builder.build()
}

async fn run(cli: Cli, out: &Out) -> Result<u8, CoreError> {
    let app = open_app(&cli)?;
    let workflow = !matches!(
        cli.command,
        Command::Keys(_)
            | Command::Org(_)
            | Command::Sandbox(_)
            | Command::Recover
            | Command::Audit(_)
    );
    if workflow {
        let report = app.recover().await?;
        out.recovery(&report);
    }
    match cli.command {
        Command::Keys(c) => cmd::keys::run(&app, c, out),
        Command::Org(c) => cmd::org::run(&app, c, out).await,
        Command::Patient(c) => cmd::patient::run(&app, c, out).await,
        Command::Coverage(c) => cmd::patient::coverage(&app, c, out).await,
        Command::Find(a) => cmd::workflow::find(&app, a, out).await,
        Command::Hold(a) => cmd::workflow::hold(&app, a, out).await,
        Command::Release(a) => cmd::workflow::release(&app, a, out).await,
        Command::Book(a) => cmd::workflow::book(&app, a, out).await,
        Command::Cancel(a) => cmd::workflow::cancel(&app, a, out).await,
        Command::Reschedule(a) => cmd::workflow::reschedule(&app, a, out).await,
        Command::Referrals(c) => cmd::referrals::run(&app, c, out).await,
        Command::Appointments(a) => cmd::referrals::appointments(&app, a, out).await,
        Command::Recover => {
            let report = app.recover().await?;
            out.recovery_full(&report);
            Ok(if report.flagged.is_empty() {
                exit::OK
            } else {
                exit::NEEDS_ATTENTION
            })
        }
        Command::Sandbox(c) => cmd::sandbox::run(&app, c, out).await,
        Command::Audit(c) => Ok(cmd::audit::run(&app, c).await),
    }
}
