//! The provider scheduling use case, step by step, as the IG describes it.

use chrono::Duration;
use referral_model::Clock as _;
use sched_sandbox::ManualClock;
use serde_json::{Value, json};

use crate::support::{DERM, Env, derm_only, params, string, uri};

fn id(a: &Value) -> String {
    a["id"].as_str().unwrap().to_owned()
}

fn slot_ids(a: &Value) -> Vec<String> {
    a["slot"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["reference"]
                .as_str()
                .unwrap()
                .trim_start_matches("Slot/")
                .to_owned()
        })
        .collect()
}

async fn slot_status(env: &Env, slot: &str) -> String {
    env.get("derm", &format!("Slot/{slot}")).await.body["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn find_hold_book_read_cancel_and_the_slot_is_free_again() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let found = env
        .find(
            "derm",
            vec![
                string("specialty", DERM),
                string(
                    "visit-type",
                    "http://fhir.org/guides/argonaut-scheduling/CodeSystem/visit-type|new-patient",
                ),
            ],
            3,
        )
        .await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.body["type"], "searchset");
    assert_eq!(found.body["total"], 3);
    let entries = found.body["entry"].as_array().unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["search"]["mode"] == "match")
            .count(),
        3
    );
    assert!(
        entries.iter().any(|e| e["search"]["mode"] == "outcome"
            && e["resource"]["resourceType"] == "OperationOutcome")
    );
    let proposal = found.appointment().clone();
    assert_eq!(proposal["status"], "proposed");
    assert_eq!(
        proposal["meta"]["profile"][0],
        "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/argo-appt"
    );
    for element in [
        "start",
        "end",
        "serviceType",
        "specialty",
        "appointmentType",
        "requestedPeriod",
        "participant",
    ] {
        assert!(
            !proposal[element].is_null(),
            "must-support {element} missing: {proposal}"
        );
    }
    assert_eq!(proposal["participant"][0]["status"], "needs-action");
    assert!(
        proposal["participant"][0]["actor"]["reference"]
            .as_str()
            .unwrap()
            .starts_with("Practitioner/")
    );
    // Every actor carries a display, so a client can show the place without another read.
    let participants = proposal["participant"].as_array().unwrap();
    let location = participants
        .iter()
        .find(|p| {
            p["actor"]["reference"]
                .as_str()
                .is_some_and(|r| r.starts_with("Location/"))
        })
        .expect("a location participant");
    assert!(
        location["actor"]["display"]
            .as_str()
            .is_some_and(|d| d.contains("clinic")),
        "{location}"
    );
    assert_eq!(
        proposal["minutesDuration"], 30,
        "a new-patient visit takes two 15-minute slots"
    );
    let slots = slot_ids(&proposal);
    assert_eq!(slot_status(&env, &slots[0]).await, "free");

    let held = env
        .post(
            "derm",
            &format!("Appointment/{}/$hold", id(&proposal)),
            &params(vec![uri(
                "appt-id",
                &format!("Appointment/{}", id(&proposal)),
            )]),
        )
        .await;
    assert_eq!(held.status, 200, "{}", held.body);
    let held_appt = held.appointment().clone();
    assert_eq!(held_appt["status"], "pending");
    assert_ne!(
        id(&held_appt),
        id(&proposal),
        "the hold has a new id; the client must re-key"
    );
    assert!(
        held.header("expires")
            .is_some_and(|e| httpdate::parse_http_date(e).is_ok()),
        "Expires HTTP-date"
    );
    assert_eq!(slot_status(&env, &slots[0]).await, "busy");

    let booked = env
        .post(
            "derm",
            &format!("Appointment/{}/$book", id(&held_appt)),
            &params(vec![
                uri("patient-id", "Patient/pat-1"),
                string("comment", "referral for a changing mole"),
            ]),
        )
        .await;
    assert_eq!(booked.status, 200, "{}", booked.body);
    let booked_appt = booked.appointment();
    assert_eq!(booked_appt["status"], "booked");
    assert_eq!(id(booked_appt), id(&held_appt));
    assert!(
        booked_appt["participant"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["actor"]["reference"] == "Patient/pat-1" && p["status"] == "accepted")
    );

    let read = env
        .get("derm", &format!("Appointment/{}", id(&held_appt)))
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["status"], "booked");
    assert_eq!(read.body["comment"], "referral for a changing mole");
    let etag = read.header("etag").unwrap().to_owned();
    let mine = env
        .get("derm", "Appointment?patient=Patient/pat-1&status=booked")
        .await;
    assert_eq!(mine.body["total"], 1);

    let cancelled = env.cancel("derm", &id(&held_appt)).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_ne!(
        cancelled.header("etag").unwrap(),
        etag,
        "the version moved on"
    );
    assert_eq!(
        slot_status(&env, &slots[0]).await,
        "free",
        "cancelling frees the slots"
    );
    let again = env.cancel("derm", &id(&held_appt)).await;
    assert_eq!(again.status, 409, "cancelled is final");
}

