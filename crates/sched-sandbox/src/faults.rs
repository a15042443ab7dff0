//! Fault knobs per organisation: added latency, random 500/503, 429 with Retry-After, dropped
//! connections, malformed JSON bodies, "hold not supported" and a short token lifetime. They let
//! client tests meet the failures real EHRs produce, on purpose and repeatably.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::stream;
use http::{HeaderValue, StatusCode, header};
use parking_lot::RwLock;
use serde::{Deserialize, Serialize};

use crate::error::FhirError;
use crate::fhir::response::FHIR_JSON;

/// The knobs. Rates are probabilities in 0..=1 applied per request, in this order: drop,
/// throttle (429), failure (500/503), malformed body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Milliseconds added before every FHIR response.
    pub latency_ms: u64,
    /// Share of requests answered with `failure_status`.
    pub failure_rate: f64,
    /// 500 or 503.
    pub failure_status: u16,
    /// Share of requests answered 429 with `Retry-After: retry_after_seconds`.
    pub throttle_rate: f64,
    pub retry_after_seconds: u64,
    /// Share of requests whose connection is closed without a complete response.
    pub drop_rate: f64,
    /// Share of successful JSON responses whose body is cut in half (invalid JSON).
    pub malformed_rate: f64,
    /// When true, `$hold` answers 404 and is absent from /metadata.
    pub hold_not_supported: bool,
    /// When true, a home organisation answers `POST [base]` (batch) with 404 and leaves
    /// `batch` out of /metadata, like a home EHR without batch support.
    pub batch_not_supported: bool,
    /// Access-token lifetime override in seconds (default 300).
    pub token_ttl_seconds: Option<u64>,
    /// When set, every POST/PUT Coverage is refused with 422 (`business-rule`) and this text
    /// as the organisation's reason, e.g. "We do not accept this insurer".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refuse_coverage: Option<String>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            failure_rate: 0.0,
            failure_status: 503,
            throttle_rate: 0.0,
            retry_after_seconds: 1,
            drop_rate: 0.0,
            malformed_rate: 0.0,
            hold_not_supported: false,
            batch_not_supported: false,
            token_ttl_seconds: None,
            refuse_coverage: None,
        }
    }
}

impl Faults {
    /// Checks ranges; the message names the knob.
    pub fn validate(&self) -> Result<(), String> {
        let rates = [
            ("failure_rate", self.failure_rate),
            ("throttle_rate", self.throttle_rate),
            ("drop_rate", self.drop_rate),
            ("malformed_rate", self.malformed_rate),
        ];
        for (name, r) in rates {
            if !(0.0..=1.0).contains(&r) {
                return Err(format!("faults.{name} must be between 0 and 1"));
            }
        }
        if !matches!(self.failure_status, 500 | 503) {
            return Err("faults.failure_status must be 500 or 503".to_owned());
        }
        if self.latency_ms > 60_000 {
            return Err("faults.latency_ms must be at most 60000".to_owned());
        }
        if self.token_ttl_seconds == Some(0) || self.token_ttl_seconds.is_some_and(|t| t > 3600) {
            return Err("faults.token_ttl_seconds must be 1..=3600".to_owned());
        }
        Ok(())
    }
}

/// The live knobs of one organisation plus the random source that applies them.
#[derive(Debug)]
pub struct FaultState {
    faults: RwLock<Faults>,
    rng: AtomicU64,
}

impl FaultState {
    pub fn new(faults: Faults, seed: u64) -> Arc<Self> {
        Arc::new(Self {
            faults: RwLock::new(faults),
            rng: AtomicU64::new(seed | 1),
        })
    }

    /// The current knobs.
    pub fn get(&self) -> Faults {
        self.faults.read().clone()
    }

    /// Replaces the knobs.
    pub fn set(&self, faults: Faults) {
        *self.faults.write() = faults;
    }

    /// The reason every Coverage is refused with, when the knob is set.
    pub fn coverage_refusal(&self) -> Option<String> {
        self.faults
            .read()
            .refuse_coverage
            .clone()
            .filter(|r| !r.trim().is_empty())
    }

    /// Whether a home's `batch` is switched off.
    pub fn batch_disabled(&self) -> bool {
        self.faults.read().batch_not_supported
    }

    /// Whether `$hold` is switched off.
    pub fn hold_disabled(&self) -> bool {
        self.faults.read().hold_not_supported
    }

    /// True with probability `rate` (splitmix64 over an atomic counter: lock-free, and exact
    /// at 0 and 1 so tests that set 1.0 are deterministic).
    fn roll(&self, rate: f64) -> bool {
        if rate <= 0.0 {
            return false;
        }
        if rate >= 1.0 {
            return true;
        }
        let x = self.rng.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        #[allow(
            clippy::cast_precision_loss,
            reason = "a 53-bit fraction is plenty for a rate"
        )]
        let unit = (z >> 11) as f64 / (1u64 << 53) as f64;
        unit < rate
    }
}

/// Middleware applying the knobs to every FHIR request of one organisation.
pub async fn apply(State(state): State<Arc<FaultState>>, req: Request, next: Next) -> Response {
    let f = state.get();
    if f.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(f.latency_ms)).await;
    }
    if state.roll(f.drop_rate) {
        return dropped_connection();
    }
    if state.roll(f.throttle_rate) {
        return FhirError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            "too many requests (fault knob)",
        )
        .with_header(header::RETRY_AFTER, f.retry_after_seconds.to_string())
        .into_response();
    }
    if state.roll(f.failure_rate) {
        let status =
            StatusCode::from_u16(f.failure_status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return FhirError::new(status, "transient", "simulated server failure (fault knob)")
            .into_response();
    }
    let response = next.run(req).await;
    if response.status().is_success() && state.roll(f.malformed_rate) {
        return malformed(response).await;
    }
    response
}

/// A response whose body fails on the first read: hyper then aborts the connection, so the
/// client sees the connection drop instead of a complete message.
fn dropped_connection() -> Response {
    let failing = stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "dropped by fault knob",
        ))
    });
    let mut response = Response::new(Body::from_stream(failing));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
    response
}

/// Keeps status and headers but cuts the JSON body in half.
async fn malformed(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    // Marks the body as corrupted on purpose, so the capture layer (schema check) skips it.
    parts.headers.insert(
        header::HeaderName::from_static(crate::capture::FAULT_HEADER),
        HeaderValue::from_static("malformed-body"),
    );
    Response::from_parts(parts, Body::from(cut))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn rates_are_exact_at_the_ends_and_roughly_right_between() {
        let s = FaultState::new(Faults::default(), 7);
        assert!(!s.roll(0.0));
        assert!(s.roll(1.0));
        let hits = (0..10_000).filter(|_| s.roll(0.3)).count();
        assert!((2_500..3_500).contains(&hits), "{hits}");
    }

    #[test]
    fn knobs_out_of_range_are_refused() {
        let bad = Faults {
            failure_rate: 1.5,
            ..Faults::default()
        };
        assert!(bad.validate().unwrap_err().contains("failure_rate"));
        let bad = Faults {
            failure_status: 502,
            ..Faults::default()
        };
        assert!(bad.validate().is_err());
        assert!(Faults::default().validate().is_ok());
    }
}
