//! Property tests of every reader of what an organisation sends back: the avail-bundle, a
//! `$hold`/`$book`/cancel answer, a Bundle of search results, the CapabilityStatement and an
//! error's OperationOutcome. Any bytes, any JSON, or a real answer with nodes replaced by the
//! wrong type must give a value or a `ClientError`, never a panic or a hang.
#![allow(clippy::unwrap_used, reason = "tests")]

use fhir_model::appointment_status as st;
use fuzz_support::{bounded, bytes, config, json, json_resource, mutated, templates};
use proptest::prelude::*;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::capabilities::{Capabilities, Interaction};
use crate::dialect::version::Wire;
use crate::ops::avail::Availability;
use crate::ops::cancel::cancel_answer;
use crate::ops::hold_book::answer;
use crate::ops::read::{bundle, capability_statement, matches};
use crate::transport::Reply;

const INTERACTIONS: [Interaction; 13] = [
    Interaction::SearchPatients,
    Interaction::MatchPatient,
    Interaction::CreatePatient,
    Interaction::CreateCoverage,
    Interaction::UpdateCoverage,
    Interaction::FindAppointments,
    Interaction::HoldAppointment,
    Interaction::BookAppointment,
    Interaction::CancelAppointment,
    Interaction::ReadAppointment,
    Interaction::SearchAppointments,
    Interaction::PrefetchSlots,
    Interaction::ReadCapabilities,
];

fn reply(status: u16, body: &[u8], header: &str) -> Reply {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(header) {
        headers.insert("etag", v.clone());
        headers.insert("location", v.clone());
        headers.insert("expires", v.clone());
        headers.insert("retry-after", v);
    }
    Reply {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        headers,
        body: body.to_vec(),
        wire: Wire::Stu3,
    }
}

/// Every reader the client applies to an answer body, on one body.
fn read_everything(body: &[u8], header: &str) {
    if let Ok(a) = Availability::from_json(body) {
        for p in &a.proposals {
            let _ = (
                p.appointment(),
                p.window(),
                p.actors_of_type("Practitioner").count(),
            );
        }
    }
    let _ = answer(reply(200, body, header), "$hold", Some("p1"), st::PENDING);
    let _ = answer(reply(200, body, header), "$book", None, st::BOOKED);
    let _ = cancel_answer(reply(200, body, header));
    if let Ok(b) = bundle(reply(200, body, header), "search") {
        let _ = matches(b).count();
    }
    let r4 = Reply {
        wire: Wire::R4,
        ..reply(200, body, header)
    };
    if let Ok(b) = bundle(r4, "search") {
        let _ = matches(b).count();
    }
    if let Ok(statement) = capability_statement(reply(200, body, header)) {
        let caps = Capabilities::from_statement(statement);
        let _ = caps.patch_format();
        for what in INTERACTIONS {
            let _ = (caps.offers(what), caps.require(what));
        }
    }
    let error = reply(409, body, header).into_error();
    let _ = error.to_string();
}

fn templates_damaged() -> impl Strategy<Value = Value> {
    prop_oneof![
        mutated(templates::avail_bundle()),
        mutated(templates::capability_statement()),
        mutated(templates::operation_outcome()),
        mutated(templates::appointment()),
        mutated(
            json!({"resourceType": "Bundle", "type": "searchset", "entry": [
            {"resource": templates::patient(), "search": {"mode": "match", "score": 0.9}},
            {"resource": templates::slot(), "search": {"mode": "include"}}]})
        ),
    ]
}

fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("W/\"3\"".to_owned()),
        Just("Appointment/p1/_history/2".to_owned()),
        Just("Wed, 21 Oct 2037 07:28:00 GMT".to_owned()),
        "[ -~]{0,40}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_read_or_refused(
        body in prop_oneof![bytes(templates::avail_bundle()), bytes(templates::capability_statement())],
        h in header(),
    ) {
        bounded(|| read_everything(&body, &h))?;
    }

    #[test]
    fn any_json_is_read_or_refused(value in prop_oneof![
        json(),
        json_resource(&["Bundle", "Appointment", "OperationOutcome", "CapabilityStatement", "Basic"]),
    ]) {
        bounded(|| read_everything(value.to_string().as_bytes(), ""))?;
    }

    #[test]
    fn answers_with_wrong_fields_are_read_or_refused(value in templates_damaged(), h in header()) {
        bounded(|| read_everything(value.to_string().as_bytes(), &h))?;
    }
}
