//! `refdesk sandbox serve`: sandbox organisations in this process until Ctrl-C (or SIGTERM).

use std::sync::Arc;

use referral_core::{App, CoreError};
use serde_json::json;

use crate::cli::SandboxCmd;
use crate::exit;
use crate::out::Out;
use sandbox_launcher::Launcher;

pub async fn run(app: &App, cmd: SandboxCmd, out: &Out) -> Result<u8, CoreError> {
    let SandboxCmd::Serve {
        port,
        hold_ttl,
        no_hold,
    } = cmd;
    // A launcher with this command's options replaces the default one for this run.
    let app = app.with_sandbox_launcher(Arc::new(Launcher {
        port,
        hold_ttl,
        no_hold,
        db: None,
    }));
    let orgs = app.use_sandbox().await?;
    let doc = json!({ "organisations": orgs.iter().map(|o| json!({ "id": o.id, "name": o.display_name, "fhirBase": o.fhir_base_url })).collect::<Vec<_>>() });
    // One line, machine-readable, so scripts and tests can wait for it.
    #[allow(
        clippy::print_stdout,
        reason = "the ready line is the command's output"
    )]
    {
        if out.is_json() {
            println!("{doc}");
        } else {
            for o in &orgs {
                println!("{}  {}  {}", o.id, o.fhir_base_url, o.display_name);
            }
            println!(
                "serving {} sandbox organisation(s); Ctrl-C to stop",
                orgs.len()
            );
        }
    }
    wait_for_stop().await;
    app.shutdown().await?;
    Ok(exit::OK)
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
