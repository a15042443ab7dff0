//! Reading a `$find` answer (avail-bundle) fast: each proposal keeps the few elements ranking
//! and display need, parsed straight from the text, plus its raw JSON so the full Appointment is
//! parsed only for the option the user picks. A search across many organisations can return
//! thousands of proposals; parsing each into the full model would dominate the wait.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use fhir_model::{Appointment, Bundle, OperationOutcome, Resource, Token, split_reference};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::ClientError;
use crate::ops::write::Window;

/// A coding as `system` + `code`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Code {
    pub system: Option<String>,
    pub code: Option<String>,
}

impl Code {
    /// Whether a search token names this coding (a token without system matches any system).
    pub fn matches(&self, token: &Token) -> bool {
        self.code.as_deref() == Some(token.code.as_str())
            && match token.system.as_deref() {
                None => true,
                Some("") => self.system.is_none(),
                Some(s) => self.system.as_deref() == Some(s),
            }
    }
}

/// One proposed appointment from `$find`.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The proposal's id, for `$hold`/`$book` (`appt-id`).
    pub id: Option<String>,
    pub status: Option<String>,
    /// Parsed start (UTC); `None` when the server sent none or an unreadable one.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// `start`/`end` as sent (in the organisation's own offset).
    pub start_text: Option<String>,
    pub end_text: Option<String>,
    /// Participant actor references (`Practitioner/1`, `Location/2`, ...).
    pub actors: Vec<String>,
    /// Codings of `specialty` and of `serviceType` (the visit type).
    pub specialty: Vec<Code>,
    pub visit_type: Vec<Code>,
    raw: Box<RawValue>,
}

#[derive(Deserialize)]
struct Lean {
    #[serde(rename = "resourceType")]
    resource_type: Option<String>,
    id: Option<String>,
    status: Option<String>,
    start: Option<String>,
    end: Option<String>,
    #[serde(default)]
    participant: Vec<LeanParticipant>,
    #[serde(default)]
    specialty: Vec<LeanConcept>,
    #[serde(default, rename = "serviceType")]
    service_type: Vec<LeanConcept>,
}

#[derive(Deserialize)]
struct LeanParticipant {
    actor: Option<LeanReference>,
}

#[derive(Deserialize)]
struct LeanReference {
    reference: Option<String>,
}

#[derive(Deserialize)]
struct LeanConcept {
    #[serde(default)]
    coding: Vec<Code>,
}

fn utc(text: &Option<String>) -> Option<DateTime<Utc>> {
    let t = fhir_model::parse_instant(text.as_deref()?).ok()?;
    Some(t.with_timezone(&Utc))
}

impl Proposal {
    fn from_lean(lean: Lean, raw: Box<RawValue>) -> Self {
        let codes =
            |concepts: Vec<LeanConcept>| concepts.into_iter().flat_map(|c| c.coding).collect();
        Self {
            id: lean.id,
            status: lean.status,
            start: utc(&lean.start),
            end: utc(&lean.end),
            start_text: lean.start,
            end_text: lean.end,
            actors: lean
                .participant
                .into_iter()
                .filter_map(|p| p.actor?.reference)
                .collect(),
            specialty: codes(lean.specialty),
            visit_type: codes(lean.service_type),
            raw,
        }
    }

    /// A proposal from a parsed Appointment.
    pub fn new(appointment: &Appointment) -> Result<Self, ClientError> {
        let raw = serde_json::value::to_raw_value(appointment)
            .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
        let lean: Lean = serde_json::from_str(raw.get())
            .map_err(|e| ClientError::malformed("$find", e.to_string()))?;
        Ok(Self::from_lean(lean, raw))
    }

    /// The full Appointment, parsed from the text the server sent.
    pub fn appointment(&self) -> Result<Appointment, ClientError> {
        serde_json::from_str(self.raw.get())
            .map_err(|e| ClientError::malformed("$find", e.to_string()))
    }

    /// The references of participants of resource type `ty` (e.g. "Practitioner").
    pub fn actors_of_type<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.actors
            .iter()
            .filter(move |r| split_reference(r).is_some_and(|(t, _)| t == ty))
            .map(String::as_str)
    }

    /// The start..end window, for reading a lost `$book` back.
    pub fn window(&self) -> Option<Window> {
        Some(Window {
            start: self.start_text.clone()?,
            end: self.end_text.clone()?,
        })
    }
}

/// A `$find` answer (avail-bundle): the proposals in the server's order, and any
/// OperationOutcomes it sent (e.g. "results outside the requested window").
#[derive(Debug, Clone, Default)]
pub struct Availability {
    pub proposals: Vec<Proposal>,
    pub outcomes: Vec<OperationOutcome>,
    /// `Bundle.total` as sent.
    pub total: Option<u64>,
}

