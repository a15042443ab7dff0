//! `sched-sandbox`: serves the sandbox organisations on 127.0.0.1 and prints one JSON line with
//! every organisation's FHIR base and token URL, then runs until SIGINT/SIGTERM.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use sched_sandbox::{Sandbox, SandboxConfig};

/// Sandbox organisations: an Argonaut Scheduling server with SMART Backend Services.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// TOML configuration (see docs/sandbox.md); default: three built-in organisations.
    #[arg(long, env = "SCHED_SANDBOX_CONFIG")]
    config: Option<PathBuf>,
    /// Port on 127.0.0.1 (0 = any free port); overrides the file.
    #[arg(long)]
    port: Option<u16>,
    /// SQLite file (bookings survive a restart); default in memory; overrides the file.
    #[arg(long)]
    db: Option<PathBuf>,
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, () = term => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let mut config = match &args.config {
        Some(path) => match SandboxConfig::from_file(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("sched-sandbox: {e}");
                return ExitCode::from(2);
            }
        },
        None => SandboxConfig::default(),
    };
    if let Some(port) = args.port {
        config.port = port;
    }
    if args.db.is_some() {
        config.db = args.db;
    }
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sched-sandbox: {e}");
            return ExitCode::from(if e.is_config() { 2 } else { 1 });
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", sandbox.urls_json())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    wait_for_signal().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
