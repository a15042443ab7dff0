//! The R4 types keep what they do not name, map each element that moved between STU3 and R4 both
//! ways, and refuse malformed R4 with a `ModelError`.
#![allow(clippy::unwrap_used, reason = "tests")]

use fhir_model::r4;
use fhir_model::{ModelError, Resource as Stu3};
use serde_json::{Value, json};

fn r4_roundtrip(body: Value) {
    let parsed = r4::Resource::from_json(body.clone()).unwrap();
    assert_eq!(parsed.to_json(), body, "R4 JSON survives a parse and write");
}

fn stu3(body: Value) -> Stu3 {
    Stu3::from_json_value(body).unwrap()
}

#[test]
fn unknown_elements_survive_each_r4_type() {
    let unknown = json!({"url": "http://example.org/x", "valueString": "kept"});
    for body in [
        json!({"resourceType": "Appointment", "status": "booked", "patientInstruction": "fast",
               "supportingInformation": [{"reference": "Observation/1"}], "extension": [unknown],
               "participant": [{"actor": {"reference": "Patient/1"}, "status": "accepted",
                                "period": {"start": "2026-01-01"}}]}),
        json!({"resourceType": "Slot", "schedule": {"reference": "Schedule/1"}, "status": "free",
               "start": "2026-01-01T09:00:00Z", "end": "2026-01-01T09:15:00Z", "futureThing": 1}),
        json!({"resourceType": "Schedule", "actor": [{"reference": "Practitioner/1"}],
               "extension": [unknown]}),
        json!({"resourceType": "Patient", "deceasedBoolean": false, "name": [{"family": "Lee"}]}),
        json!({"resourceType": "Coverage", "status": "active", "network": "north",
               "beneficiary": {"reference": "Patient/1"}, "payor": [{"display": "Acme"}],
               "class": [{"type": {"coding": [{"code": "rxbin"}]}, "value": "1", "x": true}]}),
        json!({"resourceType": "Parameters", "parameter": [{"name": "a",
               "valueReference": {"reference": "Patient/1"}}]}),
        json!({"resourceType": "Bundle", "type": "transaction", "timestamp": "2026-01-01",
               "entry": [{"request": {"method": "PUT", "url": "Slot/1", "ifMatch": "W/\"2\""}}]}),
        json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error",
               "code": "conflict", "y": 2}]}),
        json!({"resourceType": "CapabilityStatement", "status": "active", "kind": "instance",
               "fhirVersion": "4.0.1", "software": {"name": "x"},
               "rest": [{"mode": "server", "operation": [{"name": "find",
               "definition": "http://example.org/OperationDefinition/find"}]}]}),
        json!({"resourceType": "Practitioner", "name": [{"family": "Osei"}]}),
    ] {
        r4_roundtrip(body);
    }
}

#[test]
fn appointment_moved_elements_map_both_ways() {
    let original = stu3(json!({
        "resourceType": "Appointment", "status": "cancelled",
        "extension": [{"url": fhir_model::urls::EXT_STATUS_REASON,
                       "valueCodeableConcept": {"text": "patient asked"}}],
        "serviceCategory": {"text": "gp"},
        "reason": [{"text": "knee"}],
        "indication": [{"reference": "Condition/9"}],
        "incomingReferral": [{"reference": "ReferralRequest/7"}],
        "participant": [{"actor": {"reference": "Patient/1"}, "status": "accepted"}]
    }));
    let Stu3::Appointment(a) = &original else {
        panic!("not an appointment")
    };
    let r = r4::Appointment::from_stu3(a);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["cancelationReason"]["text"], "patient asked");
    assert_eq!(j["reasonCode"][0]["text"], "knee");
    assert_eq!(j["reasonReference"][0]["reference"], "Condition/9");
    assert_eq!(j["basedOn"][0]["reference"], "ServiceRequest/7");
    assert_eq!(j["serviceCategory"], json!([{"text": "gp"}]));
    assert!(j.get("extension").is_none() && j.get("reason").is_none());
    assert!(j.get("incomingReferral").is_none() && j.get("indication").is_none());
    assert_eq!(&r.to_stu3().unwrap(), a, "STU3 → R4 → STU3 is the original");
}

