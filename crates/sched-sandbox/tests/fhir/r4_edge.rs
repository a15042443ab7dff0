//! The R4 edge every R4 dialect serves (`dialect::r4_common`), tested on an organisation whose
//! router is set to `common_routes` in this test only (its own 127.0.0.1:0 listener, tokens from
//! the organisation's real token endpoint): R4 in, R4 out, invalid R4 refused, and the base of
//! the R4 CapabilityStatement.

use axum::Router;
use sched_sandbox::capture::{Capture, maybe_wrap};
use sched_sandbox::dialect::r4_common::{common_routes, r4_metadata_base};
use serde_json::{Value, json};

use crate::support::{Env, derm_only};

/// Serves the organisation's common R4 routes; returns the FHIR base.
async fn serve_r4(env: &Env, org: &str) -> String {
    let o = env.sandbox.organisation(org).unwrap();
    let app = Router::new().nest(&format!("/{org}/fhir"), common_routes(o));
    // Captured (when the schema stage asks for it) as R4, for the R4 check.
    let capture = Capture::from_config_or_env(None).unwrap();
    let app = maybe_wrap(
        app,
        capture.map(|c| c.with_r4_organisations([org.to_owned()])),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/{org}/fhir")
}

async fn post(env: &Env, url: String, body: &Value) -> crate::support::Reply {
    let req = env
        .http
        .post(url)
        .bearer_auth(env.token("derm"))
        .header("content-type", "application/fhir+json")
        .body(body.to_string());
    env.send(req).await
}

fn r4_coverage(patient: &str) -> Value {
    json!({"resourceType": "Coverage", "status": "active",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                             "code": "HMO"}]},
        "beneficiary": {"reference": format!("Patient/{patient}")},
        "subscriber": {"reference": format!("Patient/{patient}")},
        "payor": [{"display": "Acme"}],
        "class": [{"type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "group"}]},
            "value": "G-7", "name": "Staff"}]})
}

#[tokio::test]
async fn r4_bodies_in_and_out_and_invalid_r4_is_refused() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let base = serve_r4(&env, "derm").await;
    let patient = json!({"resourceType": "Patient", "name": [{"family": "Boateng"}],
        "identifier": [{"system": "urn:x", "value": "R4-9"}], "gender": "male"});
    let created = post(&env, format!("{base}/Patient"), &patient).await;
    assert!(matches!(created.status, 200 | 201), "{}", created.body);
    let pid = created.body["id"].as_str().unwrap().to_owned();

    let cov = post(&env, format!("{base}/Coverage"), &r4_coverage(&pid)).await;
    assert_eq!(cov.status, 201, "{}", cov.body);
    assert_eq!(cov.body["class"][0]["value"], "G-7");
    assert_eq!(cov.body["class"][0]["name"], "Staff");
    assert!(cov.body.get("grouping").is_none(), "{}", cov.body);
    // The STU3 API of the same organisation holds it as STU3.
    let id = cov.body["id"].as_str().unwrap();
    let stu3 = env.get("derm", &format!("Coverage/{id}")).await;
    assert_eq!(stu3.body["grouping"]["group"], "G-7");
    assert_eq!(
        stu3.body["type"]["coding"][0]["system"],
        "http://hl7.org/fhir/v3/ActCode"
    );

    let search = env
        .send(
            env.http
                .get(format!("{base}/Patient?identifier=urn:x|R4-9"))
                .bearer_auth(env.token("derm")),
        )
        .await;
    assert_eq!(search.status, 200);
    assert_eq!(search.body["entry"][0]["resource"]["id"], pid.as_str());

    let mut missing_value = r4_coverage(&pid);
    missing_value["class"][0]
        .as_object_mut()
        .unwrap()
        .remove("value");
    let refused = post(&env, format!("{base}/Coverage"), &missing_value).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(refused.body["resourceType"], "OperationOutcome");
    let unknown_status = json!({"resourceType": "Parameters", "parameter": [{"name": "resource",
        "resource": {"resourceType": "Appointment", "status": "teleported"}}]});
    let refused = post(&env, format!("{base}/Patient/$match"), &unknown_status).await;
    assert_eq!(refused.status, 400, "{}", refused.body);

    let anonymous = env
        .send(env.http.get(format!("{base}/Patient/{pid}")))
        .await;
    assert_eq!(anonymous.status, 401, "the bearer check stays in front");
    let argonaut_only = env
        .send(
            env.http
                .post(format!("{base}/Appointment/$find"))
                .bearer_auth(env.token("derm")),
        )
        .await;
    assert!(
        matches!(argonaut_only.status, 404 | 405),
        "no Argonaut operations on the R4 edge: {}",
        argonaut_only.status
    );
    assert_eq!(argonaut_only.body["resourceType"], "OperationOutcome");
}

#[tokio::test]
async fn the_r4_statement_base_names_only_what_the_common_routes_serve() {
    let env = Env::start(derm_only()).await;
    let org = env.sandbox.organisation("derm").unwrap();
    let statement = serde_json::to_value(r4_metadata_base(&org)).unwrap();
    assert_eq!(statement["fhirVersion"], "4.0.1");
    assert!(statement.get("acceptUnknown").is_none());
    let rest = &statement["rest"][0];
    let types: Vec<&str> = rest["resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"Schedule") && types.contains(&"Coverage"),
        "{types:?}"
    );
    assert!(
        !types.contains(&"Slot") && !types.contains(&"ReferralRequest"),
        "{types:?}"
    );
    let ops: Vec<&Value> = rest["operation"].as_array().unwrap().iter().collect();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0]["name"], "match");
    assert!(ops[0]["definition"].is_string(), "R4 canonicals");
    assert!(rest["security"]["extension"][0]["extension"][0]["valueUri"].is_string());
}
