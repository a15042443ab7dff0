//! A sandbox organisation seeded only from the connectathon bundles answers `$find` for
//! dermatology on the shifted dates, over real HTTP with a real bearer token.

#[allow(
    dead_code,
    reason = "shared with the auth tests; only part is used here"
)]
#[path = "../auth/support.rs"]
mod support;

use chrono::{Duration, TimeZone, Utc};
use referral_model::Clock as _;
use sched_sandbox::clock::ManualClock;
use sched_sandbox::{OrgConfig, OrgKind, Sandbox, SandboxConfig};
use serde_json::Value;
use support::{JWT_BEARER, TestKey, jwks, registration};

use crate::{BUNDLES, connectathon_dir};

#[tokio::test]
async fn find_returns_dermatology_proposals_on_the_shifted_dates() {
    let Some(dir) = connectathon_dir() else {
        return;
    };
    let key = TestKey::es384("k1");
    let mut org = OrgConfig::new("sprint", "2017 Connectathon", OrgKind::Empty);
    org.utc_offset = "-07:00".to_owned();
    org.seed.import = BUNDLES.iter().map(|b| dir.join(b)).collect();
    let mut reg = registration("app", Some(jwks(&[&key])), None);
    reg.scopes = vec!["system/*.read".to_owned()];
    org.clients = vec![reg];
    let config = SandboxConfig {
        organisations: vec![org],
        ..SandboxConfig::default()
    };
    // Wednesday 2026-11-18 09:00 in the organisation's zone.
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 18, 16, 0, 0).unwrap());
    let sandbox = Sandbox::start_with_clock(config, sched_sandbox::Clock::from(clock.clone()))
        .await
        .unwrap();
    let base = sandbox.base_url("sprint").unwrap();
    let token_url = sandbox.token_url("sprint").unwrap();
    let now = clock.now().timestamp();
    let claims = serde_json::json!({"iss": "app", "sub": "app", "aud": token_url, "exp": now + 240,
        "jti": uuid::Uuid::new_v4().to_string()});
    let http = reqwest::Client::new();
    let token: Value = http
        .post(&token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &key.sign(&claims)),
            ("scope", "system/*.rs"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = token["access_token"].as_str().unwrap().to_owned();
    let get = |path: String| {
        http.get(format!("{base}/{path}"))
            .bearer_auth(&bearer)
            .send()
    };

    let practitioners: Value = get("Practitioner".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(practitioners["total"], 9, "{practitioners}");
    let slots: Value = get("Slot?_count=1".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(slots["total"], 3240, "{slots}");

    // Thursday and Friday of the current week: the first of the two shifted weeks.
    let find = "Appointment/$find?start=2026-11-19T00:00:00-07:00&end=2026-11-21T00:00:00-07:00\
                &specialty=http://snomed.info/sct|394582007";
    let response = get(find.into()).await.unwrap();
    assert_eq!(response.status(), 200);
    let bundle: Value = response.json().await.unwrap();
    let proposals: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "Appointment")
        .collect();
    assert!(!proposals.is_empty(), "{bundle}");
    let window = Utc.with_ymd_and_hms(2026, 11, 19, 7, 0, 0).unwrap()
        ..Utc.with_ymd_and_hms(2026, 11, 21, 7, 0, 0).unwrap();
    for p in &proposals {
        assert_eq!(p["status"], "proposed");
        let start = chrono::DateTime::parse_from_rfc3339(p["start"].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc);
        assert!(
            window.contains(&start),
            "{start} outside the shifted window"
        );
        let who = p["participant"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x["actor"]["reference"].as_str())
            .collect::<Vec<_>>();
        assert!(
            who.iter()
                .any(|r| *r == "Practitioner/arg-s-1" || *r == "Practitioner/arg-s-2"),
            "only the two dermatologists: {who:?}"
        );
    }
    // Every proposal sits on a free dermatology slot of the imported (shifted) data.
    let seed = crate::load_all(&dir, clock.now());
    let derm = ["Schedule/arg-s-1", "Schedule/arg-s-2"];
    let free_derm: std::collections::HashSet<chrono::DateTime<Utc>> = seed
        .slots
        .iter()
        .filter(|s| s.status == "free" && derm.contains(&s.schedule.reference.as_deref().unwrap()))
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(&s.start)
                .unwrap()
                .with_timezone(&Utc)
        })
        .collect();
    for p in &proposals {
        let start = chrono::DateTime::parse_from_rfc3339(p["start"].as_str().unwrap()).unwrap();
        assert!(
            free_derm.contains(&start.with_timezone(&Utc)),
            "{start} is not a free derm slot"
        );
    }
    // Free slots per schedule served over HTTP match the bundles.
    for schedule in &seed.schedules {
        let id = schedule.id.as_deref().unwrap();
        let reference = format!("Schedule/{id}");
        let expected = seed
            .slots
            .iter()
            .filter(|s| {
                s.status == "free" && s.schedule.reference.as_deref() == Some(reference.as_str())
            })
            .count();
        let served: Value = get(format!("Slot?schedule={reference}&status=free&_count=1"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(served["total"], expected, "{reference}");
    }
    // The original 2017 dates are gone.
    let old: Value = get(
        "Appointment/$find?start=2017-08-28T00:00:00-07:00&end=2017-09-09T00:00:00-07:00\
        &specialty=http://snomed.info/sct|394582007"
            .into(),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(
        old["entry"].as_array().is_none_or(|e| e
            .iter()
            .all(|e| e["resource"]["resourceType"] != "Appointment")),
        "{old}"
    );
    clock.advance(Duration::seconds(1));
    sandbox.shutdown().await;
}
