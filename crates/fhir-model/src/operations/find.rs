//! `Appointment/$find` inputs (OperationDefinition appointment-find).

use super::read;
use crate::{Coverage, ModelError, Parameter, Parameters, Patient, Resource, Token};

/// Every input of `$find`. Repeated values of one actor type are alternatives in preference
/// order (OR); different actor types combine (AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindParams {
    /// Start of the window (1..1 in the OperationDefinition; a server may default it).
    pub start: Option<String>,
    /// End of the window.
    pub end: Option<String>,
    pub specialty: Vec<Token>,
    pub visit_type: Vec<Token>,
    /// `Practitioner/id` references.
    pub practitioner: Vec<String>,
    /// `Organization/id` references.
    pub organization: Vec<String>,
    /// Address fragments (city, state, zip ...).
    pub location_string: Vec<String>,
    /// `Location/id` references.
    pub location_reference: Vec<String>,
    /// `Patient/id` references of patients known to the server.
    pub patient_reference: Vec<String>,
    /// Inline patients not yet registered (forces POST).
    pub patient_resource: Vec<Patient>,
    /// Inline coverages (forces POST).
    pub coverage: Vec<Coverage>,
    pub reason: Vec<Token>,
    /// `_count`: the most options wanted. Sent in the URL, also on POST.
    pub count: Option<u32>,
    /// The referral's identifier (IHE `referral-identifier`; Argonaut has no such input).
    pub referral_identifier: Option<crate::Identifier>,
    /// Preferred times as an R4 `Timing` (IHE `timing`; Argonaut has no such input).
    pub timing: Option<serde_json::Value>,
}

/// Appends a value of a repeatable (0..*) parameter.
fn push<T>(list: &mut Vec<T>, value: T) -> Result<(), ModelError> {
    list.push(value);
    Ok(())
}

impl FindParams {
    /// Reads a POST body. `_count` from the URL is merged by the caller.
    pub fn from_parameters(params: &Parameters) -> Result<Self, ModelError> {
        let mut out = Self::default();
        for p in &params.parameter {
            out.read_parameter(p)?;
        }
        Ok(out)
    }

    fn read_parameter(&mut self, p: &Parameter) -> Result<(), ModelError> {
        match p.name.as_str() {
            "start" => read::once(&mut self.start, "start", read::date_time(p)?),
            "end" => read::once(&mut self.end, "end", read::date_time(p)?),
            "specialty" => push(&mut self.specialty, read::token(p)?),
            "visit-type" => push(&mut self.visit_type, read::token(p)?),
            "reason" => push(&mut self.reason, read::token(p)?),
            "practitioner" => push(&mut self.practitioner, read::uri(p)?),
            "organization" => push(&mut self.organization, read::uri(p)?),
            "location-string" => push(&mut self.location_string, read::string(p)?),
            "location-reference" => push(&mut self.location_reference, read::uri(p)?),
            "patient-reference" => push(&mut self.patient_reference, read::uri(p)?),
            "patient-resource" => push(&mut self.patient_resource, read::patient(p)?),
            "coverage" => push(&mut self.coverage, read::coverage(p)?),
            "_count" => read::once(&mut self.count, "_count", read::count(p)?),
            other => Err(ModelError::UnknownParameter(other.to_owned())),
        }
    }

    /// Reads GET query pairs (also the URL query of a POST, for `_count`).
    pub fn from_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<Self, ModelError> {
        let mut out = Self::default();
        for (k, v) in pairs {
            out.read_query(k.as_ref(), v.as_ref())?;
        }
        Ok(out)
    }

