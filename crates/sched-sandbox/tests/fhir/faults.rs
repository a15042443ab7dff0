//! Fault knobs, from code and from the loopback admin endpoint.

use sched_sandbox::Faults;
use serde_json::json;

use crate::support::{Env, derm_only, params, uri};

#[tokio::test]
async fn hold_not_supported_answers_404_and_leaves_metadata() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    env.sandbox
        .set_faults(
            "derm",
            Faults {
                hold_not_supported: true,
                ..Faults::default()
            },
        )
        .unwrap();
    let r = env
        .post(
            "derm",
            "Appointment/$hold",
            &params(vec![uri("appt-id", "prop-s1")]),
        )
        .await;
    assert_eq!(r.status, 404);
    let cs = env.get("derm", "metadata").await;
    let ops = cs.body["rest"][0]["operation"].as_array().unwrap();
    assert!(!ops.iter().any(|o| o["name"] == "hold"));
}

#[tokio::test]
async fn admin_endpoint_sets_throttling_failures_and_malformed_bodies() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let admin = format!("http://{}/admin/derm/faults", env.sandbox.addr());
    let set = |f: serde_json::Value| {
        env.http
            .put(&admin)
            .header("content-type", "application/json")
            .body(f.to_string())
    };
    assert_eq!(
        set(json!({"throttle_rate": 1.0, "retry_after_seconds": 7}))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = env.get("derm", "Patient/pat-1").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("7"));
    set(json!({"failure_rate": 1.0, "failure_status": 500}))
        .send()
        .await
        .unwrap();
    assert_eq!(env.get("derm", "Patient/pat-1").await.status, 500);
    set(json!({"malformed_rate": 1.0})).send().await.unwrap();
    let text = env
        .http
        .get(env.url("derm", "Patient/pat-1"))
        .bearer_auth(env.token("derm"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "malformed body: {text}"
    );
    set(json!({"drop_rate": 1.0})).send().await.unwrap();
    let dropped = env
        .http
        .get(env.url("derm", "Patient/pat-1"))
        .bearer_auth(env.token("derm"))
        .send()
        .await;
    let failed = match dropped {
        Err(_) => true,
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(failed, "the connection is dropped");
    let bad = set(json!({"failure_rate": 3.0})).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    set(json!({})).send().await.unwrap();
    assert_eq!(env.get("derm", "Patient/pat-1").await.status, 200);
}

#[tokio::test]
async fn a_short_token_lifetime_is_passed_to_the_token_endpoint() {
    let env = Env::start(derm_only()).await;
    env.sandbox
        .set_faults(
            "derm",
            Faults {
                token_ttl_seconds: Some(5),
                ..Faults::default()
            },
        )
        .unwrap();
    assert_eq!(
        env.sandbox.organisation("derm").unwrap().auth.token_ttl(),
        chrono::Duration::seconds(5)
    );
}
