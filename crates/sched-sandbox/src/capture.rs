//! Response capture for schema validation: a layer that writes every FHIR JSON response body
//! (`Content-Type: application/fhir+json`) to a numbered file in a directory, so
//! `tests/schema/validate.mjs` can check what the sandbox really sent against the official STU3
//! JSON Schema. Enabled by config `capture_dir` or env `REFDESK_CAPTURE_DIR`.
//!
//! Files are named `<pid>-<n>.json`: test runners start many processes that capture into one
//! directory, and the pid keeps their numbering apart.

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
/// Bodies larger than this are not captured (the sandbox never sends such bodies).
const MAX_CAPTURE_BYTES: usize = 16 * 1024 * 1024;

/// Numbering shared by every capture in this process.
static NEXT: AtomicU64 = AtomicU64::new(1);

/// Where captured bodies go. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Capture {
    dir: Arc<PathBuf>,
}

impl Capture {
    /// Captures into `dir`, creating it if needed.
    pub fn new(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: Arc::new(dir.to_owned()),
        })
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

    async fn write(&self, bytes: &[u8]) {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(format!("{}-{n:06}.json", std::process::id()));
        if let Err(e) = tokio::fs::write(&path, bytes).await {
            tracing::warn!(path = %path.display(), error = %e, "could not capture a response");
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

fn is_fhir_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(MIME_FHIR_JSON))
}

/// The middleware: passes the request on, copies a FHIR JSON response body to a file, and
/// returns the response unchanged.
pub async fn capture_response(
    State(capture): State<Capture>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if !is_fhir_json(&response) || response.headers().contains_key(FAULT_HEADER) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_CAPTURE_BYTES).await {
        Ok(bytes) => {
            capture.write(&bytes).await;
            Response::from_parts(parts, Body::from(bytes))
        }
        // The body failed while streaming (e.g. the dropped-connection fault): fail the same
        // way, so the client sees what it would have seen without capture.
        Err(e) => {
            let failing = futures::stream::once(async move {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other(e.to_string()))
            });
            Response::from_parts(parts, Body::from_stream(failing))
        }
    }
}
