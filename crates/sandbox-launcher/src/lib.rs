//! The sandbox launcher the app and the CLI hand to `referral-core`: starts `sched-sandbox`
//! organisations in this process on 127.0.0.1 with the desk's public key registered. It is the
//! one edge from the front ends down to the sandbox that the architecture allows, kept in one
//! place so the app and `refdesk sandbox serve` start the same organisations the same way.

use std::path::PathBuf;
use std::sync::Mutex;

use futures::FutureExt;
use futures::future::BoxFuture;
use referral_core::home::HOME_SCOPES;
use referral_core::{SandboxHandle, SandboxKind, SandboxLauncher, SandboxOrg};
use sched_sandbox::{
    ClientRegistration, OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig, SandboxDialect,
    SandboxError,
};

/// How to start the default sandbox organisations.
#[derive(Debug, Default, Clone)]
pub struct Launcher {
    /// Port to bind on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// SQLite file for their data (bookings survive a restart); in memory when `None`.
    pub db: Option<PathBuf>,
    /// Hold time-to-live in seconds, instead of each organisation's default.
    pub hold_ttl: Option<u64>,
    /// Pretend the organisations offer no `$hold` (a fault knob, for trying that path).
    pub no_hold: bool,
    /// Add one organisation per other dialect (IHE ITI, plain R4, Epic, Oracle) to the three
    /// Argonaut ones, to try the desk against every scheduler it speaks.
    pub every_dialect: bool,
}

/// The organisations `every_dialect` adds: (name, display, kind, dialect, seed).
const DIALECT_ORGS: [(&str, &str, OrgKind, SandboxDialect, u64); 4] = [
    (
        "cardio",
        "Lakeside Heart Clinic (IHE ITI)",
        OrgKind::Specialty,
        SandboxDialect::IheIti,
        33,
    ),
    (
        "ortho",
        "Harbour Orthopaedics (FHIR R4)",
        OrgKind::Specialty,
        SandboxDialect::PlainR4,
        44,
    ),
    (
        "northgate",
        "Northgate Medical Center (Epic)",
        OrgKind::PrimaryCare,
        SandboxDialect::Epic,
        55,
    ),
    (
        "summit",
        "Summit Imaging (Oracle Health)",
        OrgKind::Imaging,
        SandboxDialect::Oracle,
        66,
    ),
];

/// The sandbox home EHR (`sandbox-home`): generated orders besides the three scenario ones.
const HOME_ORDERS: u32 = 9;

/// The home organisation of the first-run set: the IG's three provider scenarios and a handful
/// of generated orders, each with a named patient and a coverage.
fn home_org() -> OrgConfig {
    let mut home = OrgConfig::new("home", "Mercy General Hospital", OrgKind::Home);
    home.seed.seed = 77;
    home.seed.orders = HOME_ORDERS;
    home
}

impl Launcher {
    /// The sandbox configuration this launcher starts, with `client` registered everywhere
    /// (with the home scopes at the home).
    fn config(&self, client: &ClientRegistration) -> SandboxConfig {
        let mut config = SandboxConfig {
            port: self.port,
            db: self.db.clone(),
            ..SandboxConfig::default()
        };
        config.organisations.push(home_org());
        if self.every_dialect {
            for (name, display, kind, dialect, seed) in DIALECT_ORGS {
                let mut org = OrgConfig::new(name, display, kind);
                org.dialect = dialect;
                org.seed.seed = seed;
                config.organisations.push(org);
            }
        }
        for org in &mut config.organisations {
            if let Some(ttl) = self.hold_ttl {
                org.hold_ttl_seconds = ttl;
            }
            org.faults.hold_not_supported = self.no_hold;
            let mut client = client.clone();
            if org.kind == OrgKind::Home {
                client.scopes = HOME_SCOPES.split_whitespace().map(str::to_owned).collect();
            }
            org.clients.push(client);
        }
        config
    }
}