    fn read_query(&mut self, name: &str, v: &str) -> Result<(), ModelError> {
        let date = |v: &str| read::check_date_time(name, v).map(|()| v.to_owned());
        match name {
            "start" => read::once(&mut self.start, "start", date(v)?),
            "end" => read::once(&mut self.end, "end", date(v)?),
            "specialty" => push(&mut self.specialty, read::token_text(name, v)?),
            "visit-type" => push(&mut self.visit_type, read::token_text(name, v)?),
            "reason" => push(&mut self.reason, read::token_text(name, v)?),
            "practitioner" => push(&mut self.practitioner, read::non_empty(name, v)?),
            "organization" => push(&mut self.organization, read::non_empty(name, v)?),
            "location-string" => push(&mut self.location_string, read::non_empty(name, v)?),
            "location-reference" => push(&mut self.location_reference, read::non_empty(name, v)?),
            "patient-reference" => push(&mut self.patient_reference, read::non_empty(name, v)?),
            "patient-resource" | "coverage" => Err(ModelError::param(
                name,
                "a resource parameter can only be sent by POST",
            )),
            "_count" => read::once(&mut self.count, "_count", read::count_text(v)?),
            n if read::is_ignorable_query(n) => Ok(()),
            other => Err(ModelError::UnknownParameter(other.to_owned())),
        }
    }

    /// Whether the request can go by GET (no resource-valued inputs).
    pub fn fits_get(&self) -> bool {
        self.patient_resource.is_empty() && self.coverage.is_empty()
    }

    /// The POST body. `_count` is not in it: it belongs in the URL.
    pub fn to_parameters(&self) -> Parameters {
        let mut ps = Vec::new();
        ps.extend(self.start.iter().map(|v| Parameter::date_time("start", v)));
        ps.extend(self.end.iter().map(|v| Parameter::date_time("end", v)));
        let tokens = |name: &str, ts: &[Token]| -> Vec<Parameter> {
            ts.iter()
                .map(|t| Parameter::string(name, &t.to_string()))
                .collect()
        };
        ps.extend(tokens("specialty", &self.specialty));
        ps.extend(tokens("visit-type", &self.visit_type));
        for (name, refs) in self.uri_lists() {
            ps.extend(refs.iter().map(|r| Parameter::uri(name, r)));
        }
        ps.extend(
            self.location_string
                .iter()
                .map(|s| Parameter::string("location-string", s)),
        );
        ps.extend(
            self.patient_resource
                .iter()
                .map(|p| Parameter::resource("patient-resource", Resource::Patient(p.clone()))),
        );
        ps.extend(
            self.coverage
                .iter()
                .map(|c| Parameter::resource("coverage", Resource::Coverage(c.clone()))),
        );
        ps.extend(tokens("reason", &self.reason));
        Parameters::new(ps)
    }

    fn uri_lists(&self) -> [(&'static str, &Vec<String>); 4] {
        [
            ("practitioner", &self.practitioner),
            ("organization", &self.organization),
            ("location-reference", &self.location_reference),
            ("patient-reference", &self.patient_reference),
        ]
    }

    /// The GET query pairs, `_count` included. Fails when a resource input forces POST.
    pub fn to_query(&self) -> Result<Vec<(String, String)>, ModelError> {
        if !self.fits_get() {
            return Err(ModelError::param(
                "patient-resource",
                "resource inputs (patient-resource, coverage) need POST",
            ));
        }
        let mut q: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: String| q.push((k.to_owned(), v));
        self.start.iter().for_each(|v| push("start", v.clone()));
        self.end.iter().for_each(|v| push("end", v.clone()));
        self.specialty
            .iter()
            .for_each(|t| push("specialty", t.to_string()));
        self.visit_type
            .iter()
            .for_each(|t| push("visit-type", t.to_string()));
        for (name, refs) in self.uri_lists() {
            refs.iter().for_each(|r| push(name, r.clone()));
        }
        self.location_string
            .iter()
            .for_each(|s| push("location-string", s.clone()));
        self.reason
            .iter()
            .for_each(|t| push("reason", t.to_string()));
        self.count
            .iter()
            .for_each(|n| push("_count", n.to_string()));
        Ok(q)
    }
}
