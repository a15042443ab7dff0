//! Starting the sandbox: open the store, seed and build every organisation, assemble the router
//! (FHIR API, SMART discovery and token endpoint, admin), bind 127.0.0.1 and serve until
//! shut down.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::admin;
use crate::auth::{self, ClientRegistration};
use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::error::SandboxError;
use crate::faults::{self, Faults};
use crate::fhir::{self, response};
use crate::org::Organisation;
use crate::store::Store;

/// Entry point: `Sandbox::start(config)`.
#[derive(Debug)]
pub struct Sandbox;

/// A sandbox serving on 127.0.0.1. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningSandbox {
    addr: SocketAddr,
    names: Vec<String>,
    orgs: Arc<HashMap<String, Arc<Organisation>>>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts with the system clock.
    pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
        Self::start_with_clock(config, Clock::system()).await
    }

    /// Starts with an injected clock (tests move time instead of sleeping).
    pub async fn start_with_clock(
        config: SandboxConfig,
        clock: Clock,
    ) -> Result<RunningSandbox, SandboxError> {
        config.validate()?;
        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|source| SandboxError::Bind {
                port: config.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            port: config.port,
            source,
        })?;
        let origin = format!("http://{addr}");
        let store = Arc::new(Store::open(config.db.as_deref())?);
        let mut orgs = HashMap::new();
        let mut names = Vec::new();
        for oc in &config.organisations {
            let s = Arc::clone(&store);
            let (oc2, origin2, clock2) = (oc.clone(), origin.clone(), clock.clone());
            let org =
                tokio::task::spawn_blocking(move || Organisation::open(&oc2, s, &origin2, clock2))
                    .await
                    .map_err(|e| SandboxError::Import {
                        path: Default::default(),
                        message: format!("seeding task failed: {e}"),
                    })??;
            names.push(oc.name.clone());
            orgs.insert(oc.name.clone(), Arc::new(org));
        }
        let orgs = Arc::new(orgs);
        let capture = crate::capture::Capture::from_config_or_env(config.capture_dir.as_deref())
            .map_err(|source| SandboxError::Bind {
                port: config.port,
                source,
            })?;
        let r4 = orgs.values().filter(|o| o.is_r4());
        let capture = capture.map(|c| c.with_r4_organisations(r4.map(|o| o.name.clone())));
        let app = crate::capture::maybe_wrap(router(&orgs), capture);
        let (stop, stopped) = oneshot::channel::<()>();
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, service).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = served.await {
                tracing::error!(error = %e, "server stopped");
            }
        });
        Ok(RunningSandbox {
            addr,
            names,
            orgs,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// Every organisation's FHIR API (with faults applied) and SMART routes, plus admin.
fn router(orgs: &Arc<HashMap<String, Arc<Organisation>>>) -> Router {
    let mut app = Router::new();
    for (name, org) in orgs.iter() {
        let fhir = fhir::router(Arc::clone(org))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&org.faults),
                faults::apply,
            ))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&org.requests),
                crate::counts::count,
            ));
        app = app
            .nest(&format!("/{name}/fhir"), fhir)
            .nest(&format!("/{name}"), auth::routes(org.auth.clone()));
    }
    app.merge(admin::router(Arc::clone(orgs)))
        .fallback(response::not_found)
}

impl RunningSandbox {
    /// The bound address (127.0.0.1:port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Organisation names in configuration order.
    pub fn organisations(&self) -> &[String] {
        &self.names
    }

    /// The organisation's state (tests and embedding).
    pub fn organisation(&self, name: &str) -> Result<Arc<Organisation>, SandboxError> {
        self.orgs
            .get(name)
            .cloned()
            .ok_or_else(|| SandboxError::UnknownOrganisation(name.to_owned()))
    }

    /// `http://127.0.0.1:PORT/<org>/fhir`.
    pub fn base_url(&self, org: &str) -> Result<String, SandboxError> {
        Ok(self.organisation(org)?.base.clone())
    }

    /// `http://127.0.0.1:PORT/<org>/auth/token`.
    pub fn token_url(&self, org: &str) -> Result<String, SandboxError> {
        Ok(self.organisation(org)?.auth.token_endpoint().to_owned())
    }

    /// `http://127.0.0.1:PORT/<org>/auth/jwks`: the key signing tokens for a resource server.
    pub fn jwks_url(&self, org: &str) -> Result<String, SandboxError> {
        Ok(self.organisation(org)?.auth.jwks_url())
    }

    /// `http://127.0.0.1:PORT/<org>/auth`: the `iss` of its JWT access tokens.
    pub fn issuer(&self, org: &str) -> Result<String, SandboxError> {
        Ok(self.organisation(org)?.auth.issuer().to_owned())
    }

    /// Points an organisation's token endpoint at an external resource server (JWT access
    /// tokens with that `aud`), or back to opaque tokens with `None`.
    pub fn set_resource_server(&self, org: &str, base: Option<String>) -> Result<(), SandboxError> {
        self.organisation(org)?.auth.set_resource_server(base);
        Ok(())
    }

    /// Registers (or replaces) a client with one organisation.
    pub fn register_client(
        &self,
        org: &str,
        registration: ClientRegistration,
    ) -> Result<(), SandboxError> {
        self.organisation(org)?.auth.register_client(registration);
        Ok(())
    }

    /// Replaces an organisation's fault knobs.
    pub fn set_faults(&self, org: &str, faults: Faults) -> Result<(), SandboxError> {
        faults
            .validate()
            .map_err(|m| SandboxError::Config(crate::error::ConfigError::Invalid(m)))?;
        self.organisation(org)?.set_faults(faults);
        Ok(())
    }

    /// The line the binary prints: every organisation's FHIR base and token URL.
    pub fn urls_json(&self) -> Value {
        let orgs: Vec<Value> = self
            .names
            .iter()
            .filter_map(|n| self.orgs.get(n))
            .map(|o| json!({"name": o.name, "display": o.display, "fhir_base": o.base, "token_url": o.auth.token_endpoint()}))
            .collect();
        json!({"sched_sandbox": {"address": self.addr.to_string(), "admin": format!("http://{}/admin", self.addr), "organisations": orgs}})
    }

    /// Stops serving and waits for open connections to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