#[test]
fn r4_appointment_elements_stu3_lacks_come_back() {
    let body = json!({
        "resourceType": "Appointment", "status": "checked-in", "patientInstruction": "bring scans",
        "serviceCategory": [{"text": "a"}, {"text": "b"}],
        "participant": [{"actor": {"reference": "Patient/1"}, "status": "accepted"}]
    });
    let r: r4::Appointment = serde_json::from_value(body.clone()).unwrap();
    let s = r.to_stu3().unwrap();
    assert_eq!(s.status, "arrived");
    assert_eq!(
        s.service_category.as_ref().unwrap().text.as_deref(),
        Some("a")
    );
    assert_eq!(
        serde_json::to_value(r4::Appointment::from_stu3(&s)).unwrap(),
        body,
        "R4 → STU3 → R4 is the original"
    );
    let waitlist = r4::Appointment {
        status: "waitlist".into(),
        ..r
    };
    assert_eq!(waitlist.to_stu3().unwrap().status, "proposed");
}

#[test]
fn unknown_statuses_are_refused() {
    let a = r4::Appointment {
        status: "teleported".into(),
        ..Default::default()
    };
    assert!(
        matches!(a.to_stu3(), Err(ModelError::InvalidResource { resource_type, .. })
        if resource_type == "Appointment")
    );
    let slot = r4::Resource::from_json(json!({"resourceType": "Slot",
        "schedule": {"reference": "Schedule/1"}, "status": "maybe",
        "start": "2026-01-01T09:00:00Z", "end": "2026-01-01T09:15:00Z"}))
    .unwrap();
    let err = slot.to_stu3().unwrap_err();
    assert!(err.to_string().contains("unknown status 'maybe'"), "{err}");
}

#[test]
fn slot_and_schedule_categories_map_both_ways() {
    let body = json!({"resourceType": "Slot", "schedule": {"reference": "Schedule/1"},
        "serviceCategory": [{"text": "a"}, {"text": "b"}], "status": "busy-tentative",
        "start": "2026-01-01T09:00:00Z", "end": "2026-01-01T09:15:00Z"});
    let slot: r4::Slot = serde_json::from_value(body.clone()).unwrap();
    let s = slot.to_stu3().unwrap();
    assert_eq!(
        s.service_category.as_ref().unwrap().text.as_deref(),
        Some("a")
    );
    assert_eq!(serde_json::to_value(r4::Slot::from_stu3(&s)).unwrap(), body);

    let sched = stu3(
        json!({"resourceType": "Schedule", "serviceCategory": {"text": "gp"},
        "actor": [{"reference": "Practitioner/1"}]}),
    );
    let Stu3::Schedule(sched) = sched else {
        panic!("not a schedule")
    };
    let r = r4::Schedule::from_stu3(&sched);
    assert_eq!(
        serde_json::to_value(&r).unwrap()["serviceCategory"],
        json!([{"text": "gp"}])
    );
    assert_eq!(r.to_stu3().unwrap(), sched);
}

#[test]
fn coverage_grouping_and_class_map_both_ways() {
    let original = stu3(json!({
        "resourceType": "Coverage", "status": "active",
        "type": {"coding": [{"system": "http://hl7.org/fhir/v3/ActCode", "code": "EHCPOL"}]},
        "beneficiary": {"reference": "Patient/1"}, "payor": [{"display": "Acme"}],
        "grouping": {"group": "G1", "groupDisplay": "Staff", "plan": "P9",
                     "planDisplay": "Gold", "subPlan": "S2"}
    }));
    let Stu3::Coverage(c) = &original else {
        panic!("not a coverage")
    };
    let r = r4::Coverage::from_stu3(c);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["class"][0]["type"]["coding"][0]["code"], "group");
    assert_eq!(j["class"][0]["value"], "G1");
    assert_eq!(j["class"][0]["name"], "Staff");
    assert_eq!(j["class"][1]["value"], "P9");
    assert_eq!(j["class"][2]["type"]["coding"][0]["code"], "subplan");
    assert_eq!(
        j["type"]["coding"][0]["system"],
        "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    );
    assert!(j.get("grouping").is_none());
    assert_eq!(&r.to_stu3().unwrap(), c);

    let rx = r4::Coverage {
        class: vec![r4::CoverageClass::new("rxbin", "0042", None)],
        ..r
    };
    let back = r4::Coverage::from_stu3(&rx.to_stu3().unwrap());
    assert_eq!(back, rx, "a class STU3 cannot hold comes back");
}

