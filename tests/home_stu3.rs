//! An STU3 home (the sandbox home organisation with `fhir_version = "3.0.2"`): its orders are
//! ReferralRequest, and `HomeClient` reads them as the R4 ServiceRequest the desk works with:
//! patients included, coverages (named in `supportingInfo`) read by id, the mapping to a
//! referral complete; an unchanged refresh is one request; a claim's Task focuses the
//! ReferralRequest and its outcome is written back with `If-Match`.
#![allow(clippy::unwrap_used, reason = "tests")]

use chrono::{Duration, Utc};
use futures::TryStreamExt;
use refdesk_tests::home::{client_token, home_client};
use referral_core::home::mapping::map_order;
use sched_client::home::{Desk, HomeClient, OrderKind, OrderPage, OrderQuery};
use sched_sandbox::{
    ClientRegistration, OrgConfig, OrgKind, RunningSandbox, Sandbox, SandboxConfig,
};
use serde_json::Value;

/// The home scopes with STU3's order type.
const STU3_SCOPES: [&str; 4] = [
    "system/ReferralRequest.rs",
    "system/Task.cruds",
    "system/Patient.rs",
    "system/Coverage.rs",
];

async fn stu3_home() -> (RunningSandbox, String, String) {
    let mut org = OrgConfig::new("home", "Mercy General Hospital", OrgKind::Home);
    org.seed.orders = 5;
    org.fhir_version = Some("3.0.2".to_owned());
    let config = SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let token = client_token(&sandbox, "home", "desk", &STU3_SCOPES).await;
    let base = sandbox.base_url("home").unwrap();
    (sandbox, base, token)
}

fn desk(base: &str, token: &str, id: &str) -> HomeClient {
    home_client(
        base,
        token,
        Desk::new(id, "clerk", &format!("workstation {id}")),
    )
}

