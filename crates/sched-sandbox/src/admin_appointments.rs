//! Admin endpoints that act as the organisation's own staff on an appointment, behind any
//! client's back (loopback only, like [`crate::admin`]):
//! - `POST /admin/{org}/appointments/{id}/cancel` → cancels it (slots freed, as a PATCH would)
//! - `POST /admin/{org}/appointments/{id}/move` (JSON `{"start": instant, "end": instant}`) →
//!   moves it to another time
//!
//! Why: a desk must notice what the organisation did on its side; tests need a second party
//! that is not the desk's own client.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use fhir_model::parse_instant;
use serde_json::Value;

use crate::admin::{Orgs, guard};
use crate::error::FhirError;
use crate::fhir::body::JsonBody;
use crate::store::{get_appointment, put_appointment};

async fn cancel(
    State(orgs): State<Orgs>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((name, id)): Path<(String, String)>,
) -> Result<Response, FhirError> {
    let org = guard(&peer, &orgs, &name)?;
    let stored = org.patch_appointment(&id, None, |mut json| {
        json["status"] = Value::from("cancelled");
        Ok(json)
    })?;
    Ok(Json(stored.resource).into_response())
}

async fn move_to(
    State(orgs): State<Orgs>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((name, id)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Response, FhirError> {
    let org = guard(&peer, &orgs, &name)?;
    let instant = |key: &str| -> Result<String, FhirError> {
        let text = body.value[key].as_str().unwrap_or_default().to_owned();
        parse_instant(&text)
            .map(|_| text)
            .map_err(|_| FhirError::bad_request(format!("{key} must be an instant")))
    };
    let (start, end) = (instant("start")?, instant("end")?);
    let now = org.now();
    let moved = org.store.write(|tx| {
        let mut stored = get_appointment(tx, &org.name, &id)?
            .ok_or_else(|| FhirError::not_found(format!("Appointment/{id} not found")))?;
        stored.resource.start = Some(start);
        stored.resource.end = Some(end);
        stored.touch(now);
        put_appointment(tx, &org.name, &stored)?;
        Ok::<_, FhirError>(stored)
    })?;
    Ok(Json(moved.resource).into_response())
}

/// The staff routes over every organisation.
pub fn router(orgs: Orgs) -> Router {
    Router::new()
        .route("/admin/{org}/appointments/{id}/cancel", post(cancel))
        .route("/admin/{org}/appointments/{id}/move", post(move_to))
        .with_state(orgs)
}
