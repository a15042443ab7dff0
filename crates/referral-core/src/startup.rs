//! Start-up duties a front end runs once the `App` is built: restart the sandbox organisations
//! when the directory uses them, then reconcile work a crash left half done
//! (the organisations' journal and the home organisation's outbox).

use crate::app::App;
use crate::error::CoreResult;
use crate::recovery::RecoveryReport;

/// Directory ids of sandbox organisations start with this (`sandbox-<name>`).
const SANDBOX_ID_PREFIX: &str = "sandbox-";

/// What start-up did, for the front end to log or show.
#[derive(Debug)]
pub struct StartUpReport {
    /// Sandbox organisations restarted: 0 when the directory uses none.
    pub sandbox: CoreResult<usize>,
    /// What recovery did.
    pub recovery: CoreResult<RecoveryReport>,
    /// Write-backs to the home organisation replayed from its outbox (0 when none waited).
    pub home_outbox: CoreResult<u32>,
}

impl App {
    /// Restarts the sandbox organisations if the directory holds any (their loopback addresses
    /// change at every start and `use_sandbox` re-registers them), then runs `recover()`, which
    /// needs the organisations reachable. A failure of the first step does not skip the second.
    pub async fn start_up(&self) -> StartUpReport {
        let sandbox = self.restart_sandbox_if_used().await;
        let recovery = self.recover().await;
        let home_outbox = Box::pin(self.replay_outbox()).await;
        if let Err(e) = Box::pin(self.catch_up_outcomes()).await {
            tracing::warn!(error = %e, "outcomes could not be written back to the home yet");
        }
        StartUpReport {
            sandbox,
            recovery,
            home_outbox,
        }
    }

    async fn restart_sandbox_if_used(&self) -> CoreResult<usize> {
        let orgs = self.organisations(true).await?;
        let uses_sandbox = orgs
            .iter()
            .any(|org| org.id.as_str().starts_with(SANDBOX_ID_PREFIX));
        if !uses_sandbox {
            return Ok(0);
        }
        Ok(self.use_sandbox().await?.len())
    }
}
