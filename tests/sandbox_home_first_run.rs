//! The first run with the sandbox: the default sandbox set (the app's launcher) brings the
//! three receiving organisations AND the home EHR (`sandbox-home`), which the core registers as
//! THE home with the queue's scopes; the directory (find, sync, Settings) still holds only the
//! receiving organisations. The home's seeded orders map to specialties the receiving sandbox
//! organisations offer, and a scenario order's patient is booked at one of them without
//! retyping. A restart follows the home's new address; a home the user set is left alone.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Arc;

use chrono::Utc;
use referral_core::home::HOME_SCOPES;
use referral_core::home::mapping::{Missing, map_order};
use referral_core::{App, AppBuilder, KeyStorage};
use referral_model::HomeInput;
use sandbox_launcher::Launcher;
use sched_client::home::{Desk, HomeClient};
use sched_client::{OrgClient, StaticToken};
use smart_auth::{AuthClient, Registration};
use url::Url;

fn open(dir: &std::path::Path) -> App {
    AppBuilder::open(dir, None)
        .unwrap()
        .key_storage(&KeyStorage::File(dir.join("keys")))
        .unwrap()
        .sandbox_launcher(Arc::new(Launcher::default()))
        .build()
        .unwrap()
}

/// A queue client for the app's home, signing with the app's key as the core would.
async fn home_client(app: &App) -> HomeClient {
    let home = app.home().await.unwrap().unwrap();
    let discovery: serde_json::Value = reqwest::get(format!(
        "{}/.well-known/smart-configuration",
        home.base_url.trim_end_matches('/')
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let token_url = discovery["token_endpoint"].as_str().unwrap();
    let reg = Registration::new(
        Url::parse(token_url).unwrap(),
        &home.client_id,
        HOME_SCOPES.split_whitespace(),
        Arc::new(app.key().unwrap()),
    )
    .unwrap();
    let token = AuthClient::new()
        .unwrap()
        .request_token(&reg)
        .await
        .unwrap();
    let org = OrgClient::builder(home.base_url.clone())
        .name("home")
        .authorizer(Arc::new(StaticToken::new(token.secret().to_owned())))
        .build()
        .unwrap();
    HomeClient::new(org, Desk::new(&home.desk_id, "clerk", "first run"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_sandbox_brings_the_home_queue_and_its_orders_book_at_the_receiving_organisations()
 {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let receiving = app.use_sandbox().await.unwrap();
    let mut ids: Vec<String> = receiving.iter().map(|o| o.id.to_string()).collect();
    ids.sort();
    assert_eq!(ids, ["sandbox-derm", "sandbox-imaging", "sandbox-primary"]);
    let directory = app.organisations(true).await.unwrap();
    assert_eq!(
        directory.len(),
        3,
        "the home is not a receiving organisation"
    );

    let home = app
        .home()
        .await
        .unwrap()
        .expect("the sandbox home is THE home");
    assert_eq!(home.name, "Mercy General Hospital");
    assert!(home.base_url.ends_with("/home/fhir"), "{}", home.base_url);

    // The core's own queue reaches the sandbox home with the app key and the home scopes.
    let refreshed = app.refresh_queue().await.unwrap();
    assert_eq!(refreshed.items, 12, "{refreshed:?}");
    assert_eq!(refreshed.problems, 0, "{refreshed:?}");
    let unchanged = app.refresh_queue().await.unwrap();
    assert_eq!(unchanged.changed, 0);
    assert_eq!(unchanged.requests, 1, "an unchanged refresh is one request");

    let client = home_client(&app).await;
    let all = client.changes("2000-01-01T00:00:00Z").await.unwrap();
    assert_eq!(
        all.orders.len(),
        12,
        "three scenario orders and nine generated"
    );
    assert!(all.unreadable.is_empty());
    let today = Utc::now().date_naive();
    let offered = [
        ("sandbox-primary", "419772000"),
        ("sandbox-derm", "394582007"),
        ("sandbox-imaging", "394734003"),
    ];
    for order in &all.orders {
        let mapped = map_order(order, today).unwrap();
        assert!(
            mapped.patient.family.is_some(),
            "{} names its patient",
            order.id()
        );
        assert_eq!(mapped.missing, [Missing::ReferrerPhone], "{}", order.id());
        let code = mapped.specialty.as_ref().unwrap().code.clone();
        assert!(
            offered.iter().any(|(_, c)| *c == code),
            "{}: specialty {code} is offered by a receiving sandbox organisation",
            order.id()
        );
    }

    // Each scenario order's patient is booked where its specialty is offered.
    for (order_id, (org, _)) in ["sr-1", "sr-2", "sr-3"].iter().zip(offered) {
        let order = all.orders.iter().find(|o| o.id() == *order_id).unwrap();
        let mut mapped = map_order(order, today).unwrap();
        if let Some(referrer) = mapped.content.referrer.as_mut() {
            referrer.phone = "555-0199".to_owned();
        }
        mapped.missing.clear();
        let input = mapped.to_input(vec![org.to_owned()]).unwrap();
        let referral = app.create_referral(input).await.unwrap();
        let found = app
            .find_slots(referral.id, vec![], None, &|_, _| {})
            .await
            .unwrap();
        assert!(
            found.failures.is_empty(),
            "{order_id}: {:?}",
            found.failures
        );
        let option = found
            .options
            .first()
            .unwrap_or_else(|| panic!("{order_id}: no time at {org}"));
        let book = referral_core::BookInput {
            option_id: Some(option.option_id.clone()),
            ..referral_core::BookInput::default()
        };
        let booked = app.book(referral.id, book).await.unwrap();
        assert!(booked.appointment.is_some(), "{order_id} booked at {org}");
    }
    app.shutdown().await.unwrap();

    // A restart: the sandbox comes up on another port and the home follows it.
    let again = open(dir.path());
    again.use_sandbox().await.unwrap();
    let moved = again.home().await.unwrap().unwrap();
    assert_eq!(moved.desk_id, home.desk_id, "the same desk");
    assert_ne!(moved.base_url, home.base_url, "the home's new address");
    let client = home_client(&again).await;
    assert_eq!(
        client
            .changes("2000-01-01T00:00:00Z")
            .await
            .unwrap()
            .orders
            .len(),
        12
    );

    // A home the user set is never replaced by the sandbox's.
    again
        .set_home(HomeInput {
            name: "St Elsewhere".to_owned(),
            base_url: "https://ehr.example.org/fhir".to_owned(),
            client_id: "desk-7".to_owned(),
            token_url: Some("https://ehr.example.org/token".to_owned()),
            lease_seconds: None,
        })
        .await
        .unwrap();
    again.shutdown().await.unwrap();
    let third = open(dir.path());
    third.use_sandbox().await.unwrap();
    assert_eq!(third.home().await.unwrap().unwrap().name, "St Elsewhere");
    assert_eq!(third.organisations(true).await.unwrap().len(), 3);
    third.shutdown().await.unwrap();
}