/// A Bundle read only as far as `$find` needs: type, total, and each entry's resource as text.
#[derive(Deserialize)]
struct RawBundle<'a> {
    #[serde(rename = "resourceType", borrow)]
    resource_type: Cow<'a, str>,
    total: Option<u64>,
    #[serde(default, borrow)]
    entry: Vec<RawEntry<'a>>,
}

#[derive(Deserialize)]
struct RawEntry<'a> {
    #[serde(default, borrow)]
    resource: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct TypeOnly<'a> {
    #[serde(rename = "resourceType", borrow)]
    resource_type: Cow<'a, str>,
}

impl Availability {
    /// Reads an avail-bundle from JSON bytes.
    pub fn from_json(body: &[u8]) -> Result<Self, ClientError> {
        let bad = |e: serde_json::Error| ClientError::malformed("$find", e.to_string());
        let raw: RawBundle<'_> = serde_json::from_slice(body).map_err(bad)?;
        if raw.resource_type != "Bundle" {
            let found = raw.resource_type;
            return Err(ClientError::malformed(
                "$find",
                format!("expected a Bundle, got {found}"),
            ));
        }
        let mut out = Self {
            total: raw.total,
            ..Self::default()
        };
        for resource in raw.entry.into_iter().filter_map(|e| e.resource) {
            let lean: Lean = match serde_json::from_str(resource.get()) {
                Ok(lean) => lean,
                // Another type whose elements share a name with an Appointment's is skipped;
                // an unreadable Appointment is not.
                Err(e) => match serde_json::from_str::<TypeOnly<'_>>(resource.get()) {
                    Ok(t) if t.resource_type != "Appointment" => continue,
                    _ => return Err(bad(e)),
                },
            };
            match lean.resource_type.as_deref() {
                Some("Appointment") => out
                    .proposals
                    .push(Proposal::from_lean(lean, resource.to_owned())),
                Some("OperationOutcome") => out
                    .outcomes
                    .push(serde_json::from_str(resource.get()).map_err(bad)?),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Reads an already parsed avail-bundle.
    pub fn from_bundle(bundle: &Bundle) -> Result<Self, ClientError> {
        let mut out = Self {
            total: bundle.total,
            ..Self::default()
        };
        for resource in bundle.entry.iter().filter_map(|e| e.resource.as_ref()) {
            match resource {
                Resource::Appointment(a) => out.proposals.push(Proposal::new(a)?),
                Resource::OperationOutcome(o) => out.outcomes.push(o.clone()),
                _ => {}
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposals_keep_what_ranking_needs_and_the_full_appointment_on_demand() {
        let body = serde_json::json!({"resourceType": "Bundle", "type": "searchset", "total": 1, "entry": [
            {"resource": {"resourceType": "Appointment", "id": "p1", "status": "proposed",
                "start": "2030-01-07T09:00:00-05:00", "end": "2030-01-07T09:15:00-05:00",
                "specialty": [{"coding": [{"system": "http://snomed.info/sct", "code": "394582007"}]}],
                "participant": [{"actor": {"reference": "Practitioner/7"}, "status": "needs-action"},
                                {"actor": {"display": "no reference"}, "status": "needs-action"}]}},
            {"resource": {"resourceType": "Basic", "start": {"odd": true}}},
            {"resource": {"resourceType": "OperationOutcome", "issue": [{"severity": "information", "code": "informational"}]}}
        ]});
        let a = Availability::from_json(body.to_string().as_bytes()).unwrap();
        assert_eq!(
            (a.proposals.len(), a.outcomes.len(), a.total),
            (1, 1, Some(1))
        );
        let p = &a.proposals[0];
        assert_eq!(p.start.unwrap().to_rfc3339(), "2030-01-07T14:00:00+00:00");
        assert_eq!(
            p.actors_of_type("Practitioner").collect::<Vec<_>>(),
            ["Practitioner/7"]
        );
        assert!(p.specialty[0].matches(&Token::new("http://snomed.info/sct", "394582007")));
        assert!(!p.specialty[0].matches(&Token::parse("|394582007").unwrap()));
        assert_eq!(p.appointment().unwrap().participant.len(), 2);
        assert_eq!(p.window().unwrap().end, "2030-01-07T09:15:00-05:00");
    }

    #[test]
    fn an_unreadable_appointment_or_a_non_bundle_is_malformed() {
        let bad = br#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Appointment","start":5}}]}"#;
        assert!(matches!(
            Availability::from_json(bad),
            Err(ClientError::Malformed { .. })
        ));
        let oo = br#"{"resourceType":"OperationOutcome","issue":[]}"#;
        assert!(Availability::from_json(oo).is_err());
        assert!(Availability::from_json(b"{").is_err());
    }
}
