//! FHIR STU3 general-purpose data types (Coding, CodeableConcept, Identifier, Reference, ...).
//!
//! Each keeps unknown elements in `extra`, so extensions on data types survive a round trip.

use serde::{Deserialize, Serialize};

use crate::JsonMap;

/// Skip-serialising helper for empty vectors.
pub(crate) fn is_empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coding {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Coding {
    /// A coding with system, code and display.
    pub fn new(system: &str, code: &str, display: &str) -> Self {
        Self {
            system: Some(system.to_owned()),
            code: Some(code.to_owned()),
            display: (!display.is_empty()).then(|| display.to_owned()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeableConcept {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub coding: Vec<Coding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl CodeableConcept {
    /// A concept with one coding.
    pub fn coded(system: &str, code: &str, display: &str) -> Self {
        Self {
            coding: vec![Coding::new(system, code, display)],
            ..Self::default()
        }
    }

    /// A concept with text only.
    pub fn text(text: &str) -> Self {
        Self {
            text: Some(text.to_owned()),
            ..Self::default()
        }
    }

    /// Whether any coding matches `system` (when given) and `code`.
    pub fn has_code(&self, system: Option<&str>, code: &str) -> bool {
        self.coding.iter().any(|c| {
            c.code.as_deref() == Some(code) && system.is_none_or(|s| c.system.as_deref() == Some(s))
        })
    }

    /// The display text: `text`, else the first coding's display, else its code.
    pub fn label(&self) -> Option<&str> {
        self.text.as_deref().or_else(|| {
            self.coding
                .iter()
                .find_map(|c| c.display.as_deref().or(c.code.as_deref()))
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Identifier {
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Identifier {
    /// An identifier with system and value.
    pub fn new(system: &str, value: &str) -> Self {
        Self {
            system: Some(system.to_owned()),
            value: Some(value.to_owned()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Reference {
    /// A literal reference such as `Practitioner/123`.
    pub fn to(reference: &str) -> Self {
        Self {
            reference: Some(reference.to_owned()),
            ..Self::default()
        }
    }

    /// A literal reference with a display.
    pub fn with_display(reference: &str, display: &str) -> Self {
        Self {
            display: Some(display.to_owned()),
            ..Self::to(reference)
        }
    }

    /// The `Type/id` tail of the reference, ignoring a base URL and a `_history` suffix.
    pub fn local(&self) -> Option<(&str, &str)> {
        self.reference.as_deref().and_then(split_reference)
    }
}

/// Splits `[base/]Type/id[/_history/v]` into `(Type, id)`.
pub fn split_reference(reference: &str) -> Option<(&str, &str)> {
    let trimmed = match reference.find("/_history/") {
        Some(i) => &reference[..i],
        None => reference,
    };
    let mut parts = trimmed.rsplitn(3, '/');
    let id = parts.next()?;
    let ty = parts.next()?;
    let starts_upper = ty.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    (!id.is_empty() && starts_upper).then_some((ty, id))
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Period {
    /// A period with both bounds.
    pub fn new(start: &str, end: &str) -> Self {
        Self {
            start: Some(start.to_owned()),
            end: Some(end.to_owned()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HumanName {
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub given: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub prefix: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub suffix: Vec<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl HumanName {
    /// A name from family and given names.
    pub fn new(family: &str, given: &[&str]) -> Self {
        Self {
            family: Some(family.to_owned()),
            given: given.iter().map(|g| (*g).to_owned()).collect(),
            ..Self::default()
        }
    }

    /// "Given Family", or `text` when the parts are absent.
    pub fn display(&self) -> String {
        let mut parts: Vec<&str> = self.prefix.iter().map(String::as_str).collect();
        parts.extend(self.given.iter().map(String::as_str));
        parts.extend(self.family.as_deref());
        if parts.is_empty() {
            self.text.clone().unwrap_or_default()
        } else {
            parts.join(" ")
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactPoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub line: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(rename = "postalCode", skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Address {
    /// Every string element of the address, for `location-string` matching.
    pub fn strings(&self) -> impl Iterator<Item = &str> {
        self.line.iter().map(String::as_str).chain(
            [
                &self.text,
                &self.city,
                &self.district,
                &self.state,
                &self.postal_code,
                &self.country,
            ]
            .into_iter()
            .filter_map(|s| s.as_deref()),
        )
    }
}

/// A FHIR extension: `url` plus one `value[x]` (kept as raw JSON) or nested extensions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub url: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub extension: Vec<Extension>,
    #[serde(flatten)]
    pub value: JsonMap,
}

impl Extension {
    /// An extension whose value is `valueCodeableConcept`.
    pub fn codeable_concept(url: &str, concept: &CodeableConcept) -> Self {
        let mut value = JsonMap::new();
        if let Ok(v) = serde_json::to_value(concept) {
            value.insert("valueCodeableConcept".to_owned(), v);
        }
        Self {
            url: url.to_owned(),
            extension: Vec::new(),
            value,
        }
    }

    /// The `valueCodeableConcept`, if that is the value type.
    pub fn value_codeable_concept(&self) -> Option<CodeableConcept> {
        self.value
            .get("valueCodeableConcept")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    /// A string-like value (`valueString`, `valueCode`, `valueUri`).
    pub fn value_str(&self) -> Option<&str> {
        ["valueString", "valueCode", "valueUri", "valueUrl"]
            .iter()
            .find_map(|k| self.value.get(*k).and_then(|v| v.as_str()))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    #[serde(rename = "versionId", skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    #[serde(rename = "lastUpdated", skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub profile: Vec<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Meta {
    /// Meta naming one profile.
    pub fn profile(url: &str) -> Self {
        Self {
            profile: vec![url.to_owned()],
            ..Self::default()
        }
    }
}
