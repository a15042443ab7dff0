//! Loopback load: the plain-R4 Slot search a plain-R4 desk sends (one practitioner's free slots
//! over two weeks, `_include=Slot:schedule`, `_count=20`) over HTTP against the sandbox with the
//! default seed (dermatology speaking plain R4), driven by `wrk` (Debian package) for a bounded
//! 10 seconds. The server runs in this process; wrk runs beside it, both on the same 2 cores.
//! Target: ≥ 2,000 requests/s. Without wrk installed it says so and exits.

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::process::Command;

use aws_lc_rs::signature::{ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sched_sandbox::{ClientRegistration, Sandbox, SandboxConfig};
use serde_json::{Value, json};

async fn token(sandbox: &sched_sandbox::RunningSandbox) -> String {
    let pair = EcdsaKeyPair::generate(&ECDSA_P384_SHA384_FIXED_SIGNING).expect("key");
    let point = pair.public_key().as_ref().to_vec();
    let (x, y) = point[1..].split_at(48);
    let jwk = json!({"kty": "EC", "crv": "P-384", "kid": "load", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y)});
    let reg = ClientRegistration {
        client_id: "load".to_owned(),
        jwks: Some(json!({"keys": [jwk]})),
        jwks_url: None,
        scopes: vec!["system/Slot.rs".to_owned(), "system/Schedule.rs".to_owned()],
    };
    sandbox.register_client("derm", reg).expect("register");
    let token_url = sandbox.token_url("derm").expect("token url");
    let claims = json!({"iss": "load", "sub": "load", "aud": token_url, "exp": Utc::now().timestamp() + 240, "jti": "load-2"});
    let mut header = Header::new(Algorithm::ES384);
    header.kid = Some("load".to_owned());
    header.typ = Some("JWT".to_owned());
    let key = EncodingKey::from_ec_der(pair.to_pkcs8v1().expect("pkcs8").as_ref());
    let assertion = jsonwebtoken::encode(&header, &claims, &key).expect("sign");
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "system/Slot.rs system/Schedule.rs"),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", assertion.as_str()),
    ];
    let body: Value = reqwest::Client::new()
        .post(token_url)
        .form(&form)
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// Runs wrk for 10 s against `url` and prints its report.
async fn wrk(access: &str, url: String) {
    let args: Vec<String> = ["-t2", "-c16", "-d10s", "--latency", "-H"]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([format!("Authorization: Bearer {access}"), url.clone()])
        .collect();
    println!("wrk -t2 -c16 -d10s --latency -H 'Authorization: Bearer <token>' '{url}'");
    let out = tokio::task::spawn_blocking(move || Command::new("wrk").args(args).output())
        .await
        .expect("join")
        .expect("wrk");
    println!("{}", String::from_utf8_lossy(&out.stdout));
}

/// `Practitioner/<id>` of the first schedule's practitioner.
async fn first_practitioner(base: &str, access: &str) -> String {
    let body: Value = reqwest::Client::new()
        .get(format!("{base}/Schedule"))
        .bearer_auth(access)
        .send()
        .await
        .expect("schedules")
        .json()
        .await
        .expect("json");
    body["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .flat_map(|e| {
            e["resource"]["actor"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|a| a["reference"].as_str().map(str::to_owned))
        .find(|r| r.starts_with("Practitioner/"))
        .expect("a practitioner schedule")
}

#[tokio::main]
async fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!(
            "find_http: wrk is not installed (apt-get install wrk); skipping the loopback load measurement"
        );
        return;
    }
    let mut config = SandboxConfig::default();
    for org in &mut config.organisations {
        if org.name == "derm" {
            org.dialect = sched_sandbox::config::SandboxDialect::PlainR4;
        }
    }
    let sandbox = Sandbox::start(config).await.expect("sandbox");
    let access = token(&sandbox).await;
    let now = Utc::now();
    let base = sandbox.base_url("derm").expect("base");
    let practitioner = first_practitioner(&base, &access).await;
    let q = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("schedule.actor", &practitioner)
        .append_pair("status", "free")
        .append_pair("start", &format!("ge{}", now.to_rfc3339()))
        .append_pair(
            "start",
            &format!("lt{}", (now + Duration::days(14)).to_rfc3339()),
        )
        .append_pair("_include", "Slot:schedule")
        .append_pair("_count", "20")
        .finish();
    wrk(&access, format!("{base}/Slot?{q}")).await;
    // The plain search the issue measured at about 740/s on the Argonaut router.
    wrk(&access, format!("{base}/Slot?status=free&_count=20")).await;
    sandbox.shutdown().await;
}
