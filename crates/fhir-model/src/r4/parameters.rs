//! R4 Parameters: the body of FHIR operations. Same shape as STU3; the conversions convert the
//! resources the parameters carry. The value types are kept under their JSON names (R4 adds many,
//! none changed shape).

use serde::{Deserialize, Serialize};

use super::Resource;
use super::convert::invalid;
use crate::datatypes::is_empty;
use crate::{JsonMap, Meta, ModelError, ParametersType};

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

/// One parameter: a `value[x]`, an R4 `resource`, or `part`s. The value types the desk sends are
/// kept with their JSON names in `value` (R4 adds many; none changed shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub part: Vec<Parameter>,
    /// The `value[x]` element and any extension, under their JSON names.
    #[serde(flatten)]
    pub value: JsonMap,
}

impl Parameter {
    /// A parameter whose `value[x]` is `value` of kind `kind` (e.g. "valueReference").
    pub fn value(name: &str, kind: &str, value: serde_json::Value) -> Self {
        let mut map = JsonMap::new();
        map.insert(kind.to_owned(), value);
        Self {
            name: name.to_owned(),
            value: map,
            ..Self::default()
        }
    }

    /// A parameter carrying an R4 resource.
    pub fn resource(name: &str, resource: Resource) -> Self {
        Self {
            name: name.to_owned(),
            resource: Some(resource),
            ..Self::default()
        }
    }

    /// A parameter made of parts.
    pub fn parts(name: &str, part: Vec<Parameter>) -> Self {
        Self {
            name: name.to_owned(),
            part,
            ..Self::default()
        }
    }

    /// The string-like `value[x]` (`valueString`, `valueCode`, `valueUri`, ...), if any.
    pub fn value_str(&self) -> Option<&str> {
        self.value
            .iter()
            .find(|(k, _)| k.starts_with("value"))
            .and_then(|(_, v)| v.as_str())
    }

    fn from_stu3(p: &crate::Parameter) -> Self {
        let mut plain = p.clone();
        let resource = plain.resource.take().map(|r| Resource::from_stu3(&r));
        let part = std::mem::take(&mut plain.part);
        let value = serde_json::to_value(&plain)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .map(|mut m| {
                m.remove("name");
                m
            })
            .unwrap_or_default();
        Self {
            name: p.name.clone(),
            resource,
            part: part.iter().map(Self::from_stu3).collect(),
            value,
        }
    }

    fn to_stu3(&self) -> Result<crate::Parameter, ModelError> {
        let mut map = self.value.clone();
        map.insert("name".to_owned(), self.name.clone().into());
        let mut out: crate::Parameter = serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| invalid("Parameters", e.to_string()))?;
        out.resource = self.resource.as_ref().map(Resource::to_stu3).transpose()?;
        out.part = self
            .part
            .iter()
            .map(Self::to_stu3)
            .collect::<Result<_, _>>()?;
        Ok(out)
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

    /// The R4 form of STU3 Parameters, every resource converted.
    pub fn from_stu3(p: &crate::Parameters) -> Self {
        Self {
            resource_type: ParametersType,
            id: p.id.clone(),
            meta: p.meta.clone(),
            parameter: p.parameter.iter().map(Parameter::from_stu3).collect(),
            extra: p.extra.clone(),
        }
    }

    /// The STU3 form; fails when a carried resource or a value is malformed.
    pub fn to_stu3(&self) -> Result<crate::Parameters, ModelError> {
        Ok(crate::Parameters {
            resource_type: ParametersType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            parameter: self
                .parameter
                .iter()
                .map(Parameter::to_stu3)
                .collect::<Result<_, _>>()?,
            extra: self.extra.clone(),
        })
    }
}
