//! Admin endpoints for the fault knobs, answering on loopback only:
//! - `GET /admin/{org}/faults` → the organisation's knobs as JSON
//! - `PUT /admin/{org}/faults` (JSON `Faults`) → replaces them
//! - `GET /admin/{org}/received?operation=find|hold|book` → the last 100 Parameters bodies that
//!   operation received (JSON array, oldest first), so tests check what reached the organisation
//! - `GET /admin/{org}/requests` → requests answered per interaction (JSON object, e.g.
//!   `{"search-appointment": 3}`); `DELETE` starts the count again
//!
//! The server binds 127.0.0.1, and the handler still checks the peer address so the admin
//! surface stays closed if the listener is ever widened.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::error::FhirError;
use crate::faults::Faults;
use crate::fhir::body::JsonBody;
use crate::org::Organisation;

pub(crate) type Orgs = Arc<HashMap<String, Arc<Organisation>>>;

/// Whether a peer may use the admin endpoints: loopback addresses only (IPv4-mapped too).
pub fn is_loopback_peer(peer: &SocketAddr) -> bool {
    match peer.ip() {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

pub(crate) fn guard(
    peer: &SocketAddr,
    orgs: &Orgs,
    name: &str,
) -> Result<Arc<Organisation>, FhirError> {
    if !is_loopback_peer(peer) {
        return Err(FhirError::forbidden(
            "the admin endpoints answer on loopback only",
        ));
    }
    orgs.get(name)
        .cloned()
        .ok_or_else(|| FhirError::not_found(format!("no organisation named '{name}'")))
}

async fn get_faults(
    State(orgs): State<Orgs>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
) -> Result<Response, FhirError> {
    let org = guard(&peer, &orgs, &name)?;
    // Plain JSON: the knobs are not a FHIR resource.
    Ok(Json(org.faults.get()).into_response())
}

async fn put_faults(
    State(orgs): State<Orgs>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
    body: JsonBody,
) -> Result<Response, FhirError> {
    let org = guard(&peer, &orgs, &name)?;
    let faults: Faults = serde_json::from_value(body.value)
        .map_err(|e| FhirError::bad_request(format!("invalid faults: {e}")))?;
    faults.validate().map_err(FhirError::bad_request)?;
    org.set_faults(faults.clone());
    Ok(Json(faults).into_response())
}

/// `?operation=find|hold|book`.
#[derive(Debug, serde::Deserialize)]
struct ReceivedQuery {
    operation: String,
}

/// `GET /admin/{org}/received?operation=…`: the last bodies received for that operation.
async fn get_received(
    State(orgs): State<Orgs>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
    Query(q): Query<ReceivedQuery>,
) -> Result<Response, FhirError> {
    let org = guard(&peer, &orgs, &name)?;
    let bodies = org
        .received
        .of(&q.operation)
        .ok_or_else(|| FhirError::bad_request("operation must be one of find, hold and book"))?;
    Ok(Json(bodies).into_response())
}

/// `GET /admin/{org}/requests`: requests answered per interaction.
async fn get_requests(
    State(orgs): State<Orgs>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
) -> Result<Response, FhirError> {
    let org = guard(&peer, &orgs, &name)?;
    Ok(Json(org.requests.snapshot()).into_response())
}

/// `DELETE /admin/{org}/requests`: counts from zero again.
async fn reset_requests(
    State(orgs): State<Orgs>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
) -> Result<Response, FhirError> {
    let org = guard(&peer, &orgs, &name)?;
    org.requests.reset();
    Ok(Json(org.requests.snapshot()).into_response())
}

/// The admin routes over every organisation.
pub fn router(orgs: Orgs) -> Router {
    Router::new()
        .route("/admin/{org}/faults", get(get_faults).put(put_faults))
        .route("/admin/{org}/received", get(get_received))
        .route(
            "/admin/{org}/requests",
            get(get_requests).delete(reset_requests),
        )
        .with_state(Arc::clone(&orgs))
        .merge(crate::admin_appointments::router(orgs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_peers_may_use_admin() {
        let peer = |s: &str| {
            s.parse::<SocketAddr>()
                .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)))
        };
        assert!(is_loopback_peer(&peer("127.0.0.1:5000")));
        assert!(is_loopback_peer(&peer("127.8.9.10:5000")));
        assert!(is_loopback_peer(&peer("[::1]:5000")));
        assert!(is_loopback_peer(&peer("[::ffff:127.0.0.1]:5000")));
        assert!(!is_loopback_peer(&peer("192.168.1.20:5000")));
        assert!(!is_loopback_peer(&peer("10.0.0.1:5000")));
        assert!(!is_loopback_peer(&peer("[::ffff:10.0.0.1]:5000")));
        assert!(!is_loopback_peer(&peer("[2001:db8::1]:5000")));
        assert!(!is_loopback_peer(&peer("0.0.0.0:5000")));
    }
}
