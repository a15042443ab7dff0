//! How many requests each organisation answered, per interaction (`search-appointment`,
//! `read-appointment`, `hold`, …), so tests can assert how chatty a client is (the admin
//! `requests` hook). Kept in memory only; a restart forgets them.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use parking_lot::Mutex;

/// The counters of one organisation.
#[derive(Debug, Default)]
pub struct Counts {
    by_interaction: Mutex<BTreeMap<String, u64>>,
}

impl Counts {
    /// Adds one request of `interaction`.
    pub fn add(&self, interaction: String) {
        *self.by_interaction.lock().entry(interaction).or_default() += 1;
    }

    /// Every interaction seen and its count.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.by_interaction.lock().clone()
    }

    /// Starts counting from zero.
    pub fn reset(&self) {
        self.by_interaction.lock().clear();
    }
}

/// Names the interaction of a request to the FHIR API (its path relative to the base):
/// `GET Appointment` → `search-appointment`, `GET Appointment/1` → `read-appointment`,
/// `POST Appointment/1/$hold` → `hold`, `GET metadata` → `capabilities`.
pub fn interaction(method: &str, path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    if let Some(op) = parts.last().and_then(|p| p.strip_prefix('$')) {
        return op.to_owned();
    }
    let ty = parts.first().copied().unwrap_or("").to_ascii_lowercase();
    if ty == "metadata" {
        return "capabilities".to_owned();
    }
    let verb = match (method, parts.len()) {
        ("GET", 1) => "search",
        ("POST", 1) => "create",
        ("GET", _) => "read",
        ("PATCH", _) => "patch",
        ("PUT", _) => "update",
        ("DELETE", _) => "delete",
        _ => "other",
    };
    format!("{verb}-{ty}")
}

/// Middleware counting every request that reaches the organisation's FHIR API.
pub async fn count(State(counts): State<Arc<Counts>>, req: Request, next: Next) -> Response {
    counts.add(interaction(req.method().as_str(), req.uri().path()));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::interaction;

    #[test]
    fn requests_are_named_by_interaction() {
        assert_eq!(interaction("GET", "/Appointment"), "search-appointment");
        assert_eq!(interaction("GET", "/Appointment/7"), "read-appointment");
        assert_eq!(interaction("PATCH", "/Appointment/7"), "patch-appointment");
        assert_eq!(interaction("POST", "/Appointment/7/$hold"), "hold");
        assert_eq!(interaction("POST", "/Appointment/$find"), "find");
        assert_eq!(interaction("GET", "/metadata"), "capabilities");
    }
}
