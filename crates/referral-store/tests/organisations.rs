//! The organisations directory: what an admin enters is kept, validated, and never holds secrets.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::Duration;
use common::{clock, new_org, org_id, t0};
use referral_store::{OrganisationUpdate, Store, StoreError};
use serde_json::json;

#[test]
fn an_added_organisation_reads_back_as_entered_with_times_from_the_clock() {
    let clock = clock();
    let store = Store::in_memory_with_clock(clock.clone()).unwrap();
    let mut new = new_org("north");
    new.fhir_base_url = "https://north.example.org/fhir/".into();
    new.token_endpoint = Some("https://north.example.org/auth/token".into());
    let added = store.add_organisation(&new).unwrap();

    assert_eq!(
        added,
        store.organisation(&org_id("north")).unwrap(),
        "what add returns is stored"
    );
    assert_eq!(
        added.fhir_base_url, "https://north.example.org/fhir",
        "trailing slash dropped so paths join cleanly"
    );
    assert_eq!(
        added.scopes, new.scopes,
        "scopes survive the space-separated column"
    );
    assert_eq!(added.created_at, t0(), "stamped by the injected clock");
    assert!(
        added.capability.is_none(),
        "no capability report before /metadata was read"
    );
}

#[test]
fn a_second_organisation_with_the_same_id_is_refused_and_the_first_is_kept() {
    let store = Store::in_memory().unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    let mut again = new_org("north");
    again.display_name = "Impostor".into();

    let err = store.add_organisation(&again).unwrap_err();
    assert!(
        matches!(err, StoreError::DuplicateOrganisation(_)),
        "{err:?}"
    );
    assert!(err.is_conflict());
    assert_eq!(
        store.organisation(&org_id("north")).unwrap().display_name,
        "Clinic north"
    );
}

#[test]
fn key_material_pasted_instead_of_a_key_name_is_refused() {
    let store = Store::in_memory().unwrap();
    for material in [
        "-----BEGIN PRIVATE KEY-----\nMIG2AgEA...",
        "{\"kty\":\"EC\",\"d\":\"x\"}",
        "",
    ] {
        let mut new = new_org("north");
        new.key_ref = material.into();
        let err = store.add_organisation(&new).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::InvalidInput {
                    field: "key_ref",
                    ..
                }
            ),
            "{material:?}: {err:?}"
        );
    }
    assert!(
        store.organisations().unwrap().is_empty(),
        "nothing written on refusal"
    );
}

#[test]
fn bad_directory_entries_get_named_errors() {
    let store = Store::in_memory().unwrap();
    type Spoil = Box<dyn Fn(&mut referral_store::NewOrganisation)>;
    let cases: Vec<(&str, Spoil)> = vec![
        ("display_name", Box::new(|o| o.display_name = "   ".into())),
        (
            "fhir_base_url",
            Box::new(|o| o.fhir_base_url = "ftp://x".into()),
        ),
        (
            "fhir_base_url",
            Box::new(|o| o.fhir_base_url = "https://".into()),
        ),
        ("client_id", Box::new(|o| o.client_id = String::new())),
        ("scopes", Box::new(|o| o.scopes = vec!["two words".into()])),
        (
            "token_endpoint",
            Box::new(|o| o.token_endpoint = Some("not a url".into())),
        ),
    ];
    for (field, spoil) in cases {
        let mut new = new_org("north");
        spoil(&mut new);
        match store.add_organisation(&new) {
            Err(StoreError::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected InvalidInput, got {other:?}"),
        }
    }
    assert!(store.organisations().unwrap().is_empty());
}

#[test]
fn organisation_ids_are_slugs_that_can_be_typed_on_a_command_line() {
    for bad in ["", "Upper", "-lead", "has space", &"x".repeat(65)] {
        let err = referral_store::OrganisationId::new(bad).unwrap_err();
        assert!(err.is_invalid_input(), "{bad:?} must be refused");
    }
    assert_eq!(org_id("sandbox-north.2").as_str(), "sandbox-north.2");
}

#[test]
fn updates_change_only_the_fields_given_and_move_updated_at() {
    let clock = clock();
    let store = Store::in_memory_with_clock(clock.clone()).unwrap();
    let before = store.add_organisation(&new_org("north")).unwrap();
    clock.advance(Duration::minutes(5));

    let update = OrganisationUpdate {
        enabled: Some(false),
        ..Default::default()
    };
    let after = store
        .update_organisation(&org_id("north"), &update)
        .unwrap();
    assert!(
        !after.enabled,
        "disabling is how an admin takes an organisation out of searches"
    );
    assert_eq!(after.display_name, before.display_name);
    assert_eq!(after.created_at, before.created_at);
    assert_eq!(after.updated_at, t0() + Duration::minutes(5));

    let bad = OrganisationUpdate {
        display_name: Some(" ".into()),
        ..Default::default()
    };
    assert!(
        store
            .update_organisation(&org_id("north"), &bad)
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(
        store.organisation(&org_id("north")).unwrap(),
        after,
        "refused update changes nothing"
    );

    let missing = store
        .update_organisation(&org_id("south"), &update)
        .unwrap_err();
    assert!(matches!(missing, StoreError::UnknownOrganisation(_)) && missing.is_not_found());
}

#[test]
fn the_capability_report_is_kept_with_the_time_it_was_read() {
    let clock = clock();
    let store = Store::in_memory_with_clock(clock.clone()).unwrap();
    store.add_organisation(&new_org("north")).unwrap();
    clock.advance(Duration::hours(1));
    let report = json!({"resourceType": "CapabilityStatement", "fhirVersion": "3.0.1"});

    let org = store.record_capability(&org_id("north"), &report).unwrap();
    let cap = org.capability.unwrap();
    assert_eq!(cap.json, report, "the JSON is returned as read");
    assert_eq!(
        cap.read_at,
        t0() + Duration::hours(1),
        "read time lets the UI say how stale it is"
    );
}

#[test]
fn the_directory_lists_by_display_name() {
    let store = Store::in_memory().unwrap();
    for (slug, name) in [
        ("b", "beta clinic"),
        ("a", "Zeta Hospital"),
        ("c", "Alpha Imaging"),
    ] {
        let mut new = new_org(slug);
        new.display_name = name.into();
        store.add_organisation(&new).unwrap();
    }
    let names: Vec<_> = store
        .organisations()
        .unwrap()
        .into_iter()
        .map(|o| o.display_name)
        .collect();
    assert_eq!(
        names,
        ["Alpha Imaging", "beta clinic", "Zeta Hospital"],
        "case-insensitive order"
    );
}
