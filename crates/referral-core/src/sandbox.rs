//! Sandbox organisations as a hook: the front end (CLI, desktop shell) passes a launcher that
//! starts them in-process on loopback; the core generates the key, registers its JWKS with each
//! and adds them to the directory. The core itself never depends on `sched-sandbox`.

use std::fmt::Debug;

use futures::future::BoxFuture;
use referral_model::HomeInput;
use referral_store::{NewOrganisation, Organisation, OrganisationId, OrganisationUpdate};

use crate::app::{APP_KEY_NAME, App};
use crate::error::{CoreError, CoreResult};
use crate::home::HOME_ID;

/// Client id the desk registers with sandbox organisations.
pub const SANDBOX_CLIENT_ID: &str = "referral-desk";
/// Scopes asked of sandbox organisations.
pub const SANDBOX_SCOPES: [&str; 9] = [
    "system/Appointment.*",
    "system/Patient.*",
    "system/Coverage.*",
    // Plain-R4 and Oracle organisations hold by updating Slots and name actors in Schedules.
    "system/Slot.*",
    "system/Schedule.read",
    "system/ReferralRequest.*",
    "system/Practitioner.read",
    "system/PractitionerRole.read",
    "system/Location.read",
];

/// What a sandbox organisation plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxKind {
    /// A receiving organisation: referrals are booked there.
    Receiving,
    /// The home EHR: its referral orders are the queue (registered as THE home).
    Home,
}

/// One sandbox organisation, started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxOrg {
    /// Slug used in the directory (`sandbox-<name>`).
    pub id: String,
    /// Name shown to users.
    pub display_name: String,
    /// Its FHIR base URL on loopback.
    pub fhir_base_url: String,
    pub kind: SandboxKind,
}

/// Running sandbox organisations; dropping or stopping it shuts them down.
pub trait SandboxHandle: Send + Sync + Debug {
    /// The organisations it serves.
    fn organisations(&self) -> Vec<SandboxOrg>;
    /// Stops serving.
    fn stop(self: Box<Self>) -> BoxFuture<'static, ()>;
}

/// Starts sandbox organisations with the desk's public key registered under `client_id`.
pub trait SandboxLauncher: Send + Sync + Debug {
    /// Starts them; `jwks` is the desk's public JWK Set as JSON.
    fn start(
        &self,
        jwks: serde_json::Value,
        client_id: &str,
        scopes: &[&str],
    ) -> BoxFuture<'static, Result<Box<dyn SandboxHandle>, String>>;
}

impl App {
    /// Starts the sandbox organisations (once per app), generates the app key if missing,
    /// registers its JWKS with each and adds or updates the receiving ones in the directory
    /// (answered). The sandbox home becomes THE home unless a real home is set.
    pub async fn use_sandbox(&self) -> CoreResult<Vec<Organisation>> {
        let launcher = self
            .inner
            .sandbox
            .clone()
            .ok_or_else(|| CoreError::Sandbox {
                reason: "this front end offers no sandbox organisations".to_owned(),
            })?;
        let mut running = self.inner.running_sandbox.lock().await;
        if running.is_none() {
            self.key()?;
            let jwks = self.keyset().jwks().map_err(CoreError::Key)?;
            let jwks = serde_json::to_value(jwks).map_err(|e| CoreError::Sandbox {
                reason: format!("the public key could not be encoded: {e}"),
            })?;
            let handle = launcher
                .start(jwks, SANDBOX_CLIENT_ID, &SANDBOX_SCOPES)
                .await
                .map_err(|reason| CoreError::Sandbox { reason })?;
            *running = Some(handle);
        }
        let orgs = running
            .as_ref()
            .map(|h| h.organisations())
            .unwrap_or_default();
        drop(running);
        let mut out = Vec::with_capacity(orgs.len());
        for org in orgs {
            if org.kind == SandboxKind::Home {
                self.adopt_sandbox_home(org).await?;
                continue;
            }
            let org = self.upsert_sandbox_org(org).await?;
            if self.recorded_key(&org.id).await?.is_none() {
                let kid = self.key()?.kid().to_owned();
                self.record_key(&org.id, &kid).await?;
            }
            out.push(org);
        }
        Ok(out)
    }

    /// Makes the sandbox home THE home (its base URL changes at every start), unless the user
    /// set a home of their own: that one is left alone and the sandbox home goes unused.
    async fn adopt_sandbox_home(&self, org: SandboxOrg) -> CoreResult<()> {
        let current = self.db(|s| s.home_organisation()).await?;
        if current.as_ref().is_some_and(|h| !h.is_sandbox) {
            return Ok(());
        }
        self.set_home(HomeInput {
            name: org.display_name,
            base_url: org.fhir_base_url,
            client_id: SANDBOX_CLIENT_ID.to_owned(),
            token_url: None,
            lease_seconds: None,
        })
        .await?;
        let id = OrganisationId::new(HOME_ID)?;
        let sandbox = OrganisationUpdate {
            is_sandbox: Some(true),
            ..OrganisationUpdate::default()
        };
        let marked = id.clone();
        self.db(move |s| s.update_organisation(&marked, &sandbox))
            .await?;
        if self.recorded_key(&id).await?.is_none() {
            let kid = self.key()?.kid().to_owned();
            self.record_key(&id, &kid).await?;
        }
        Ok(())
    }

    /// Whether this app started sandbox organisations.
    pub async fn sandbox_running(&self) -> bool {
        self.inner.running_sandbox.lock().await.is_some()
    }

    async fn upsert_sandbox_org(&self, org: SandboxOrg) -> CoreResult<Organisation> {
        let id = OrganisationId::new(org.id.clone())?;
        self.forget_remote(&id);
        let scopes: Vec<String> = SANDBOX_SCOPES.iter().map(|s| (*s).to_owned()).collect();
        self.db(move |s| match s.organisation(&id) {
            Ok(_) => s.update_organisation(
                &id,
                &OrganisationUpdate {
                    fhir_base_url: Some(org.fhir_base_url),
                    client_id: Some(SANDBOX_CLIENT_ID.to_owned()),
                    key_ref: Some(APP_KEY_NAME.to_owned()),
                    scopes: Some(scopes),
                    token_endpoint: Some(None),
                    is_sandbox: Some(true),
                    ..OrganisationUpdate::default()
                },
            ),
            Err(e) if e.is_not_found() => s.add_organisation(&NewOrganisation {
                id,
                display_name: org.display_name,
                fhir_base_url: org.fhir_base_url,
                client_id: SANDBOX_CLIENT_ID.to_owned(),
                key_ref: APP_KEY_NAME.to_owned(),
                scopes,
                token_endpoint: None,
                enabled: true,
                is_sandbox: true,
            }),
            Err(e) => Err(e),
        })
        .await
    }

    /// Stops the sandbox organisations this app started (part of [`App::shutdown`]).
    pub(crate) async fn stop_sandbox(&self) {
        let handle = self.inner.running_sandbox.lock().await.take();
        if let Some(h) = handle {
            h.stop().await;
        }
    }
}