#[test]
fn coverage_without_status_becomes_active_in_r4() {
    let c = fhir_model::Coverage::default();
    assert_eq!(r4::Coverage::from_stu3(&c).status, "active");
}

#[test]
fn patient_identifier_type_systems_move() {
    let original = stu3(json!({"resourceType": "Patient", "identifier": [{
        "type": {"coding": [{"system": "http://hl7.org/fhir/v2/0203", "code": "MR"}]},
        "system": "urn:mrn", "value": "1"}]}));
    let Stu3::Patient(p) = &original else {
        panic!("not a patient")
    };
    let r = r4::Patient::from_stu3(p);
    assert_eq!(
        r.identifier[0].type_.as_ref().unwrap().coding[0]
            .system
            .as_deref(),
        Some("http://terminology.hl7.org/CodeSystem/v2-0203")
    );
    assert_eq!(&r.to_stu3().unwrap(), p);
}

#[test]
fn bundle_transaction_response_converts_entries_and_outcomes() {
    let body = json!({"resourceType": "Bundle", "type": "transaction-response", "entry": [
        {"response": {"status": "201 Created", "location": "Appointment/5/_history/1",
                      "etag": "W/\"1\""},
         "resource": {"resourceType": "Appointment", "status": "waitlist",
                      "basedOn": [{"reference": "ServiceRequest/3"}],
                      "participant": [{"actor": {"reference": "Patient/1"}, "status": "accepted"}]}},
        {"response": {"status": "412 Precondition Failed", "outcome": {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "conflict", "diagnostics": "changed"}]}}}
    ]});
    let r = r4::Resource::from_json(body.clone()).unwrap();
    let bundle = r.as_bundle().unwrap();
    assert!(bundle.entry[0].response.as_ref().unwrap().is_success());
    assert_eq!(bundle.entry[1].response.as_ref().unwrap().code(), Some(412));
    let Stu3::Bundle(s) = r.to_stu3().unwrap() else {
        panic!("not a bundle")
    };
    let appt = s.entry[0]
        .resource
        .as_ref()
        .unwrap()
        .as_appointment()
        .unwrap();
    assert_eq!(appt.status, "proposed");
    assert_eq!(
        appt.incoming_referral[0].reference.as_deref(),
        Some("ReferralRequest/3")
    );
    assert_eq!(
        s.entry[1].response.as_ref().unwrap().extra["outcome"]["issue"][0]["code"],
        "conflict"
    );
    assert_eq!(r4::Resource::from_stu3(&Stu3::Bundle(s)).to_json(), body);
}

#[test]
fn transaction_requests_keep_if_match() {
    let mut b = r4::Bundle::of_type("transaction");
    b.entry.push(r4::BundleEntry {
        request: Some(r4::BundleRequest {
            method: "PUT".into(),
            url: "Slot/1".into(),
            if_match: Some("W/\"3\"".into()),
            ..Default::default()
        }),
        ..Default::default()
    });
    let s = b.to_stu3().unwrap();
    assert_eq!(
        s.entry[0].request.as_ref().unwrap().extra["ifMatch"],
        "W/\"3\""
    );
    assert_eq!(r4::Bundle::from_stu3(&s), b);
}

