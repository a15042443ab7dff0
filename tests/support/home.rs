//! Desks working the sandbox home organisation's queue: the default receiving organisations
//! plus a `home` organisation on 127.0.0.1:0, each desk an `App` over its own data directory
//! with its own key registered at every organisation, and an admin client that changes the
//! home behind the desks' backs (adds a bad order, deletes one, reads the claims).
#![allow(clippy::unwrap_used, reason = "test support")]

use std::sync::Arc;

use referral_core::sandbox::SANDBOX_SCOPES;
use referral_core::{App, CrashHook, OrganisationInput};
use referral_model::HomeInput;
use sched_client::home::{Desk, HomeClient};
use sched_client::{OrgClient, StaticToken};
use sched_sandbox::{
    ClientRegistration, OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig,
};
use smart_auth::{AuthClient, Registration, SigningAlg, SigningKey};
use tempfile::TempDir;
use url::Url;

use crate::desk::open_app;

/// The home organisation's name in the sandbox.
pub const HOME: &str = "home";
const HOME_SCOPES: &str =
    "system/ServiceRequest.rs system/Task.cruds system/Patient.rs system/Coverage.rs";
const ADMIN_SCOPES: &str =
    "system/ServiceRequest.cruds system/Task.cruds system/Patient.cruds system/Coverage.cruds";

/// The default sandbox organisations plus a home seeded with 3 scenario + `orders` orders.
pub async fn start_with_home(orders: u32) -> RunningSandbox {
    let mut home = OrgConfig::new(HOME, "Mercy General Hospital", OrgKind::Home);
    home.seed.orders = orders;
    let mut config = SandboxConfig::default();
    config.organisations.retain(|o| o.kind != OrgKind::Home);
    config.organisations.push(home);
    Sandbox::start(config).await.unwrap()
}

/// A desk: an `App` over a fresh data directory, registered as client `name` everywhere,
/// with the sandbox home set and a claim lease of `lease_seconds`.
pub async fn desk(sandbox: &RunningSandbox, name: &str, lease_seconds: u32) -> (App, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), None);
    register(sandbox, &app, name).await;
    set_home(sandbox, &app, name, lease_seconds).await;
    (app, dir)
}

/// Another process on the same data directory (optionally with a crash hook).
pub fn reopen(dir: &TempDir, hook: Option<CrashHook>) -> App {
    open_app(dir.path(), hook)
}

async fn register(sandbox: &RunningSandbox, app: &App, name: &str) {
    let jwks = serde_json::to_value(app.key().unwrap().jwks()).unwrap();
    for org in sandbox.organisations().to_vec() {
        let is_home = org == HOME;
        let scopes = if is_home {
            HOME_SCOPES.to_owned()
        } else {
            SANDBOX_SCOPES.join(" ")
        };
        sandbox
            .register_client(
                &org,
                ClientRegistration {
                    client_id: name.to_owned(),
                    jwks: Some(jwks.clone()),
                    jwks_url: None,
                    scopes: scopes.split_whitespace().map(str::to_owned).collect(),
                },
            )
            .unwrap();
        if !is_home {
            let display = sandbox.organisation(&org).unwrap().display.clone();
            app.add_organisation(OrganisationInput {
                id: org.clone(),
                display_name: display,
                fhir_base_url: sandbox.base_url(&org).unwrap(),
                client_id: name.to_owned(),
                scopes,
                enabled: true,
            })
            .await
            .unwrap();
        }
    }
}

async fn set_home(sandbox: &RunningSandbox, app: &App, name: &str, lease_seconds: u32) {
    app.set_home(HomeInput {
        name: "Mercy General Hospital".to_owned(),
        base_url: sandbox.base_url(HOME).unwrap(),
        client_id: name.to_owned(),
        token_url: Some(sandbox.token_url(HOME).unwrap()),
        lease_seconds: Some(lease_seconds),
    })
    .await
    .unwrap();
}

/// A fresh ES384 key registered at the sandbox organisation `org` as client `client` with
/// `scopes`, and a token for it from that organisation's authorization server.
pub async fn client_token(
    sandbox: &RunningSandbox,
    org: &str,
    client: &str,
    scopes: &[&str],
) -> String {
    let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
    sandbox
        .register_client(
            org,
            ClientRegistration {
                client_id: client.to_owned(),
                jwks: Some(serde_json::to_value(key.jwks()).unwrap()),
                jwks_url: None,
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            },
        )
        .unwrap();
    let reg = Registration::new(
        Url::parse(&sandbox.token_url(org).unwrap()).unwrap(),
        client,
        scopes.iter().copied(),
        key,
    )
    .unwrap();
    AuthClient::new()
        .unwrap()
        .request_token(&reg)
        .await
        .unwrap()
        .secret()
        .to_owned()
}

/// The home client `desk` uses at the home `base`, with a fixed bearer token.
pub fn home_client(base: &str, token: &str, desk: Desk) -> HomeClient {
    let org = OrgClient::builder(base.to_owned())
        .name("home")
        .authorizer(Arc::new(StaticToken::new(token.to_owned())))
        .build()
        .unwrap();
    HomeClient::new(org, desk)
}

/// The home as an administrator sees it: a bearer token with write scopes on orders.
#[derive(Debug)]
pub struct HomeAdmin {
    pub base: String,
    pub token: String,
    pub client: HomeClient,
}

impl HomeAdmin {
    pub async fn new(sandbox: &RunningSandbox) -> Self {
        let scopes: Vec<&str> = ADMIN_SCOPES.split_whitespace().collect();
        let token = client_token(sandbox, HOME, "admin", &scopes).await;
        let base = sandbox.base_url(HOME).unwrap();
        let client = home_client(&base, &token, Desk::new("admin", "admin", "server room"));
        Self {
            base,
            token,
            client,
        }
    }

    /// `POST ServiceRequest`: answers the new order's id.
    pub async fn add_order(&self, order: serde_json::Value) -> String {
        let created: serde_json::Value = reqwest::Client::new()
            .post(format!(
                "{}/ServiceRequest",
                self.base.trim_end_matches('/')
            ))
            .bearer_auth(&self.token)
            .header("content-type", "application/fhir+json")
            .body(order.to_string())
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        created["id"].as_str().unwrap().to_owned()
    }

    /// `DELETE ServiceRequest/<id>`.
    pub async fn delete_order(&self, id: &str) {
        reqwest::Client::new()
            .delete(format!(
                "{}/ServiceRequest/{id}",
                self.base.trim_end_matches('/')
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }
}

/// Gives `app` a referring clinician with a call-back number (the seeded orders lack one).
pub async fn give_referrer(app: &App) {
    app.save_desk_settings(&referral_model::DeskSettings {
        referrer: Some(referral_model::Referrer {
            name: "Dr Desk".to_owned(),
            npi: None,
            phone: "555-0100".to_owned(),
        }),
        follow_up_days: None,
    })
    .await
    .unwrap();
}
