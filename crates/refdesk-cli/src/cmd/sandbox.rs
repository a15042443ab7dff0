//! `refdesk sandbox serve`: sandbox organisations in this process until Ctrl-C (or SIGTERM).

use std::sync::Arc;

use referral_api::handlers::{self, api_error};
use referral_api::status::SetupSandboxRequest;
use referral_core::App;
use sandbox_launcher::Launcher;

use crate::cli::SandboxCmd;
use crate::out::{Done, Out};

pub async fn run(app: &App, cmd: SandboxCmd, out: &Out) -> Done {
    let SandboxCmd::Serve {
        port,
        hold_ttl,
        no_hold,
        every_dialect,
    } = cmd;
    // A launcher with this command's options replaces the default one for this run.
    let app = app.with_sandbox_launcher(Arc::new(Launcher {
        port,
        hold_ttl,
        no_hold,
        db: None,
        every_dialect,
    }));
    let started = handlers::setup_sandbox(&app, SetupSandboxRequest {}).await?;
    // One line either way, so scripts and tests can wait for it.
    if out.is_json() {
        out.json_line(&started, false)?;
    } else {
        let mut lines: Vec<String> = started
            .organisations
            .iter()
            .map(|o| format!("{}  {}  {}", o.id, o.fhir_base, o.name))
            .collect();
        lines.push(format!(
            "serving {} sandbox organisation(s); Ctrl-C to stop",
            started.organisations.len()
        ));
        out.text(&lines.join("\n"))?;
    }
    wait_for_stop().await;
    app.shutdown().await.map_err(|e| api_error(&e))?;
    Ok(0)
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
