//! Well-formed documents of each kind a parser at the trust boundary reads, as the starting
//! points that [`crate::mutated`] and [`crate::bytes`] damage.

use serde_json::{Value, json};

pub fn appointment() -> Value {
    json!({"resourceType": "Appointment", "id": "p1", "meta": {"versionId": "2"},
        "status": "proposed", "start": "2030-01-07T09:00:00-05:00",
        "end": "2030-01-07T09:15:00-05:00", "minutesDuration": 15,
        "slot": [{"reference": "Slot/s1"}],
        "specialty": [{"coding": [{"system": "http://snomed.info/sct", "code": "394582007"}]}],
        "serviceType": [{"coding": [{"system": "urn:visit", "code": "NEW"}], "text": "New"}],
        "participant": [
            {"actor": {"reference": "Practitioner/7", "display": "Dr X"}, "status": "needs-action",
             "required": "required"},
            {"actor": {"reference": "Patient/p9"}, "status": "accepted"}],
        "extension": [{"url": "http://example.org/x", "valueString": "kept"}]})
}

pub fn slot() -> Value {
    json!({"resourceType": "Slot", "id": "s1", "schedule": {"reference": "Schedule/1"},
        "status": "free", "start": "2030-01-07T09:00:00Z", "end": "2030-01-07T09:15:00Z",
        "serviceType": [{"coding": [{"code": "NEW"}]}], "overbooked": false})
}

pub fn patient() -> Value {
    json!({"resourceType": "Patient", "id": "p9", "active": true,
        "identifier": [{"system": "urn:mrn", "value": "MRN-1"}],
        "name": [{"use": "official", "family": "Doe", "given": ["Jane", "Q"]}],
        "telecom": [{"system": "phone", "value": "555"}], "gender": "female",
        "birthDate": "1970-02-03", "address": [{"city": "Town", "postalCode": "123"}]})
}

pub fn coverage() -> Value {
    json!({"resourceType": "Coverage", "id": "c1", "status": "active",
        "beneficiary": {"reference": "Patient/p9"}, "subscriber": {"reference": "Patient/p9"},
        "payor": [{"reference": "Organization/o1", "display": "Payer"}],
        "identifier": [{"system": "urn:member", "value": "M1"}],
        "period": {"start": "2030-01-01", "end": "2030-12-31"}})
}

pub fn operation_outcome() -> Value {
    json!({"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "processing", "details": {"text": "slot taken"},
         "diagnostics": "d", "location": ["Appointment.start"]}]})
}

pub fn avail_bundle() -> Value {
    json!({"resourceType": "Bundle", "type": "searchset", "total": 2, "entry": [
        {"fullUrl": "urn:a", "resource": appointment()},
        {"resource": {"resourceType": "Basic", "start": {"odd": true}}},
        {"resource": operation_outcome()}]})
}

pub fn find_parameters() -> Value {
    json!({"resourceType": "Parameters", "parameter": [
        {"name": "start", "valueDate": "2030-01-07"}, {"name": "end", "valueDate": "2030-01-14"},
        {"name": "specialty", "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "394582007"}]}},
        {"name": "visit-type", "valueCodeableConcept": {"coding": [{"code": "NEW"}]}},
        {"name": "practitioner", "valueReference": {"reference": "Practitioner/7"}},
        {"name": "location-reference", "valueReference": {"reference": "Location/2"}},
        {"name": "location-string", "valueString": "Town"},
        {"name": "patient-reference", "valueReference": {"reference": "Patient/p9"}},
        {"name": "patient-resource", "resource": patient()},
        {"name": "coverage", "resource": coverage()},
        {"name": "reason", "valueCodeableConcept": {"coding": [{"code": "r"}]}},
        {"name": "_count", "valueInteger": 3}]})
}

pub fn book_parameters() -> Value {
    json!({"resourceType": "Parameters", "parameter": [
        {"name": "appt-id", "valueUri": "Appointment/p1"},
        {"name": "appt-resource", "resource": appointment()},
        {"name": "cancelled-appt-id", "valueUri": "Appointment/old"},
        {"name": "patient-id", "valueUri": "Patient/p9"},
        {"name": "comment", "valueString": "please"}]})
}

pub fn capability_statement() -> Value {
    json!({"resourceType": "CapabilityStatement", "status": "active", "date": "2030-01-01",
        "kind": "instance", "fhirVersion": "3.0.1", "format": ["json"],
        "patchFormat": ["application/json-patch+json"],
        "rest": [{"mode": "server",
            "security": {"extension": [{"url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                "extension": [{"url": "token", "valueUri": "http://127.0.0.1:1/token"}]}]},
            "resource": [{"type": "Appointment", "interaction": [{"code": "read"}, {"code": "patch"}],
                "operation": [{"name": "find", "definition": {"reference": "OperationDefinition/appointment-find"}},
                              {"name": "hold", "definition": {"reference": "OperationDefinition/appointment-hold"}}]},
                         {"type": "Patient", "interaction": [{"code": "create"}, {"code": "search-type"}]}]}]})
}

pub fn smart_configuration() -> Value {
    json!({"token_endpoint": "http://127.0.0.1:1/auth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES384", "RS384"],
        "scopes_supported": ["system/*.read"], "capabilities": ["client-confidential-asymmetric"]})
}

pub fn token_response() -> Value {
    json!({"access_token": "abc.def", "token_type": "bearer", "expires_in": 300,
        "scope": "system/Appointment.read"})
}

pub fn oauth_error() -> Value {
    json!({"error": "invalid_client", "error_description": "no such client"})
}

pub fn jwks() -> Value {
    json!({"keys": [
        {"kty": "EC", "crv": "P-384", "kid": "k1", "use": "sig", "alg": "ES384", "key_ops": ["verify"],
         "x": "iA7lWQLzVrKGEFjfGMfMHfTEZ2KnLiKU7JuNT3E7ygsfE7ygsfE7ygsfE7ygsfE7",
         "y": "8sfE7ygsfE7ygsfE7ygsfE7ygsfE7ygsfE7ygsfE7ygsfE7ygsfE7ygsfE7ygsfE"},
        {"kty": "RSA", "kid": "k2", "alg": "RS384", "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw",
         "e": "AQAB"}]})
}
