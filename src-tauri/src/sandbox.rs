//! The sandbox launcher the shell hands to the core: starts `sched-sandbox` organisations in this
//! process on 127.0.0.1 with the desk's public key registered (the one edge from the app down to
//! the sandbox that ARCHITECTURE.md allows). Their data lives in the profile, beside the worklist.

use std::path::PathBuf;
use std::sync::Mutex;

use futures::FutureExt;
use futures::future::BoxFuture;
use referral_core::{SandboxHandle, SandboxLauncher, SandboxOrg};
use sched_sandbox::{ClientRegistration, RunningSandbox, Sandbox, SandboxConfig};

/// Starts the default sandbox organisations, keeping their data in `db`.
#[derive(Debug, Clone)]
pub struct Launcher {
    pub db: PathBuf,
}

impl SandboxLauncher for Launcher {
    fn start(
        &self,
        jwks: serde_json::Value,
        client_id: &str,
        scopes: &[&str],
    ) -> BoxFuture<'static, Result<Box<dyn SandboxHandle>, String>> {
        let mut config = SandboxConfig {
            db: Some(self.db.clone()),
            ..SandboxConfig::default()
        };
        let client = ClientRegistration {
            client_id: client_id.to_owned(),
            jwks: Some(jwks),
            jwks_url: None,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        };
        for org in &mut config.organisations {
            org.clients.push(client.clone());
        }
        async move {
            let running = Sandbox::start(config).await.map_err(|e| e.to_string())?;
            let orgs = describe(&running).map_err(|e| e.to_string())?;
            let handle = Running {
                running: Mutex::new(Some(running)),
                orgs,
            };
            Ok(Box::new(handle) as Box<dyn SandboxHandle>)
        }
        .boxed()
    }
}

fn describe(running: &RunningSandbox) -> Result<Vec<SandboxOrg>, sched_sandbox::SandboxError> {
    running
        .organisations()
        .iter()
        .map(|name| {
            Ok(SandboxOrg {
                id: format!("sandbox-{name}"),
                display_name: running.organisation(name)?.display.clone(),
                fhir_base_url: running.base_url(name)?,
            })
        })
        .collect()
}

/// Started organisations; `stop` shuts their server down.
#[derive(Debug)]
struct Running {
    running: Mutex<Option<RunningSandbox>>,
    orgs: Vec<SandboxOrg>,
}

impl SandboxHandle for Running {
    fn organisations(&self) -> Vec<SandboxOrg> {
        self.orgs.clone()
    }

    fn stop(self: Box<Self>) -> BoxFuture<'static, ()> {
        let running = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        async move {
            if let Some(running) = running {
                running.shutdown().await;
            }
        }
        .boxed()
    }
}