#[test]
fn parameters_convert_their_resources() {
    let original = stu3(json!({"resourceType": "Parameters", "parameter": [
        {"name": "resource", "resource": {"resourceType": "Patient", "identifier": [{
            "type": {"coding": [{"system": "http://hl7.org/fhir/v2/0203", "code": "MR"}]}}]}},
        {"name": "count", "valueInteger": 3},
        {"name": "group", "part": [{"name": "when", "valueDateTime": "2026-01-01"}]}
    ]}));
    let Stu3::Parameters(p) = &original else {
        panic!("not parameters")
    };
    let r = r4::Parameters::from_stu3(p);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(
        j["parameter"][0]["resource"]["identifier"][0]["type"]["coding"][0]["system"],
        "http://terminology.hl7.org/CodeSystem/v2-0203"
    );
    assert_eq!(j["parameter"][1]["valueInteger"], 3);
    assert_eq!(
        r.named("group").next().unwrap().part[0].value_str(),
        Some("2026-01-01")
    );
    assert_eq!(&r.to_stu3().unwrap(), p);
}

#[test]
fn capability_statement_definitions_become_canonicals() {
    let original = stu3(
        json!({"resourceType": "CapabilityStatement", "status": "active",
        "kind": "instance", "fhirVersion": "3.0.1", "acceptUnknown": "no",
        "publisher": "Sandbox", "format": ["json"],
        "rest": [{"mode": "server", "resource": [{"type": "Slot",
            "profile": {"reference": "http://example.org/slot"}}],
            "operation": [{"name": "find", "definition": {"reference": "http://x/find"}}]}]}),
    );
    let Stu3::CapabilityStatement(c) = &original else {
        panic!("not a statement")
    };
    let r = r4::CapabilityStatement::from_stu3(c);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["fhirVersion"], "4.0.1");
    assert_eq!(j["publisher"], "Sandbox");
    assert!(j.get("acceptUnknown").is_none());
    assert_eq!(j["rest"][0]["operation"][0]["definition"], "http://x/find");
    assert_eq!(
        j["rest"][0]["resource"][0]["profile"],
        "http://example.org/slot"
    );
    let back = r.to_stu3().unwrap();
    assert_eq!(
        back.fhir_version.as_deref(),
        Some("4.0.1"),
        "detection still sees R4"
    );
    assert_eq!(
        back.rest[0].operation[0].definition.reference.as_deref(),
        Some("http://x/find")
    );
    assert!(back.supports_operation("find"));
}

#[test]
fn healthcare_service_category_cardinality() {
    let body = json!({"resourceType": "HealthcareService", "category": [{"text": "a"}]});
    let s = r4::Resource::from_json(body.clone())
        .unwrap()
        .to_stu3()
        .unwrap();
    let hs = s.as_healthcare_service().unwrap();
    assert_eq!(hs.category.as_ref().unwrap().text.as_deref(), Some("a"));
    assert_eq!(r4::Resource::from_stu3(&s).to_json(), body);
}

#[test]
fn malformed_r4_is_a_model_error() {
    let cases = [
        json!([1, 2]),
        json!({"status": "booked"}),
        json!({"resourceType": "Appointment"}),
        json!({"resourceType": "Slot", "status": "free", "schedule": {"reference": "S/1"},
               "end": "2026-01-01T09:15:00Z"}),
        json!({"resourceType": "Appointment", "status": "booked", "priority": "high"}),
        json!({"resourceType": "Coverage", "class": [{"value": "x"}], "status": "active"}),
        json!({"resourceType": "Bundle", "type": "searchset",
               "entry": [{"resource": {"resourceType": "Slot", "start": 3}}]}),
        json!({"resourceType": "CapabilityStatement", "rest": [{"mode": "server",
               "operation": [{"name": "find", "definition": {"reference": "x"}}]}]}),
    ];
    for body in cases {
        let err = r4::Resource::from_json(body.clone()).unwrap_err();
        assert!(
            matches!(err, ModelError::InvalidResource { .. }),
            "{body}: {err}"
        );
    }
}