impl SandboxLauncher for Launcher {
    fn start(
        &self,
        jwks: serde_json::Value,
        client_id: &str,
        scopes: &[&str],
    ) -> BoxFuture<'static, Result<Box<dyn SandboxHandle>, String>> {
        let client = ClientRegistration {
            client_id: client_id.to_owned(),
            jwks: Some(jwks),
            jwks_url: None,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        };
        let config = self.config(&client);
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

/// The directory entries (`sandbox-<name>`) for the started organisations.
fn describe(running: &RunningSandbox) -> Result<Vec<SandboxOrg>, SandboxError> {
    running
        .organisations()
        .iter()
        .map(|name| {
            let org = running.organisation(name)?;
            let kind = match org.kind {
                OrgKind::Home => SandboxKind::Home,
                _ => SandboxKind::Receiving,
            };
            Ok(SandboxOrg {
                id: format!("sandbox-{name}"),
                display_name: org.display.clone(),
                fhir_base_url: running.base_url(name)?,
                kind,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[tokio::test]
    async fn starts_the_default_organisations_with_the_key_registered_and_stops_them() {
        let launcher = Launcher {
            no_hold: true,
            hold_ttl: Some(90),
            ..Launcher::default()
        };
        let jwks = serde_json::json!({"keys": []});
        let handle = launcher
            .start(jwks, "desk", &["system/Appointment.rs"])
            .await
            .unwrap();
        let orgs = handle.organisations();
        let ids: Vec<&str> = orgs.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "sandbox-derm",
                "sandbox-primary",
                "sandbox-imaging",
                "sandbox-home"
            ]
        );
        let kinds: Vec<SandboxKind> = orgs.iter().map(|o| o.kind).collect();
        assert_eq!(kinds[..3], [SandboxKind::Receiving; 3]);
        assert_eq!(kinds[3], SandboxKind::Home);
        assert!(
            orgs.iter()
                .all(|o| o.fhir_base_url.starts_with("http://127.0.0.1:"))
        );
        let addr = orgs[0]
            .fhir_base_url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap();
        let addr = addr.to_owned();
        assert!(
            std::net::TcpStream::connect(&addr).is_ok(),
            "sandbox is listening"
        );
        handle.stop().await;
        assert!(
            std::net::TcpStream::connect(&addr).is_err(),
            "server still listening after stop"
        );
    }

    #[test]
    fn the_configuration_registers_the_client_and_applies_the_knobs_everywhere() {
        let launcher = Launcher {
            hold_ttl: Some(90),
            no_hold: true,
            ..Launcher::default()
        };
        let client = ClientRegistration {
            client_id: "desk".into(),
            jwks: None,
            jwks_url: None,
            scopes: vec!["system/Appointment.rs".into()],
        };
        let config = launcher.config(&client);
        assert_eq!(
            config.organisations.len(),
            4,
            "three receiving and the home"
        );
        assert!(
            config
                .organisations
                .iter()
                .all(|o| o.dialect == SandboxDialect::Argonaut)
        );
        let home = &config.organisations[3];
        assert_eq!(home.kind, OrgKind::Home);
        assert_eq!(
            home.clients.last().unwrap().scopes.join(" "),
            HOME_SCOPES,
            "the desk asks the home for the queue's scopes"
        );
        let every = Launcher {
            every_dialect: true,
            ..launcher.clone()
        }
        .config(&client);
        let dialects: std::collections::BTreeSet<_> = every
            .organisations
            .iter()
            .map(|o| format!("{:?}", o.dialect))
            .collect();
        assert_eq!(dialects.len(), 5, "one organisation per other dialect");
        assert!(every.validate().is_ok());
        for org in &config.organisations {
            assert_eq!(org.hold_ttl_seconds, 90);
            assert!(org.faults.hold_not_supported);
            assert_eq!(org.clients.last().unwrap().client_id, "desk");
        }
    }
}
