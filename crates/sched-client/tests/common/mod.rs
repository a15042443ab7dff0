//! Test peers for sched-client: a recording FHIR server on 127.0.0.1:0 that answers from a
//! script and keeps every request it saw, and an `Authorizer` over smart-auth's token cache that
//! counts the distinct tokens it handed out.
#![allow(dead_code, reason = "each test binary uses a different part")]
#![allow(clippy::unwrap_used, reason = "test helpers")]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use sched_client::{Authorizer, AuthorizerError};
use serde_json::{Value, json};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// How many requests with this method and path arrived so far, this one included.
    pub hits: usize,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The query pairs, decoded.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let q = self.query.clone().unwrap_or_default();
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub delay: Duration,
}

impl Answer {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body,
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Script = Arc<dyn Fn(&Recorded) -> Answer + Send + Sync>;

#[derive(Clone)]
struct ServerState {
    log: Arc<Mutex<Vec<Recorded>>>,
    script: Script,
}

/// A running recording server.
pub struct Recorder {
    /// `http://127.0.0.1:PORT/fhir`
    pub base: String,
    log: Arc<Mutex<Vec<Recorded>>>,
}

impl Recorder {
    /// Starts a server answering with `script`.
    pub async fn start(script: impl Fn(&Recorded) -> Answer + Send + Sync + 'static) -> Self {
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = ServerState {
            log: Arc::clone(&log),
            script: Arc::new(script),
        };
        let app = Router::new().fallback(handle).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base: format!("http://{addr}/fhir"),
            log,
        }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    /// Requests with this method whose path ends with `suffix`.
    pub fn matching(&self, method: &str, suffix: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.path.ends_with(suffix))
            .collect()
    }
}

async fn handle(
    State(state): State<ServerState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let recorded = {
        let mut log = state.log.lock().unwrap();
        let hits = 1 + log
            .iter()
            .filter(|r| r.method == method.as_str() && r.path == uri.path())
            .count();
        let r = Recorded {
            method: method.to_string(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers,
            body: body.to_vec(),
            hits,
        };
        log.push(r.clone());
        r
    };
    let answer = (state.script)(&recorded);
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    let mut response = (
        StatusCode::from_u16(answer.status).unwrap(),
        [("content-type", "application/fhir+json")],
        // `Value::Null` stands for "no body at all".
        if answer.body.is_null() {
            String::new()
        } else {
            answer.body.to_string()
        },
    )
        .into_response();
    for (k, v) in answer.headers {
        response.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    response
}

/// A CapabilityStatement declaring these operations and patch formats, with read, search,
/// create, update and patch on the resources the client uses.
pub fn capability(ops: &[&str], patch_formats: &[&str]) -> Value {
    let interactions = json!([
        {"code": "read"}, {"code": "search-type"}, {"code": "create"}, {"code": "update"}, {"code": "patch"}
    ]);
    let resources: Vec<Value> = ["Appointment", "Patient", "Coverage", "Slot"]
        .iter()
        .map(|t| json!({"type": t, "interaction": interactions}))
        .collect();
    let operations: Vec<Value> = ops
        .iter()
        .map(|o| json!({"name": o, "definition": {"reference": format!("http://example.org/OperationDefinition/{o}")}}))
        .collect();
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "kind": "instance",
        "fhirVersion": "3.0.1",
        "format": ["json"],
        "patchFormat": patch_formats,
        "rest": [{"mode": "server", "resource": resources, "operation": operations}]
    })
}

/// The Argonaut server's usual offer: every operation, JSON Patch.
pub fn full_capability() -> Value {
    capability(
        &["find", "hold", "book", "prefetch", "match"],
        &["application/json-patch+json"],
    )
}

/// An avail-bundle holding these appointments.
pub fn avail_bundle(appointments: &[Value]) -> Value {
    let entries: Vec<Value> = appointments
        .iter()
        .map(|a| json!({"resource": a, "search": {"mode": "match"}}))
        .collect();
    json!({"resourceType": "Bundle", "type": "searchset", "total": appointments.len(), "entry": entries})
}

/// An Argonaut appointment.
pub fn appointment(id: &str, status: &str, start: &str, end: &str, practitioner: &str) -> Value {
    json!({
        "resourceType": "Appointment", "id": id, "status": status, "start": start, "end": end,
        "meta": {"versionId": "1"},
        "participant": [{"actor": {"reference": practitioner}, "status": "needs-action"}]
    })
}

/// An Authorizer that counts calls, forced refreshes and distinct tokens; tokens come from
/// `source` (smart-auth in the sandbox tests, a counter in the recording tests).
#[derive(Debug)]
pub struct CountingAuthorizer {
    source: Box<dyn TokenSource>,
    pub calls: AtomicUsize,
    pub forced: AtomicUsize,
    seen: Mutex<HashSet<String>>,
}

