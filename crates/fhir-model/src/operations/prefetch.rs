//! `Slot/$prefetch` inputs (OperationDefinition slot-prefetch, whose `code` is misprinted "find").

use super::read;
use crate::{ModelError, Parameter, Parameters};

/// Free-slot window and filters; same actor types AND, same type OR (SHALL for $prefetch).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrefetchParams {
    pub start: Option<String>,
    pub end: Option<String>,
    pub practitioner: Vec<String>,
    pub organization: Vec<String>,
    pub location_string: Vec<String>,
    pub location_reference: Vec<String>,
}

impl PrefetchParams {
    /// Reads a POST body.
    pub fn from_parameters(params: &Parameters) -> Result<Self, ModelError> {
        let mut out = Self::default();
        for p in &params.parameter {
            match p.name.as_str() {
                "start" => read::once(&mut out.start, "start", read::date_time(p)?)?,
                "end" => read::once(&mut out.end, "end", read::date_time(p)?)?,
                "practitioner" => out.practitioner.push(read::uri(p)?),
                "organization" => out.organization.push(read::uri(p)?),
                "location-string" => out.location_string.push(read::string(p)?),
                "location-reference" => out.location_reference.push(read::uri(p)?),
                other => return Err(ModelError::UnknownParameter(other.to_owned())),
            }
        }
        Ok(out)
    }

    /// Reads GET query pairs.
    pub fn from_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<Self, ModelError> {
        let mut out = Self::default();
        for (k, v) in pairs {
            let (name, v) = (k.as_ref(), v.as_ref());
            match name {
                "start" | "end" => {
                    read::check_date_time(name, v)?;
                    let slot = if name == "start" {
                        &mut out.start
                    } else {
                        &mut out.end
                    };
                    read::once(slot, name, v.to_owned())?;
                }
                "practitioner" => out.practitioner.push(read::non_empty(name, v)?),
                "organization" => out.organization.push(read::non_empty(name, v)?),
                "location-string" => out.location_string.push(read::non_empty(name, v)?),
                "location-reference" => out.location_reference.push(read::non_empty(name, v)?),
                n if read::is_ignorable_query(n) => {}
                other => return Err(ModelError::UnknownParameter(other.to_owned())),
            }
        }
        Ok(out)
    }

    /// The POST body.
    pub fn to_parameters(&self) -> Parameters {
        let mut ps = Vec::new();
        ps.extend(self.start.iter().map(|v| Parameter::date_time("start", v)));
        ps.extend(self.end.iter().map(|v| Parameter::date_time("end", v)));
        ps.extend(
            self.practitioner
                .iter()
                .map(|v| Parameter::uri("practitioner", v)),
        );
        ps.extend(
            self.organization
                .iter()
                .map(|v| Parameter::uri("organization", v)),
        );
        ps.extend(
            self.location_string
                .iter()
                .map(|v| Parameter::string("location-string", v)),
        );
        ps.extend(
            self.location_reference
                .iter()
                .map(|v| Parameter::uri("location-reference", v)),
        );
        Parameters::new(ps)
    }

    /// The GET query pairs.
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        let lists: [(&str, &[String]); 6] = [
            ("start", self.start.as_slice()),
            ("end", self.end.as_slice()),
            ("practitioner", &self.practitioner),
            ("organization", &self.organization),
            ("location-string", &self.location_string),
            ("location-reference", &self.location_reference),
        ];
        for (name, values) in lists {
            q.extend(values.iter().map(|v| (name.to_owned(), v.clone())));
        }
        q
    }
}
