//! Parameters: the body of FHIR operations ($find, $hold, $book, $prefetch, $match, FHIRPath
//! Patch). The common STU3 `value[x]` types are named fields; any other kept in `extra`.

use serde::{Deserialize, Serialize};

use super::resource_tag;
use crate::datatypes::is_empty;
use crate::{JsonMap, Meta, Resource};

resource_tag!(ParametersType, "Parameters");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    #[serde(rename = "resourceType")]
    pub resource_type: ParametersType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub parameter: Vec<Parameter>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "valueString", skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
    #[serde(rename = "valueDateTime", skip_serializing_if = "Option::is_none")]
    pub value_date_time: Option<String>,
    #[serde(rename = "valueUri", skip_serializing_if = "Option::is_none")]
    pub value_uri: Option<String>,
    #[serde(rename = "valueCode", skip_serializing_if = "Option::is_none")]
    pub value_code: Option<String>,
    #[serde(rename = "valueInteger", skip_serializing_if = "Option::is_none")]
    pub value_integer: Option<i64>,
    #[serde(rename = "valueBoolean", skip_serializing_if = "Option::is_none")]
    pub value_boolean: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub part: Vec<Parameter>,
    /// Any other `value[x]` (e.g. `valueCodeableConcept`) or extension.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Parameter {
    fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    pub fn string(name: &str, v: &str) -> Self {
        Self {
            value_string: Some(v.to_owned()),
            ..Self::named(name)
        }
    }

    pub fn date_time(name: &str, v: &str) -> Self {
        Self {
            value_date_time: Some(v.to_owned()),
            ..Self::named(name)
        }
    }

    pub fn uri(name: &str, v: &str) -> Self {
        Self {
            value_uri: Some(v.to_owned()),
            ..Self::named(name)
        }
    }

    pub fn code(name: &str, v: &str) -> Self {
        Self {
            value_code: Some(v.to_owned()),
            ..Self::named(name)
        }
    }

    pub fn integer(name: &str, v: i64) -> Self {
        Self {
            value_integer: Some(v),
            ..Self::named(name)
        }
    }

    pub fn boolean(name: &str, v: bool) -> Self {
        Self {
            value_boolean: Some(v),
            ..Self::named(name)
        }
    }

    pub fn resource(name: &str, r: Resource) -> Self {
        Self {
            resource: Some(r),
            ..Self::named(name)
        }
    }

    /// The name of the `value[x]` element present, if exactly which one matters for errors.
    pub fn value_kind(&self) -> Option<&str> {
        [
            (self.value_string.is_some(), "valueString"),
            (self.value_date_time.is_some(), "valueDateTime"),
            (self.value_uri.is_some(), "valueUri"),
            (self.value_code.is_some(), "valueCode"),
            (self.value_integer.is_some(), "valueInteger"),
            (self.value_boolean.is_some(), "valueBoolean"),
            (self.resource.is_some(), "resource"),
        ]
        .into_iter()
        .find_map(|(present, kind)| present.then_some(kind))
        .or_else(|| {
            self.extra
                .keys()
                .find(|k| k.starts_with("value"))
                .map(String::as_str)
        })
    }
}

impl Parameters {
    /// Parameters from a list.
    pub fn new(parameter: Vec<Parameter>) -> Self {
        Self {
            parameter,
            ..Self::default()
        }
    }

    /// Every parameter named `name`.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Parameter> + 'a {
        self.parameter.iter().filter(move |p| p.name == name)
    }
}
