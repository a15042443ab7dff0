//! Hostile and broken requests: each gets the right 4xx with an OperationOutcome, never a 500,
//! and nothing stored is lost.

use serde_json::json;

use crate::support::{DERM, Env, derm_only, params, string, uri};

#[tokio::test]
async fn bad_requests_get_the_right_4xx_and_lose_nothing() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let booked = {
        let p = env
            .find("derm", vec![string("specialty", DERM)], 1)
            .await
            .appointment()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        env.post(
            "derm",
            "Appointment/$book",
            &params(vec![uri("appt-id", &p), uri("patient-id", "Patient/pat-1")]),
        )
        .await
        .appointment()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let raw = |path: &str, ct: &str, body: Vec<u8>| {
        env.http
            .post(env.url("derm", path))
            .bearer_auth(env.token("derm"))
            .header("content-type", ct)
            .body(body)
    };
    let huge = vec![b' '; 1024 * 1024 + 10];
    let cases: Vec<(&str, reqwest::RequestBuilder, u16)> = vec![
        ("malformed JSON", raw("Patient", "application/fhir+json", b"{\"resourceType\": \"Patient\",".to_vec()), 400),
        ("wrong resourceType", raw("Patient", "application/fhir+json", json!({"resourceType": "Appointment", "status": "booked"}).to_string().into_bytes()), 400),
        ("not a JSON object", raw("Appointment/$hold", "application/fhir+json", b"[1,2]".to_vec()), 400),
        ("XML is not supported", raw("Patient", "application/fhir+xml", b"<Patient/>".to_vec()), 415),
        ("body over 1 MiB", raw("Patient", "application/fhir+json", huge), 413),
        ("invalid birthDate", raw("Patient", "application/fhir+json", json!({"resourceType": "Patient", "name": [{"family": "X"}], "birthDate": "1990-02-30"}).to_string().into_bytes()), 400),
        ("$find start without zone", env.http.get(env.url("derm", "Appointment/$find?start=2026-01-01T09:00:00&end=2026-01-02")).bearer_auth(env.token("derm")), 400),
        ("$find end before start", env.http.get(env.url("derm", "Appointment/$find?start=2026-01-05&end=2026-01-02")).bearer_auth(env.token("derm")), 400),
        ("$find unknown parameter", env.http.get(env.url("derm", "Appointment/$find?provider=Practitioner/1")).bearer_auth(env.token("derm")), 400),
        ("$find token without code", env.http.get(env.url("derm", "Appointment/$find?specialty=http://snomed.info/sct|")).bearer_auth(env.token("derm")), 400),
        ("search unknown parameter", env.http.get(env.url("derm", "Appointment?colour=blue")).bearer_auth(env.token("derm")), 400),
        ("search invalid date", env.http.get(env.url("derm", "Appointment?date=ge2026-13")).bearer_auth(env.token("derm")), 400),
        ("$hold unknown appointment", raw("Appointment/$hold", "application/fhir+json", params(vec![uri("appt-id", "Appointment/nope")]).to_string().into_bytes()), 404),
        ("$book unknown patient", raw("Appointment/$book", "application/fhir+json", params(vec![uri("appt-id", "prop-s1"), uri("patient-id", "Patient/ghost")]).to_string().into_bytes()), 422),
        ("$hold of a booked appointment", raw(&format!("Appointment/{booked}/$hold"), "application/fhir+json", b"".to_vec()), 409),
        ("no token", env.http.get(env.url("derm", "Appointment")), 401),
        ("bad token", env.http.get(env.url("derm", "Appointment")).bearer_auth("forged"), 401),
        ("unknown path", env.http.get(env.url("derm", "Nonsense/1")).bearer_auth(env.token("derm")), 404),
        ("wrong method", env.http.delete(env.url("derm", "Patient/pat-1")).bearer_auth(env.token("derm")), 405),
        ("PATCH to booked", env.http.patch(env.url("derm", &format!("Appointment/{booked}"))).bearer_auth(env.token("derm")).header("content-type", "application/json-patch+json").body(json!([{"op": "replace", "path": "/status", "value": "arrived"}]).to_string()), 422),
        ("PATCH of another element", env.http.patch(env.url("derm", &format!("Appointment/{booked}"))).bearer_auth(env.token("derm")).header("content-type", "application/json-patch+json").body(json!([{"op": "replace", "path": "/start", "value": "2030-01-01T00:00:00Z"}]).to_string()), 422),
        ("PATCH with a stale If-Match", env.http.patch(env.url("derm", &format!("Appointment/{booked}"))).bearer_auth(env.token("derm")).header("content-type", "application/json-patch+json").header("if-match", "W/\"99\"").body(json!([{"op": "replace", "path": "/status", "value": "cancelled"}]).to_string()), 412),
    ];
    for (what, req, expected) in cases {
        let r = env.send(req).await;
        assert_eq!(r.status, expected, "{what}: {}", r.body);
        assert_eq!(r.body["resourceType"], "OperationOutcome", "{what}");
    }
    let still = env.get("derm", &format!("Appointment/{booked}")).await;
    assert_eq!(
        still.body["status"], "booked",
        "nothing stored was lost or changed"
    );
    assert_eq!(env.get("derm", "Patient/pat-1").await.status, 200);
}

#[tokio::test]
async fn fhirpath_patch_cancels_with_a_reason_and_honours_if_match() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let p = env
        .find("derm", vec![string("specialty", DERM)], 1)
        .await
        .appointment()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let held = env
        .post(
            "derm",
            "Appointment/$hold",
            &params(vec![uri("appt-id", &p)]),
        )
        .await;
    let id = held.appointment()["id"].as_str().unwrap().to_owned();
    let read = env.get("derm", &format!("Appointment/{id}")).await;
    let etag = read.header("etag").unwrap().to_owned();
    let body = json!({"resourceType": "Parameters", "parameter": [
        {"name": "operation", "part": [{"name": "type", "valueCode": "replace"}, {"name": "path", "valueString": "Appointment.status"}, {"name": "value", "valueCode": "cancelled"}]},
        {"name": "operation", "part": [{"name": "type", "valueCode": "add"}, {"name": "path", "valueString": "Appointment"}, {"name": "name", "valueString": "extension"},
            {"name": "value", "part": [{"name": "url", "valueUri": "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/extension-status-reason"},
                                       {"name": "value", "valueCodeableConcept": {"coding": [{"system": "http://fhir.org/guides/argonaut-scheduling/CodeSystem/status-reason", "code": "patient-cancel"}]}}]}]}]});
    let req = env
        .http
        .patch(env.url("derm", &format!("Appointment/{id}")))
        .bearer_auth(env.token("derm"))
        .header("content-type", "application/fhir+json")
        .header("if-match", etag)
        .body(body.to_string());
    let r = env.send(req).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "cancelled");
    assert_eq!(
        r.body["extension"][0]["valueCodeableConcept"]["coding"][0]["code"],
        "patient-cancel"
    );
}
