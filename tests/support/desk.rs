//! A desk (referral-core `App` over a temp data dir with the opt-in key file) wired to sandbox
//! organisations started in-process on 127.0.0.1:0, with the app key registered with each.
#![allow(clippy::unwrap_used, reason = "test support")]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Days, Utc};
use referral_core::sandbox::{SANDBOX_CLIENT_ID, SANDBOX_SCOPES};
use referral_core::{
    App, AppBuilder, CrashHook, KeyStorage, OrganisationInput, PatientInfo, ReferralInput,
};
use referral_model::{DateWindow, Gender, Priority, Referral};
use sched_sandbox::{ClientRegistration, RunningSandbox, Sandbox, SandboxConfig};
use tempfile::TempDir;

/// A desk and the sandbox it talks to.
#[derive(Debug)]
pub struct Desk {
    pub app: App,
    pub sandbox: RunningSandbox,
    pub dir: TempDir,
}

/// Opens an app over `dir` (the key file lives in `dir/keys`).
pub fn open_app(dir: &Path, hook: Option<CrashHook>) -> App {
    let mut b = AppBuilder::open(dir, None)
        .unwrap()
        .key_storage(&KeyStorage::File(dir.join("keys")))
        .unwrap();
    if let Some(h) = hook {
        b = b.crash_hook(h);
    }
    b.build().unwrap()
}

impl Desk {
    /// The default three sandbox organisations (ids `derm`, `primary`, `imaging`), tweaked.
    pub async fn start(tweak: impl FnOnce(&mut SandboxConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let app = open_app(dir.path(), None);
        let jwks = serde_json::to_value(app.key().unwrap().jwks()).unwrap();
        let mut config = SandboxConfig::default();
        tweak(&mut config);
        for org in &mut config.organisations {
            org.clients.push(ClientRegistration {
                client_id: SANDBOX_CLIENT_ID.to_owned(),
                jwks: Some(jwks.clone()),
                jwks_url: None,
                scopes: SANDBOX_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            });
        }
        let sandbox = Sandbox::start(config).await.unwrap();
        for name in sandbox.organisations().to_vec() {
            let display = sandbox.organisation(&name).unwrap().display.clone();
            app.add_organisation(OrganisationInput {
                id: name.clone(),
                display_name: display,
                fhir_base_url: sandbox.base_url(&name).unwrap(),
                client_id: SANDBOX_CLIENT_ID.to_owned(),
                scopes: SANDBOX_SCOPES.join(" "),
                enabled: true,
            })
            .await
            .unwrap();
        }
        Self { app, sandbox, dir }
    }

    /// Another app handle over the same data directory (a restarted process).
    pub fn reopen(&self, hook: Option<CrashHook>) -> App {
        open_app(self.dir.path(), hook)
    }
}

/// A patient new to every sandbox organisation.
pub fn new_patient(family: &str, mrn: &str) -> PatientInfo {
    PatientInfo {
        family: family.to_owned(),
        given: vec!["Alex".to_owned()],
        birth_date: chrono::NaiveDate::from_ymd_opt(1975, 5, 17).unwrap(),
        gender: Gender::Female,
        mrn: mrn.to_owned(),
        phone: Some("555-0100".to_owned()),
        email: None,
    }
}

/// A referral input over the next two weeks at `orgs`.
pub fn referral_input(patient: PatientInfo, orgs: &[&str]) -> ReferralInput {
    let today = Utc::now().date_naive();
    ReferralInput {
        patient,
        coverage: Some(referral_core::CoverageInfo {
            payor: "Acme Health".to_owned(),
            subscriber_id: "ACME-778".to_owned(),
            plan_name: Some("Gold".to_owned()),
            relationship: "self".to_owned(),
        }),
        patient_links: BTreeMap::new(),
        specialty: None,
        visit_type: None,
        reason: Some("rash for three weeks".to_owned()),
        priority: Priority::Routine,
        organisation_ids: orgs.iter().map(|o| (*o).to_owned()).collect(),
        window: DateWindow {
            start: today + Days::new(1),
            end: today + Days::new(14),
        },
        content: Default::default(),
    }
}

/// Creates a referral and searches; returns it with the options found.
pub async fn referral_with_options(
    app: &App,
    family: &str,
    mrn: &str,
    orgs: &[&str],
) -> (Referral, Vec<referral_core::SlotOption>) {
    let r = app
        .create_referral(referral_input(new_patient(family, mrn), orgs))
        .await
        .unwrap();
    let found = app
        .find_slots(r.id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    assert!(
        found.failures.is_empty(),
        "every organisation answers: {:?}",
        found.failures
    );
    assert!(
        !found.options.is_empty(),
        "the sandbox offers times in the next two weeks"
    );
    (app.referral(r.id).await.unwrap(), found.options)
}

/// Books `option` for the referral directly (no hold first).
pub async fn book_option(
    app: &App,
    referral: referral_model::ReferralId,
    option: &referral_core::SlotOption,
) -> Referral {
    let input = referral_core::BookInput {
        option_id: Some(option.option_id.clone()),
        ..referral_core::BookInput::default()
    };
    app.book(referral, input).await.unwrap()
}

/// Reads an appointment straight from the organisation.
pub async fn remote_status(app: &App, org: &str, id: &str) -> String {
    let org = referral_model::OrganisationId::new(org.to_owned()).unwrap();
    let (_, remote) = app.remote(&org).await.unwrap();
    remote.read_appointment(id.to_owned()).await.unwrap().status
}

/// A sandbox launcher for the core's `use_sandbox` (what the CLI and the desktop shell pass in),
/// starting the default sandbox organisations on 127.0.0.1:0.
#[derive(Debug, Default)]
pub struct TestLauncher;

#[derive(Debug)]
struct TestRunning(
    std::sync::Mutex<Option<RunningSandbox>>,
    Vec<referral_core::SandboxOrg>,
);

impl referral_core::SandboxHandle for TestRunning {
    fn organisations(&self) -> Vec<referral_core::SandboxOrg> {
        self.1.clone()
    }
    fn stop(self: Box<Self>) -> futures::future::BoxFuture<'static, ()> {
        let running = self.0.lock().unwrap().take();
        Box::pin(async move {
            if let Some(r) = running {
                r.shutdown().await;
            }
        })
    }
}

impl referral_core::SandboxLauncher for TestLauncher {
    fn start(
        &self,
        jwks: serde_json::Value,
        client_id: &str,
        scopes: &[&str],
    ) -> futures::future::BoxFuture<'static, Result<Box<dyn referral_core::SandboxHandle>, String>>
    {
        let mut config = SandboxConfig::default();
        for org in &mut config.organisations {
            org.clients.push(ClientRegistration {
                client_id: client_id.to_owned(),
                jwks: Some(jwks.clone()),
                jwks_url: None,
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            });
        }
        Box::pin(async move {
            let running = Sandbox::start(config).await.map_err(|e| e.to_string())?;
            let orgs = running
                .organisations()
                .iter()
                .map(|n| referral_core::SandboxOrg {
                    id: format!("sandbox-{n}"),
                    display_name: running.organisation(n).unwrap().display.clone(),
                    fhir_base_url: running.base_url(n).unwrap(),
                    kind: referral_core::SandboxKind::Receiving,
                })
                .collect();
            Ok(
                Box::new(TestRunning(std::sync::Mutex::new(Some(running)), orgs))
                    as Box<dyn referral_core::SandboxHandle>,
            )
        })
    }
}
