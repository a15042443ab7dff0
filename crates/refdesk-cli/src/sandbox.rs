//! The sandbox launcher handed to the core: starts `sched-sandbox` organisations in-process on
//! 127.0.0.1 and registers the desk's JWKS with each (the one allowed edge down to the sandbox).

use std::sync::Mutex;

use futures::FutureExt;
use futures::future::BoxFuture;
use referral_core::{SandboxHandle, SandboxLauncher, SandboxOrg};
use sched_sandbox::{ClientRegistration, RunningSandbox, Sandbox, SandboxConfig};

/// Launch settings (`refdesk sandbox serve` options).
#[derive(Debug, Default, Clone)]
pub struct Launcher {
    pub port: u16,
    pub hold_ttl: Option<u64>,
    pub no_hold: bool,
}

impl SandboxLauncher for Launcher {
    fn start(
        &self,
        jwks: serde_json::Value,
        client_id: &str,
        scopes: &[&str],
    ) -> BoxFuture<'static, Result<Box<dyn SandboxHandle>, String>> {
        let mut config = SandboxConfig {
            port: self.port,
            ..SandboxConfig::default()
        };
        for org in &mut config.organisations {
            if let Some(ttl) = self.hold_ttl {
                org.hold_ttl_seconds = ttl;
            }
            org.faults.hold_not_supported = self.no_hold;
            org.clients.push(ClientRegistration {
                client_id: client_id.to_owned(),
                jwks: Some(jwks.clone()),
                jwks_url: None,
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            });
        }
        async move {
            let running = Sandbox::start(config).await.map_err(|e| e.to_string())?;
            let mut orgs = Vec::new();
            for name in running.organisations().to_vec() {
                let org = running.organisation(&name).map_err(|e| e.to_string())?;
                let base = running.base_url(&name).map_err(|e| e.to_string())?;
                orgs.push(SandboxOrg {
                    id: format!("sandbox-{name}"),
                    display_name: display_of(&org),
                    fhir_base_url: base,
                });
            }
            Ok(Box::new(Running {
                running: Mutex::new(Some(running)),
                orgs,
            }) as Box<dyn SandboxHandle>)
        }
        .boxed()
    }
}

fn display_of(org: &sched_sandbox::org::Organisation) -> String {
    org.display.clone()
}

/// Started sandbox organisations.
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
            if let Some(r) = running {
                r.shutdown().await;
            }
        }
        .boxed()
    }
}
