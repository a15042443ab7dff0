//! `$find` honours `reason` by ranking (it never narrows): schedules whose specialty usually sees
//! the reason come first, an unknown reason changes nothing, and the avail-bundle's outcome says
//! so. What each organisation received is readable on the loopback admin hook; ReferralRequest
//! is offered, created and read back.

use std::sync::Arc;

use chrono::{Duration, Utc};
use fhir_model::terminology::SPECIALTIES;
use fhir_model::{FindParams, Resource, Token};
use sched_sandbox::org::Organisation;
use sched_sandbox::store::Store;
use sched_sandbox::{Clock, SandboxConfig};
use serde_json::{Value, json};

use crate::support::{Env, derm_only, string};

const CARDIOLOGY: &str = "394579002";

/// Practitioners of the options, in the order offered.
fn practitioners(org: &Organisation, p: &FindParams) -> Vec<String> {
    org.find(p)
        .unwrap()
        .entry
        .iter()
        .filter_map(|e| e.resource.as_ref())
        .filter_map(Resource::as_appointment)
        .filter_map(|a| {
            a.participant
                .iter()
                .filter_map(|x| x.actor.as_ref()?.reference.clone())
                .find(|r| r.starts_with("Practitioner/"))
        })
        .collect()
}

#[test]
fn a_reason_ranks_the_schedules_whose_specialty_sees_it_first() {
    let config = SandboxConfig::default();
    let mut org = Organisation::open(
        &config.organisations[0],
        Arc::new(Store::open(None).unwrap()),
        "http://127.0.0.1:9",
        Clock::system(),
    )
    .unwrap();
    // Make the dermatology group mixed: its last schedule is a cardiologist's.
    let cardiology = SPECIALTIES.concept(CARDIOLOGY);
    let last = org.directory.schedules.last_mut().unwrap();
    last.specialty = vec![cardiology];
    let cardiologist = last.practitioner.clone().unwrap();
    let now = Utc::now();
    let base = FindParams {
        start: Some(now.to_rfc3339()),
        end: Some((now + Duration::days(14)).to_rfc3339()),
        count: Some(5),
        ..FindParams::default()
    };
    let plain = practitioners(&org, &base);
    let chest_pain = FindParams {
        reason: vec![Token::new("http://snomed.info/sct", "29857009")],
        ..base.clone()
    };
    let ranked = practitioners(&org, &chest_pain);
    assert!(!ranked.is_empty());
    assert!(
        ranked.iter().all(|p| *p == cardiologist),
        "chest pain: the cardiologist's times first: {ranked:?}"
    );
    assert!(
        plain.iter().any(|p| *p != cardiologist),
        "without a reason the order is the plain one: {plain:?}"
    );
    let unknown = FindParams {
        reason: vec![Token::new("http://snomed.info/sct", "000000")],
        ..base.clone()
    };
    assert_eq!(
        practitioners(&org, &unknown),
        plain,
        "an unknown reason changes nothing"
    );
    let psoriasis = FindParams {
        reason: vec![Token::new("http://snomed.info/sct", "9014002")],
        ..base
    };
    assert_ne!(practitioners(&org, &psoriasis).first(), Some(&cardiologist));
    let only_the_cardiologist = FindParams {
        practitioner: vec![cardiologist.clone()],
        ..psoriasis
    };
    assert!(
        !practitioners(&org, &only_the_cardiologist).is_empty(),
        "a reason ranks, it does not narrow: the cardiologist is still offered for psoriasis"
    );
}

#[tokio::test]
async fn what_the_organisation_received_is_on_the_admin_hook_and_the_outcome_says_how_reason_was_used()
 {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let org = "derm";
    let reason = "http://snomed.info/sct|9014002";
    let r = env.find(org, vec![string("reason", reason)], 3).await;
    assert_eq!(r.status, 200);
    let notes = r.body.to_string();
    assert!(notes.contains("reason ranks first"), "{notes}");
    let base = env.sandbox.base_url(org).unwrap();
    let origin = base.trim_end_matches("/derm/fhir");
    let url = format!("{origin}/admin/{org}/received?operation=find");
    let got: Vec<Value> = env
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let last = got.last().unwrap();
    assert!(
        last["parameter"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "reason" && p["valueString"] == reason),
        "{last}"
    );
    let bad = env
        .http
        .get(format!("{origin}/admin/{org}/received?operation=cancel"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_referral_request_is_offered_created_and_read_back() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let org = "derm";
    let meta = env.get(org, "metadata").await;
    let offered = meta.body["rest"][0]["resource"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["type"] == "ReferralRequest" && r["interaction"].to_string().contains("create"));
    assert!(
        offered,
        "the CapabilityStatement offers ReferralRequest create"
    );
    let patient = env
        .post(
            org,
            "Patient",
            &json!({"resourceType": "Patient", "name": [{"family": "Osei", "given": ["Ama"]}],
                    "gender": "female", "birthDate": "1980-04-02",
                    "identifier": [{"system": "urn:mrn", "value": "RR-1"}]}),
        )
        .await;
    let pid = patient.body["id"].as_str().unwrap().to_owned();
    let body = json!({"resourceType": "ReferralRequest", "status": "active", "intent": "order",
        "priority": "urgent", "subject": {"reference": format!("Patient/{pid}")},
        "note": [{"text": "Steroids tried."}]});
    let created = env.post(org, "ReferralRequest", &body).await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let read = env.get(org, &format!("ReferralRequest/{id}")).await;
    assert_eq!(read.body["note"][0]["text"], "Steroids tried.");
    let stranger = json!({"resourceType": "ReferralRequest", "status": "active", "intent": "order",
        "subject": {"reference": "Patient/nobody"}});
    assert_eq!(
        env.post(org, "ReferralRequest", &stranger).await.status,
        422
    );
}
