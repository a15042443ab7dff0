//! Loopback load: `$find` (one specialty, two weeks) over HTTP against the sandbox with the
//! default seed, driven by `wrk` (Debian package) for a bounded 10 seconds. The server runs in
//! this process; wrk runs beside it, both on the same 2 cores. Target: ≥ 1,000 requests/s.
//! Without wrk installed it says so and exits (no substitute figure is invented).

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
        scopes: vec!["system/Appointment.rs".to_owned()],
    };
    sandbox.register_client("derm", reg).expect("register");
    let token_url = sandbox.token_url("derm").expect("token url");
    let claims = json!({"iss": "load", "sub": "load", "aud": token_url, "exp": Utc::now().timestamp() + 240, "jti": "load-1"});
    let mut header = Header::new(Algorithm::ES384);
    header.kid = Some("load".to_owned());
    header.typ = Some("JWT".to_owned());
    let key = EncodingKey::from_ec_der(pair.to_pkcs8v1().expect("pkcs8").as_ref());
    let assertion = jsonwebtoken::encode(&header, &claims, &key).expect("sign");
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "system/Appointment.rs"),
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

#[tokio::main]
async fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!(
            "find_http: wrk is not installed (apt-get install wrk); skipping the loopback load measurement"
        );
        return;
    }
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox");
    let access = token(&sandbox).await;
    let now = Utc::now();
    let q = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("start", &now.to_rfc3339())
        .append_pair("end", &(now + Duration::days(14)).to_rfc3339())
        .append_pair("specialty", "http://snomed.info/sct|394582007")
        .finish();
    let url = format!(
        "{}/Appointment/$find?{q}",
        sandbox.base_url("derm").expect("base")
    );
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
    sandbox.shutdown().await;
}
