//! The Argonaut operation parameters read and write both wire forms exactly as the
//! OperationDefinitions declare them.
#![allow(clippy::unwrap_used, reason = "tests")]

use fhir_model::{
    BookParams, FindParams, HoldParams, ModelError, Parameter, Parameters, Patient, PrefetchParams,
    Resource, Token,
};

fn derm() -> Token {
    Token::new("http://snomed.info/sct", "394582007")
}

#[test]
fn find_params_survive_both_wire_forms() {
    let find = FindParams {
        start: Some("2026-11-23T00:00:00Z".into()),
        end: Some("2026-12-07".into()),
        specialty: vec![derm()],
        practitioner: vec!["Practitioner/a".into(), "Practitioner/b".into()],
        location_string: vec!["Napa".into()],
        reason: vec![Token::new("http://snomed.info/sct", "271807003")],
        count: Some(3),
        ..FindParams::default()
    };
    let body = find.to_parameters();
    assert!(
        body.parameter.iter().all(|p| p.name != "_count"),
        "_count goes in the URL"
    );
    let start = body.named("start").next().unwrap();
    assert_eq!(
        start.value_date_time.as_deref(),
        Some("2026-11-23T00:00:00Z")
    );
    let spec = body.named("specialty").next().unwrap();
    assert_eq!(
        spec.value_string.as_deref(),
        Some("http://snomed.info/sct|394582007")
    );
    assert_eq!(
        body.named("practitioner")
            .next()
            .unwrap()
            .value_uri
            .as_deref(),
        Some("Practitioner/a")
    );
    let mut back = FindParams::from_parameters(&body).unwrap();
    back.count = Some(3);
    assert_eq!(back, find);
    let query = find.to_query().unwrap();
    assert_eq!(FindParams::from_query(&query).unwrap(), find);
}

#[test]
fn find_refuses_wrong_types_unknown_names_and_resources_by_get() {
    let codeable = Parameters::new(vec![Parameter {
        name: "specialty".into(),
        extra: serde_json::from_str(r#"{"valueCodeableConcept":{"text":"derm"}}"#).unwrap(),
        ..Parameter::default()
    }]);
    let err = FindParams::from_parameters(&codeable).unwrap_err();
    assert!(err.to_string().contains("valueCodeableConcept"), "{err}");
    let provider = Parameters::new(vec![Parameter::uri("provider", "Practitioner/1")]);
    assert_eq!(
        FindParams::from_parameters(&provider).unwrap_err(),
        ModelError::UnknownParameter("provider".into())
    );
    let twice = Parameters::new(vec![
        Parameter::date_time("start", "2026-01-01"),
        Parameter::date_time("start", "2026-01-02"),
    ]);
    assert_eq!(
        FindParams::from_parameters(&twice).unwrap_err(),
        ModelError::RepeatedParameter("start".into())
    );
    assert!(
        FindParams::from_query(&[("start", "2017-08-28T09:00:00")]).is_err(),
        "time without zone"
    );
    assert!(FindParams::from_query(&[("_count", "0")]).is_err());
    let with_patient = FindParams {
        patient_resource: vec![Patient::default()],
        ..FindParams::default()
    };
    assert!(with_patient.to_query().is_err());
    assert!(FindParams::from_query(&[("coverage", "x")]).is_err());
}

#[test]
fn hold_and_book_accept_parameters_or_a_raw_appointment() {
    let book = BookParams {
        appt_id: Some("Appointment/p1".into()),
        cancelled_appt_id: Some("Appointment/old".into()),
        patient_id: vec!["Patient/9".into()],
        comment: Some("wheelchair access".into()),
        ..BookParams::default()
    };
    let body = Resource::Parameters(book.to_parameters());
    assert_eq!(BookParams::from_body(&body).unwrap(), book);
    let hold = HoldParams {
        appt_id: Some("Appointment/p1".into()),
        appt_resource: None,
    };
    assert_eq!(
        HoldParams::from_body(&hold.to_parameters().into()).unwrap(),
        hold
    );
    let raw: Resource = serde_json::from_str(
        r#"{"resourceType":"Appointment","status":"proposed","participant":[]}"#,
    )
    .unwrap();
    let held = HoldParams::from_body(&raw).unwrap();
    assert_eq!(held.appt_resource.unwrap().status, "proposed");
    let patient: Resource = Patient::default().into();
    assert!(
        HoldParams::from_body(&patient).is_err(),
        "a Patient is not a $hold body"
    );
}

#[test]
fn prefetch_params_round_trip() {
    let p = PrefetchParams {
        start: Some("2026-11-23".into()),
        end: Some("2026-11-24".into()),
        practitioner: vec!["Practitioner/1".into()],
        ..PrefetchParams::default()
    };
    assert_eq!(
        PrefetchParams::from_parameters(&p.to_parameters()).unwrap(),
        p
    );
    assert_eq!(PrefetchParams::from_query(&p.to_query()).unwrap(), p);
}

#[test]
fn a_body_of_the_wrong_resource_type_is_named_in_the_error() {
    let err = serde_json::from_str::<Patient>(r#"{"resourceType":"Appointment"}"#).unwrap_err();
    assert!(
        err.to_string().contains("expected resourceType Patient"),
        "{err}"
    );
    let unknown: Resource =
        serde_json::from_str(r#"{"resourceType":"RelatedPerson","id":"r"}"#).unwrap();
    assert_eq!(unknown.resource_type(), "RelatedPerson");
    assert_eq!(unknown.id(), Some("r"));
}