#[tokio::test]
async fn reschedule_books_the_new_time_and_cancels_the_old_one_atomically() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let found = env.find("derm", vec![string("specialty", DERM)], 2).await;
    let options = found.appointments();
    let (first, second) = (id(options[0]), id(options[1]));
    let booked = env
        .post(
            "derm",
            "Appointment/$book",
            &params(vec![
                uri("appt-id", &first),
                uri("patient-id", "Patient/pat-2"),
            ]),
        )
        .await;
    assert_eq!(
        booked.appointment()["status"],
        "booked",
        "proposed → booked directly"
    );
    let old = id(booked.appointment());
    let rebooked = env
        .post(
            "derm",
            "Appointment/$book",
            &params(vec![
                uri("appt-id", &second),
                uri("cancelled-appt-id", &format!("Appointment/{old}")),
                uri("patient-id", "Patient/pat-2"),
            ]),
        )
        .await;
    assert_eq!(rebooked.status, 200, "{}", rebooked.body);
    assert_eq!(rebooked.appointment()["status"], "booked");
    assert_eq!(
        env.get("derm", &format!("Appointment/{old}")).await.body["status"],
        "cancelled"
    );
    let slot = slot_ids(options[0]).remove(0);
    assert_eq!(slot_status(&env, &slot).await, "free");
}

#[tokio::test]
async fn an_expired_hold_is_cancelled_frees_its_slots_and_cannot_be_booked() {
    let clock = ManualClock::new(chrono::Utc::now());
    let mut config = derm_only();
    config.organisations[0].hold_ttl_seconds = 60;
    let mut env = Env::start_with_clock(config, sched_sandbox::Clock::from(clock.clone())).await;
    env.login().await;
    let found = env.find("derm", vec![string("specialty", DERM)], 1).await;
    let proposal = found.appointment().clone();
    let held = env
        .post(
            "derm",
            "Appointment/$hold",
            &params(vec![uri("appt-id", &id(&proposal))]),
        )
        .await;
    let hold_id = id(held.appointment());
    let expires = httpdate::parse_http_date(held.header("expires").unwrap()).unwrap();
    let ttl = expires
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - clock.now().timestamp();
    assert!(
        (59..=60).contains(&ttl),
        "Expires is the hold TTL away: {ttl}"
    );
    clock.advance(Duration::seconds(61));
    let read = env.get("derm", &format!("Appointment/{hold_id}")).await;
    assert_eq!(
        read.body["status"], "cancelled",
        "an expired hold becomes cancelled"
    );
    assert_eq!(slot_status(&env, &slot_ids(&proposal)[0]).await, "free");
    let late = env
        .post(
            "derm",
            &format!("Appointment/{hold_id}/$book"),
            &params(vec![uri("patient-id", "Patient/pat-1")]),
        )
        .await;
    assert_eq!(late.status, 200);
    assert_eq!(
        late.appointment()["status"],
        "cancelled",
        "a refused $book answers with a cancelled appointment"
    );
    assert!(
        late.body["entry"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["resource"]["issue"][0]["severity"] == "error")
    );
}

#[tokio::test]
async fn registering_a_known_patient_returns_the_existing_one() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let new = json!({"resourceType": "Patient", "name": [{"family": "Okonkwo", "given": ["Adaeze"]}], "gender": "female", "birthDate": "1988-04-02",
                     "identifier": [{"system": "urn:oid:2.16.840.1.113883.4.1", "value": "123-45-6789"}]});
    let first = env.post("derm", "Patient", &new).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert!(first.header("location").unwrap().contains("/Patient/"));
    let same_person = json!({"resourceType": "Patient", "name": [{"family": "OKONKWO", "given": ["adaeze"]}], "gender": "female", "birthDate": "1988-04-02"});
    let second = env.post("derm", "Patient", &same_person).await;
    assert_eq!(second.status, 200, "existing patient, not a new one");
    assert_eq!(second.body["id"], first.body["id"]);
    let by_identifier = json!({"resourceType": "Patient", "name": [{"family": "Other"}], "identifier": [{"system": "urn:oid:2.16.840.1.113883.4.1", "value": "123-45-6789"}]});
    assert_eq!(
        env.post("derm", "Patient", &by_identifier).await.body["id"],
        first.body["id"]
    );
    let search = env.get("derm", "Patient?family=okon&birthdate=1988").await;
    assert_eq!(search.body["total"], 1);
    let matched = env.post("derm", "Patient/$match", &json!({"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": same_person}, {"name": "count", "valueInteger": 3}]})).await;
    assert_eq!(matched.status, 200, "{}", matched.body);
    let entry = &matched.body["entry"][0];
    assert_eq!(entry["search"]["extension"][0]["valueCode"], "probable");
    assert_eq!(entry["search"]["score"], 0.8);
}