pub trait TokenSource: Send + Sync + std::fmt::Debug {
    fn token(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>>;
}

impl CountingAuthorizer {
    pub fn new(source: impl TokenSource + 'static) -> Arc<Self> {
        Arc::new(Self {
            source: Box::new(source),
            calls: AtomicUsize::new(0),
            forced: AtomicUsize::new(0),
            seen: Mutex::new(HashSet::new()),
        })
    }

    /// How many different tokens were handed out (= token requests made by the source).
    pub fn distinct_tokens(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl Authorizer for CountingAuthorizer {
    fn bearer(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if force_refresh {
                self.forced.fetch_add(1, Ordering::SeqCst);
            }
            let token = self.source.token(force_refresh).await?;
            self.seen.lock().unwrap().insert(token.clone());
            Ok(token)
        })
    }
}

/// Tokens "t1", "t2", ...: a new one only when a refresh is forced.
#[derive(Debug, Default)]
pub struct Sequence(AtomicUsize);

impl TokenSource for Sequence {
    fn token(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>> {
        Box::pin(async move {
            let n = if force_refresh || self.0.load(Ordering::SeqCst) == 0 {
                self.0.fetch_add(1, Ordering::SeqCst) + 1
            } else {
                self.0.load(Ordering::SeqCst)
            };
            Ok(format!("t{n}"))
        })
    }
}

/// smart-auth's token cache as a token source (what referral-core does in the app).
#[derive(Debug)]
pub struct SmartTokens(pub smart_auth::BackendTokens);

impl TokenSource for SmartTokens {
    fn token(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>> {
        Box::pin(async move {
            match self.0.token(force_refresh).await {
                Ok(t) => Ok(t.secret().to_owned()),
                Err(smart_auth::AuthError::TokenRejected {
                    error, description, ..
                }) => Err(AuthorizerError::Rejected { error, description }),
                Err(e) if e.is_retryable() => Err(AuthorizerError::Unavailable(Box::new(e))),
                Err(e) => Err(AuthorizerError::Failed(Box::new(e))),
            }
        })
    }
}

/// The scopes the app asks sandbox organisations for (and is granted).
pub const SCOPES: &str = "system/*.cruds";
pub const CLIENT_ID: &str = "referral-desk-tests";

/// A sandbox organisation the app is registered with, and the pieces of its client.
pub struct SandboxOrg {
    pub client: OrgClientAlias,
    pub auth: Arc<CountingAuthorizer>,
    pub base: String,
}

pub type OrgClientAlias = sched_client::OrgClient;

impl SandboxOrg {
    /// Another client for the same organisation and registration, configured differently.
    pub fn another(
        &self,
        configure: impl FnOnce(sched_client::OrgClientBuilder) -> sched_client::OrgClientBuilder,
    ) -> sched_client::OrgClient {
        configure(sched_client::OrgClient::builder(self.base.clone()).authorizer(self.auth.clone()))
            .build()
            .unwrap()
    }
}

/// Registers a fresh ES384 key (its JWKS, from smart-auth) with `org`, discovers the token
/// endpoint through smart-auth and builds an `OrgClient` whose tokens come from smart-auth's
/// cache. `clock` lets a test freeze the client's idea of time (token expiry).
pub async fn connect(
    sandbox: &sched_sandbox::RunningSandbox,
    org: &str,
    clock: Option<Arc<dyn smart_auth::Clock>>,
    configure: impl FnOnce(sched_client::OrgClientBuilder) -> sched_client::OrgClientBuilder,
) -> SandboxOrg {
    let key = smart_auth::SigningKey::generate(smart_auth::SigningAlg::Es384).unwrap();
    let jwks = serde_json::to_value(key.jwks()).unwrap();
    sandbox
        .register_client(
            org,
            sched_sandbox::ClientRegistration {
                client_id: CLIENT_ID.to_owned(),
                jwks: Some(jwks),
                jwks_url: None,
                scopes: vec![SCOPES.to_owned()],
            },
        )
        .unwrap();
    let base = sandbox.base_url(org).unwrap();
    let mut builder = smart_auth::AuthClient::builder();
    if let Some(clock) = clock {
        builder = builder.clock(clock);
    }
    let auth_client = builder.build().unwrap();
    let (tokens, _) = smart_auth::BackendTokens::discover(
        auth_client,
        &url::Url::parse(&base).unwrap(),
        CLIENT_ID,
        [SCOPES],
        Arc::new(key),
    )
    .await
    .unwrap();
    let auth = CountingAuthorizer::new(SmartTokens(tokens));
    let client = configure(
        sched_client::OrgClient::builder(base.clone())
            .name(org)
            .authorizer(auth.clone()),
    )
    .build()
    .unwrap();
    SandboxOrg { client, auth, base }
}

/// A sandbox with one organisation of `kind` named `name`, seeded small for speed.
pub fn one_org(name: &str, kind: sched_sandbox::OrgKind) -> sched_sandbox::SandboxConfig {
    let mut org = sched_sandbox::OrgConfig::new(name, name, kind);
    org.seed.horizon_weeks = 3;
    sched_sandbox::SandboxConfig {
        organisations: vec![org],
        ..sched_sandbox::SandboxConfig::default()
    }
}
