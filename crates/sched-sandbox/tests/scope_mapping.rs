//! The operation → scope mapping of `docs/sandbox-auth.md`, checked on the full sandbox over
//! HTTP: every FHIR interaction refuses a missing token (401), refuses a token holding every
//! other permission on the type (403), and passes the bearer check with exactly the documented
//! scope (whatever the interaction then answers, it is not 401/403).
#![allow(clippy::unwrap_used, reason = "tests")]

#[allow(
    dead_code,
    reason = "shared with the auth tests; only part is used here"
)]
#[path = "auth/support.rs"]
mod support;

use reqwest::Method;
use sched_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};
use support::{JWT_BEARER, TestKey, jwks, registration};

/// One interaction: method, path under the FHIR base, body, resource type, and the permission
/// letters any one of which is enough.
struct Row(
    Method,
    &'static str,
    Option<Value>,
    &'static str,
    &'static str,
);

fn rows() -> Vec<Row> {
    let params = || Some(json!({"resourceType": "Parameters", "parameter": []}));
    let window = "start=2030-01-07T00:00:00Z&end=2030-01-08T00:00:00Z";
    let find = Box::leak(format!("Appointment/$find?{window}").into_boxed_str());
    let prefetch = Box::leak(format!("Slot/$prefetch?{window}").into_boxed_str());
    let patch = json!([{"op": "replace", "path": "/status", "value": "cancelled"}]);
    let mut rows = vec![
        Row(Method::GET, "Appointment/none", None, "Appointment", "r"),
        Row(Method::GET, "Appointment", None, "Appointment", "s"),
        Row(Method::GET, find, None, "Appointment", "s"),
        Row(
            Method::POST,
            "Appointment/$find",
            params(),
            "Appointment",
            "s",
        ),
        Row(
            Method::POST,
            "Appointment/$hold",
            params(),
            "Appointment",
            "cu",
        ),
        Row(
            Method::POST,
            "Appointment/none/$hold",
            params(),
            "Appointment",
            "cu",
        ),
        Row(
            Method::POST,
            "Appointment/$book",
            params(),
            "Appointment",
            "cu",
        ),
        Row(
            Method::POST,
            "Appointment/none/$book",
            params(),
            "Appointment",
            "cu",
        ),
        Row(
            Method::PATCH,
            "Appointment/none",
            Some(patch),
            "Appointment",
            "u",
        ),
        Row(Method::GET, "Patient", None, "Patient", "s"),
        Row(Method::GET, "Patient/none", None, "Patient", "r"),
        Row(
            Method::POST,
            "Patient",
            Some(json!({"resourceType": "Patient"})),
            "Patient",
            "c",
        ),
        Row(Method::POST, "Patient/$match", params(), "Patient", "s"),
        Row(Method::GET, "Coverage/none", None, "Coverage", "r"),
        Row(
            Method::POST,
            "Coverage",
            Some(json!({"resourceType": "Coverage"})),
            "Coverage",
            "c",
        ),
        Row(
            Method::PUT,
            "Coverage/none",
            Some(json!({"resourceType": "Coverage", "id": "none"})),
            "Coverage",
            "u",
        ),
        Row(Method::GET, "Slot", None, "Slot", "s"),
        Row(Method::GET, "Slot/none", None, "Slot", "r"),
        Row(Method::GET, prefetch, None, "Slot", "s"),
        Row(Method::POST, "Slot/$prefetch", params(), "Slot", "s"),
        Row(
            Method::POST,
            "Subscription",
            Some(json!({"resourceType": "Subscription"})),
            "Subscription",
            "c",
        ),
        Row(Method::GET, "Subscription/none", None, "Subscription", "r"),
        Row(
            Method::DELETE,
            "Subscription/none",
            None,
            "Subscription",
            "d",
        ),
    ];
    for ty in [
        "Practitioner",
        "PractitionerRole",
        "Location",
        "Organization",
        "HealthcareService",
        "Schedule",
    ] {
        rows.push(Row(Method::GET, ty, None, ty, "s"));
        rows.push(Row(
            Method::GET,
            Box::leak(format!("{ty}/none").into_boxed_str()),
            None,
            ty,
            "r",
        ));
    }
    rows
}

struct Client {
    http: reqwest::Client,
    key: TestKey,
    token_url: String,
    base: String,
}

impl Client {
    async fn token(&self, scope: &str) -> String {
        let now = chrono::Utc::now().timestamp();
        let claims = json!({"iss": "mapper", "sub": "mapper", "aud": self.token_url, "exp": now + 240,
            "jti": uuid::Uuid::new_v4().to_string()});
        let form = [
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &self.key.sign(&claims)),
            ("scope", scope),
        ];
        let body: Value = self
            .http
            .post(&self.token_url)
            .form(&form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{scope}: {body}"))
            .to_owned()
    }

    async fn status(&self, row: &Row, token: Option<&str>) -> u16 {
        let mut request = self
            .http
            .request(row.0.clone(), format!("{}/{}", self.base, row.1));
        if let Some(body) = &row.2 {
            let ty = if row.0 == Method::PATCH {
                "application/json-patch+json"
            } else {
                "application/fhir+json"
            };
            request = request.header("content-type", ty).body(body.to_string());
        }
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send().await.unwrap().status().as_u16()
    }
}

#[tokio::test]
async fn every_interaction_needs_its_documented_scope() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let key = TestKey::es384("map");
    let mut reg = registration("mapper", Some(jwks(&[&key])), None);
    reg.scopes = vec!["system/*.cruds".to_owned()];
    sandbox.register_client("derm", reg).unwrap();
    let client = Client {
        http: reqwest::Client::new(),
        key,
        token_url: sandbox.token_url("derm").unwrap(),
        base: sandbox.base_url("derm").unwrap(),
    };
    let mut wrong = Vec::new();
    for row in rows() {
        let what = format!("{} {}", row.0, row.1);
        if client.status(&row, None).await != 401 {
            wrong.push(format!("{what}: no token was not refused with 401"));
        }
        let others: String = "cruds".chars().filter(|c| !row.4.contains(*c)).collect();
        let lacking = client.token(&format!("system/{}.{others}", row.3)).await;
        let status = client.status(&row, Some(&lacking)).await;
        if status != 403 {
            wrong.push(format!(
                "{what}: system/{}.{others} got {status}, not 403",
                row.3
            ));
        }
        for letter in row.4.chars() {
            let enough = client.token(&format!("system/{}.{letter}", row.3)).await;
            let status = client.status(&row, Some(&enough)).await;
            if matches!(status, 401 | 403) {
                wrong.push(format!(
                    "{what}: system/{}.{letter} was refused ({status})",
                    row.3
                ));
            }
        }
    }
    let metadata = client
        .http
        .get(format!("{}/metadata", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(metadata.status(), 200, "metadata needs no token");
    assert!(
        wrong.is_empty(),
        "mapping differs from docs/sandbox-auth.md:\n{}",
        wrong.join("\n")
    );
    sandbox.shutdown().await;
}
