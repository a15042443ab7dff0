//! Test support: a real sandbox on 127.0.0.1:0, a registered ES384 client whose tokens come
//! from the real token endpoint, and small JSON request helpers.

use std::collections::HashMap;

use aws_lc_rs::signature::{ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::header::HeaderMap;
use sched_sandbox::{ClientRegistration, Clock, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::{Value, json};

pub const CLIENT: &str = "referral-desk-tests";
pub const DERM: &str = "http://snomed.info/sct|394582007";

/// A response: status, headers, JSON body (Null when the body is not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first Appointment entry of a bundle.
    pub fn appointment(&self) -> &Value {
        self.body["entry"]
            .as_array()
            .and_then(|e| {
                e.iter()
                    .find(|e| e["resource"]["resourceType"] == "Appointment")
            })
            .map(|e| &e["resource"])
            .unwrap_or(&Value::Null)
    }

    pub fn appointments(&self) -> Vec<&Value> {
        self.body["entry"]
            .as_array()
            .map(|e| {
                e.iter()
                    .filter(|e| e["resource"]["resourceType"] == "Appointment")
                    .map(|e| &e["resource"])
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub struct Env {
    pub sandbox: RunningSandbox,
    pub http: reqwest::Client,
    key: EncodingKey,
    tokens: HashMap<String, String>,
}

fn es384() -> (EncodingKey, Value) {
    let pair = EcdsaKeyPair::generate(&ECDSA_P384_SHA384_FIXED_SIGNING).unwrap();
    let pkcs8 = pair.to_pkcs8v1().unwrap();
    let point = pair.public_key().as_ref().to_vec();
    let (x, y) = point[1..].split_at(48);
    let jwk = json!({"kty": "EC", "crv": "P-384", "kid": "k1", "alg": "ES384", "use": "sig", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y)});
    (EncodingKey::from_ec_der(pkcs8.as_ref()), jwk)
}

impl Env {
    pub async fn start(config: SandboxConfig) -> Self {
        Self::start_with_clock(config, Clock::system()).await
    }

    pub async fn start_with_clock(config: SandboxConfig, clock: Clock) -> Self {
        let sandbox = Sandbox::start_with_clock(config, clock).await.unwrap();
        let (key, jwk) = es384();
        for org in sandbox.organisations().to_vec() {
            let reg = ClientRegistration {
                client_id: CLIENT.to_owned(),
                jwks: Some(json!({"keys": [jwk]})),
                jwks_url: None,
                scopes: vec!["system/*.cruds".to_owned()],
            };
            sandbox.register_client(&org, reg).unwrap();
        }
        Self {
            sandbox,
            http: reqwest::Client::new(),
            key,
            tokens: HashMap::new(),
        }
    }

    /// A fresh access token from the organisation's token endpoint.
    pub async fn fetch_token(&self, org: &str, scope: &str) -> String {
        let token_url = self.sandbox.token_url(org).unwrap();
        let now = self.sandbox.organisation(org).unwrap().now().timestamp();
        let claims = json!({"iss": CLIENT, "sub": CLIENT, "aud": token_url, "exp": now + 240, "jti": uuid::Uuid::new_v4().to_string()});
        let mut header = Header::new(Algorithm::ES384);
        header.kid = Some("k1".to_owned());
        header.typ = Some("JWT".to_owned());
        let assertion = jsonwebtoken::encode(&header, &claims, &self.key).unwrap();
        let form = [
            ("grant_type", "client_credentials"),
            ("scope", scope),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.as_str()),
        ];
        let r = self.http.post(token_url).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Tokens for every organisation (all scopes).
    pub async fn login(&mut self) {
        for org in self.sandbox.organisations().to_vec() {
            let t = self.fetch_token(&org, "system/*.cruds").await;
            self.tokens.insert(org, t);
        }
    }

    /// Uses `token` for `org` from now on (a token with narrower scopes).
    #[allow(dead_code, reason = "used by the home tests only")]
    pub fn set_token(&mut self, org: &str, token: String) {
        self.tokens.insert(org.to_owned(), token);
    }

    pub fn url(&self, org: &str, path: &str) -> String {
        format!(
            "{}/{}",
            self.sandbox.base_url(org).unwrap(),
            path.trim_start_matches('/')
        )
    }

    pub fn token(&self, org: &str) -> &str {
        self.tokens
            .get(org)
            .map(String::as_str)
            .unwrap_or("no-token")
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status != 204 && !text.is_empty() {
            let ct = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(
                ct.starts_with("application/fhir+json") || ct.starts_with("application/json"),
                "content-type {ct} for {text}"
            );
            assert!(body.is_object(), "JSON object expected, got {text}");
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, org: &str, path: &str) -> Reply {
        self.send(
            self.http
                .get(self.url(org, path))
                .bearer_auth(self.token(org)),
        )
        .await
    }

    pub async fn post(&self, org: &str, path: &str, body: &Value) -> Reply {
        let req = self
            .http
            .post(self.url(org, path))
            .bearer_auth(self.token(org))
            .header("content-type", "application/fhir+json")
            .body(body.to_string());
        self.send(req).await
    }

    pub async fn put(&self, org: &str, path: &str, body: &Value) -> Reply {
        let req = self
            .http
            .put(self.url(org, path))
            .bearer_auth(self.token(org))
            .header("content-type", "application/fhir+json")
            .body(body.to_string());
        self.send(req).await
    }

    /// JSON Patch `status` → cancelled.
    pub async fn cancel(&self, org: &str, id: &str) -> Reply {
        let patch = json!([{"op": "replace", "path": "/status", "value": "cancelled"}]);
        let req = self
            .http
            .patch(self.url(org, &format!("Appointment/{id}")))
            .bearer_auth(self.token(org))
            .header("content-type", "application/json-patch+json")
            .body(patch.to_string());
        self.send(req).await
    }

    /// `$find` by POST over the next two weeks for a specialty.
    pub async fn find(&self, org: &str, extra: Vec<Value>, count: u32) -> Reply {
        let now = self.sandbox.organisation(org).unwrap().now();
        let mut params = vec![
            json!({"name": "start", "valueDateTime": now.to_rfc3339()}),
            json!({"name": "end", "valueDateTime": (now + chrono::Duration::days(14)).to_rfc3339()}),
        ];
        params.extend(extra);
        self.post(
            org,
            &format!("Appointment/$find?_count={count}"),
            &json!({"resourceType": "Parameters", "parameter": params}),
        )
        .await
    }
}

pub fn uri(name: &str, v: &str) -> Value {
    json!({"name": name, "valueUri": v})
}

pub fn string(name: &str, v: &str) -> Value {
    json!({"name": name, "valueString": v})
}

pub fn params(ps: Vec<Value>) -> Value {
    json!({"resourceType": "Parameters", "parameter": ps})
}

/// One-organisation config (faster startup for focused tests).
pub fn derm_only() -> SandboxConfig {
    let mut c = SandboxConfig::default();
    c.organisations.truncate(1);
    c
}