#[tokio::test]
async fn a_coverage_update_that_changes_its_type_is_refused() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let coverage = json!({"resourceType": "Coverage", "status": "active",
        "type": {"coding": [{"system": "http://hl7.org/fhir/v3/ActCode", "code": "HIP"}]},
        "beneficiary": {"reference": "Patient/pat-3"}, "payor": [{"reference": "Organization/payer-1"}],
        "grouping": {"plan": "PLAN-1", "planDisplay": "Acme Gold PPO"}});
    let created = env.post("derm", "Coverage", &coverage).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let cid = id(&created.body);
    let mut same_type = created.body.clone();
    same_type["grouping"]["planDisplay"] = json!("Acme Gold PPO 2027");
    let updated = env
        .put("derm", &format!("Coverage/{cid}"), &same_type)
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["meta"]["versionId"], "2");
    let mut other_type = updated.body.clone();
    other_type["type"] =
        json!({"coding": [{"system": "http://hl7.org/fhir/v3/ActCode", "code": "DENTPRG"}]});
    let refused = env
        .put("derm", &format!("Coverage/{cid}"), &other_type)
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.body["resourceType"], "OperationOutcome");
    assert_eq!(
        env.get("derm", &format!("Coverage/{cid}")).await.body["grouping"]["planDisplay"],
        "Acme Gold PPO 2027",
        "the refused update changed nothing"
    );
    let created_by_put = env.put("derm", "Coverage/cov-new-by-put", &coverage).await;
    assert_eq!(created_by_put.status, 201, "updateCreate");
}

#[tokio::test]
async fn metadata_declares_operations_patch_formats_and_the_token_url() {
    let env = Env::start(derm_only()).await;
    let cs = env.send(env.http.get(env.url("derm", "metadata"))).await;
    assert_eq!(cs.status, 200);
    assert_eq!(cs.body["fhirVersion"], "3.0.1");
    let ops: Vec<&str> = cs.body["rest"][0]["operation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    for op in ["find", "hold", "book", "prefetch"] {
        assert!(ops.contains(&op), "{op} in {ops:?}");
    }
    assert_eq!(
        cs.body["patchFormat"],
        json!(["application/json-patch+json", "application/fhir+json"])
    );
    let oauth = &cs.body["rest"][0]["security"]["extension"][0];
    assert_eq!(
        oauth["extension"][0]["valueUri"],
        env.sandbox.token_url("derm").unwrap()
    );
}

#[tokio::test]
async fn find_ands_actor_types_and_ors_preferences_in_order() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let p1 = env
        .find(
            "derm",
            vec![
                uri("practitioner", "Practitioner/pract-2"),
                uri("practitioner", "Practitioner/pract-1"),
            ],
            40,
        )
        .await;
    let actors: Vec<&str> = p1
        .appointments()
        .iter()
        .map(|a| a["participant"][0]["actor"]["reference"].as_str().unwrap())
        .collect();
    assert!(
        actors
            .iter()
            .all(|a| *a == "Practitioner/pract-2" || *a == "Practitioner/pract-1")
    );
    assert_eq!(
        actors[0], "Practitioner/pract-2",
        "the first preference ranks first"
    );
    let none = env
        .find(
            "derm",
            vec![
                uri("practitioner", "Practitioner/pract-1"),
                uri("location-reference", "Location/loc-2"),
            ],
            5,
        )
        .await;
    assert_eq!(
        none.body["total"], 0,
        "pract-1 works at loc-1 only: AND across types"
    );
    let get = env
        .get(
            "derm",
            &format!("Appointment/$find?specialty={}&_count=2", urlencode(DERM)),
        )
        .await;
    assert_eq!(get.status, 200, "{}", get.body);
    assert_eq!(get.body["total"], 2);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn find_accepts_every_operation_definition_parameter() {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let city = env.get("derm", "Location/loc-1").await.body["address"]["city"]
        .as_str()
        .unwrap()
        .to_owned();
    let patient = json!({"resourceType": "Patient", "name": [{"family": "New", "given": ["Person"]}], "gender": "other", "birthDate": "2001-01-01"});
    let coverage = json!({"resourceType": "Coverage", "status": "active", "payor": [{"display": "Acme Health Plan"}]});
    let all = vec![
        string("specialty", DERM),
        string(
            "visit-type",
            "http://fhir.org/guides/argonaut-scheduling/CodeSystem/visit-type|follow-up",
        ),
        uri("practitioner", "Practitioner/pract-1"),
        uri("organization", "Organization/org-1"),
        string("location-string", &city),
        uri("location-reference", "Location/loc-1"),
        uri("patient-reference", "Patient/pat-5"),
        json!({"name": "patient-resource", "resource": patient}),
        json!({"name": "coverage", "resource": coverage}),
        string("reason", "http://snomed.info/sct|399912005"),
    ];
    let r = env.find("derm", all, 4).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["total"], 4);
    let a = r.appointment();
    assert_eq!(
        a["participant"][0]["actor"]["reference"],
        "Practitioner/pract-1"
    );
    assert_eq!(a["serviceType"][0]["coding"][0]["code"], "follow-up");
    assert!(
        a["participant"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["actor"]["reference"] == "Patient/pat-5")
    );
    let outcome = r.body["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["search"]["mode"] == "outcome")
        .unwrap();
    let text = outcome["resource"].to_string();
    assert!(
        text.contains("reason") && text.contains("coverage"),
        "ignored inputs are said: {text}"
    );
    let unknown_patient = env
        .find("derm", vec![uri("patient-reference", "Patient/nobody")], 1)
        .await;
    assert_eq!(unknown_patient.status, 422);
}