async fn get(base: &str, token: &str, path: &str) -> Value {
    let url = format!("{}/{path}", base.trim_end_matches('/'));
    let r = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_stu3_home_serves_referral_requests_in_stu3_shape() {
    let (_sandbox, base, token) = stu3_home().await;
    let meta = get(&base, "", "metadata").await;
    assert_eq!(meta["fhirVersion"], "3.0.2");
    let order = get(&base, &token, "ReferralRequest/rr-1").await;
    assert_eq!(order["resourceType"], "ReferralRequest");
    assert!(order.get("insurance").is_none() && order.get("category").is_none());
    let coverage = order["supportingInfo"][0]["reference"].as_str().unwrap();
    assert!(coverage.starts_with("Coverage/"), "{order}");
    assert!(order["serviceRequested"][0]["text"].is_string());
    assert!(order["specialty"]["text"].is_string());
    assert!(order["requester"]["agent"]["display"].is_string());
}

#[tokio::test]
async fn home_client_reads_converts_refreshes_and_claims_stu3_orders() {
    let (_sandbox, base, token) = stu3_home().await;
    let ann = desk(&base, &token, "ann");
    assert_eq!(ann.order_kind().await.unwrap(), OrderKind::ReferralRequest);

    let pages: Vec<OrderPage> = ann
        .open_orders(&OrderQuery::default())
        .try_collect()
        .await
        .unwrap();
    let orders: Vec<_> = pages.iter().flat_map(|p| p.orders.clone()).collect();
    assert_eq!(orders.len(), 8, "3 scenario and 5 generated orders");
    assert!(pages.iter().all(|p| p.unreadable.is_empty()));
    let today = Utc::now().date_naive();
    for order in &orders {
        assert!(order.request.is_referral() && order.request.code.is_some());
        assert!(order.patient.is_some(), "{} has its patient", order.id());
        assert_eq!(order.coverage.len(), 1, "{} has its coverage", order.id());
        let mapped = map_order(order, today).unwrap();
        assert!(mapped.patient.mrn.is_some() && mapped.patient.birth_date.is_some());
        assert!(mapped.window.is_some() && mapped.content.note.is_some());
    }

    let since = pages
        .iter()
        .filter_map(|p| p.last_updated.clone())
        .max()
        .unwrap();
    let quiet = ann.changes(&since).await.unwrap();
    assert_eq!(quiet.requests, 1, "an unchanged refresh is one request");
    assert!(quiet.orders.is_empty() && quiet.tasks.is_empty());

    let order = ann.read_order("rr-1").await.unwrap().unwrap();
    assert_eq!(order.coverage.len(), 1);
    let lease = fhir_model::datetime::format_instant(&(Utc::now() + Duration::minutes(15)));
    let claim = ann.claim(&order.request, &lease).await.unwrap();
    let focus = claim.focus.as_ref().and_then(|f| f.reference.as_deref());
    assert_eq!(focus, Some("ReferralRequest/rr-1"));

    let mut done = claim.clone();
    done.status = "completed".to_owned();
    done.business_status = Some(fhir_model::CodeableConcept::text("booked"));
    let written = ann.update_task(&done).await.unwrap();
    assert_ne!(written.version_id(), claim.version_id());
    let stale = ann.update_task(&done).await.unwrap_err();
    assert!(
        stale.is_claim_conflict(),
        "a stale If-Match is refused: {stale:?}"
    );

    let bob = desk(&base, &token, "bob");
    let seen = bob.changes(&since).await.unwrap();
    assert_eq!(seen.tasks.len(), 1);
    assert_eq!(seen.tasks[0].status, "completed");
}

/// The whole desk against an STU3 home: `App::set_home` reads the home's CapabilityStatement and
/// asks for the STU3 scopes (the sandbox refuses a token for scopes it did not register, so
/// the R4 ones would fail), the queue imports the ReferralRequests, and one is started, booked
/// at a receiving organisation and written back to its Task.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_asks_an_stu3_home_for_its_scopes_and_books_one_of_its_orders() {
    use referral_core::OrganisationInput;
    use referral_core::home::desk::HOME_SCOPES_STU3;
    use referral_core::sandbox::SANDBOX_SCOPES;
    use referral_model::{HomeInput, OrderFill, QueueView, ReferralStatus};

    let mut config = SandboxConfig::default();
    config.organisations.retain(|o| o.kind != OrgKind::Home);
    let mut home = OrgConfig::new("home", "Mercy General Hospital", OrgKind::Home);
    home.seed.orders = 2;
    home.fhir_version = Some("3.0.2".to_owned());
    config.organisations.push(home);
    let sandbox = Sandbox::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = refdesk_tests::desk::open_app(dir.path(), None);
    let jwks = serde_json::to_value(app.key().unwrap().jwks()).unwrap();
    for org in sandbox.organisations().to_vec() {
        let scopes = if org == "home" {
            HOME_SCOPES_STU3.to_owned()
        } else {
            SANDBOX_SCOPES.join(" ")
        };
        let registration = ClientRegistration {
            client_id: "desk".to_owned(),
            jwks: Some(jwks.clone()),
            jwks_url: None,
            scopes: scopes.split_whitespace().map(str::to_owned).collect(),
        };
        sandbox.register_client(&org, registration).unwrap();
        if org != "home" {
            app.add_organisation(OrganisationInput {
                id: org.clone(),
                display_name: org.clone(),
                fhir_base_url: sandbox.base_url(&org).unwrap(),
                client_id: "desk".to_owned(),
                scopes,
                enabled: true,
            })
            .await
            .unwrap();
        }
    }
    app.set_home(HomeInput {
        name: "Mercy General Hospital".to_owned(),
        base_url: sandbox.base_url("home").unwrap(),
        client_id: "desk".to_owned(),
        token_url: Some(sandbox.token_url("home").unwrap()),
        lease_seconds: None,
    })
    .await
    .unwrap();
    refdesk_tests::home::give_referrer(&app).await;

    let refresh = app.refresh_queue().await.unwrap();
    assert_eq!((refresh.items, refresh.problems), (5, 0), "{refresh:?}");
    let started = app.start_order("rr-1", OrderFill::default()).await.unwrap();
    let found = app
        .find_slots(started.referral_id, vec![], None, &|_, _| {})
        .await
        .unwrap();
    let option = found.options.first().expect("a time for the order").clone();
    let booked = refdesk_tests::desk::book_option(&app, started.referral_id, &option).await;
    assert_eq!(booked.status, ReferralStatus::Booked);
    app.refresh_queue().await.unwrap();
    let done = app.queue(QueueView::Done).await.unwrap();
    assert_eq!(done.len(), 1, "{done:?}");
    assert!(
        done[0]
            .outcome
            .as_deref()
            .unwrap_or("")
            .starts_with("booked "),
        "{done:?}"
    );
    sandbox.shutdown().await;
}
