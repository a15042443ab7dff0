//! Capture for schema validation: a layer that writes every FHIR JSON response body
//! (`Content-Type: application/fhir+json`) to a numbered file in a directory, so
//! `tests/schema/validate.mjs` can check what the sandbox really sent against the official STU3
//! JSON Schema; and every FHIR JSON request body Referral Desk's own client sent (its
//! `User-Agent` starts with [`DESK_AGENT`]), so the same check covers what the desk sends, and
//! the argo-coverage check sees every Coverage it sent. Requests from other clients are left
//! out: the sandbox's own tests send malformed bodies on purpose. Enabled by config
//! `capture_dir` or env `REFDESK_CAPTURE_DIR`.
//!
//! Responses are named `<pid>-<n>.json`, requests `req-<pid>-<n>.json`: test runners start many
//! processes that capture into one directory, and the pid keeps their numbering apart. Bodies of
//! organisations that speak an R4 dialect (the first path segment names the organisation) are
//! named `r4-<pid>-<n>.json` and `r4-req-<pid>-<n>.json`: the STU3 check skips them and the R4
//! check (`tests/schema/validate_r4.py`) validates them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use fhir_model::urls::MIME_FHIR_JSON;

/// Environment variable naming the capture directory.
pub const CAPTURE_ENV: &str = "REFDESK_CAPTURE_DIR";
/// A response carrying this header was corrupted on purpose (fault knobs) and is not captured.
pub const FAULT_HEADER: &str = "x-sandbox-fault";
/// The `User-Agent` prefix of Referral Desk's own FHIR client (sched-client).
pub const DESK_AGENT: &str = "referral-desk";
/// File-name prefix of captured request bodies.
pub const REQUEST_PREFIX: &str = "req-";
/// File-name prefix of bodies exchanged with an organisation speaking an R4 dialect.
pub const R4_PREFIX: &str = "r4-";
/// Bodies larger than this are not captured (the sandbox never sends such bodies).
const MAX_CAPTURE_BYTES: usize = 16 * 1024 * 1024;

/// Numbering shared by every capture in this process.
static NEXT: AtomicU64 = AtomicU64::new(1);

/// Where captured bodies go. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Capture {
    dir: Arc<PathBuf>,
    /// Names of the organisations whose FHIR API is R4.
    r4_orgs: Arc<HashSet<String>>,
}

impl Capture {
    /// Captures into `dir`, creating it if needed.
    pub fn new(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: Arc::new(dir.to_owned()),
            r4_orgs: Arc::default(),
        })
    }

    /// Names the organisations whose FHIR API is R4, so their bodies are captured as R4.
    pub fn with_r4_organisations(mut self, names: impl IntoIterator<Item = String>) -> Self {
        self.r4_orgs = Arc::new(names.into_iter().collect());
        self
    }

    /// The file-name prefix for a body exchanged at `path` (`/<org>/fhir/...`).
    fn version_prefix(&self, path: &str) -> &'static str {
        let org = path.trim_start_matches('/').split('/').next().unwrap_or("");
        if self.r4_orgs.contains(org) {
            R4_PREFIX
        } else {
            ""
        }
    }

    /// The configured directory, else `$REFDESK_CAPTURE_DIR` (if set and not empty), else none.
    pub fn from_config_or_env(configured: Option<&Path>) -> std::io::Result<Option<Self>> {
        let env = std::env::var_os(CAPTURE_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        match configured.map(Path::to_owned).or(env) {
            Some(dir) => Self::new(&dir).map(Some),
            None => Ok(None),
        }
    }

    /// The directory captured into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Wraps `router` so its FHIR JSON responses are captured. Apply it inside any layer that
    /// deliberately corrupts bodies (fault knobs), so what is captured is what the server meant.
    pub fn wrap(self, router: Router) -> Router {
        router.layer(from_fn_with_state(self, capture_response))
    }

    async fn write(&self, prefix: &str, bytes: &[u8]) {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = self
            .dir
            .join(format!("{prefix}{}-{n:06}.json", std::process::id()));
        if let Err(e) = tokio::fs::write(&path, bytes).await {
            tracing::warn!(path = %path.display(), error = %e, "could not capture a body");
        }
    }
}

/// Applies `capture` to `router` when there is one.
pub fn maybe_wrap(router: Router, capture: Option<Capture>) -> Router {
    match capture {
        Some(c) => c.wrap(router),
        None => router,
    }
}

fn is_fhir_json(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(MIME_FHIR_JSON))
}

fn from_the_desk(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(DESK_AGENT))
}

/// Copies the FHIR JSON body of a request from the desk's client to a file, and gives the
/// request back whole. A body that cannot be read is passed on as the same failure.
async fn capture_request(capture: &Capture, prefix: &str, request: Request) -> Request {
    if !is_fhir_json(request.headers()) || !from_the_desk(request.headers()) {
        return request;
    }
    let (parts, body) = request.into_parts();
    match to_bytes(body, MAX_CAPTURE_BYTES).await {
        Ok(bytes) => {
            if !bytes.is_empty() {
                capture
                    .write(&format!("{prefix}{REQUEST_PREFIX}"), &bytes)
                    .await;
            }
            Request::from_parts(parts, Body::from(bytes))
        }
        Err(e) => Request::from_parts(parts, failing_body(e.to_string())),
    }
}

fn failing_body(reason: String) -> Body {
    Body::from_stream(futures::stream::once(async move {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other(reason))
    }))
}

/// The middleware: copies a FHIR JSON request body from the desk to a file, passes the request
/// on, copies a FHIR JSON response body to a file, and returns the response unchanged.
pub async fn capture_response(
    State(capture): State<Capture>,
    request: Request,
    next: Next,
) -> Response {
    let prefix = capture.version_prefix(request.uri().path());
    let request = capture_request(&capture, prefix, request).await;
    let response = next.run(request).await;
    if !is_fhir_json(response.headers()) || response.headers().contains_key(FAULT_HEADER) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_CAPTURE_BYTES).await {
        Ok(bytes) => {
            capture.write(prefix, &bytes).await;
            Response::from_parts(parts, Body::from(bytes))
        }
        // The body failed while streaming (e.g. the dropped-connection fault): fail the same
        // way, so the client sees what it would have seen without capture.
        Err(e) => Response::from_parts(parts, failing_body(e.to_string())),
    }
}
