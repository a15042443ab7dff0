//! R4 Coverage. STU3's `grouping` (group, subGroup, plan, subPlan, class, subClass, each with a
//! display) became the R4 `class` list (type coded in `coverage-class`, value, name); R4 made
//! `status` required; the type and relationship code systems moved to terminology.hl7.org.

use serde::{Deserialize, Serialize};

use super::convert::{
    ext_get, ext_value, extra_exts, map_systems, r4_element, set_extra_exts, system_to_r4,
    system_to_stu3, take_ext,
};
use super::patient::map_identifiers;
use crate::datatypes::is_empty;
use crate::{
    CodeableConcept, CoverageGrouping, CoverageType, Extension, Identifier, JsonMap, Meta,
    ModelError, Period, Reference,
};

/// The R4 code system naming Coverage.class types.
pub const CS_COVERAGE_CLASS: &str = "http://terminology.hl7.org/CodeSystem/coverage-class";

/// STU3 grouping element names and the R4 class type codes they become.
const GROUPING: [(&str, &str); 6] = [
    ("group", "group"),
    ("subGroup", "subgroup"),
    ("plan", "plan"),
    ("subPlan", "subplan"),
    ("class", "class"),
    ("subClass", "subclass"),
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    #[serde(rename = "resourceType")]
    pub resource_type: CoverageType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub identifier: Vec<Identifier>,
    /// active | cancelled | draft | entered-in-error (required in R4).
    pub status: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<CodeableConcept>,
    #[serde(rename = "policyHolder", skip_serializing_if = "Option::is_none")]
    pub policy_holder: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscriber: Option<Reference>,
    #[serde(rename = "subscriberId", skip_serializing_if = "Option::is_none")]
    pub subscriber_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub payor: Vec<Reference>,
    #[serde(rename = "class", default, skip_serializing_if = "is_empty")]
    pub class: Vec<CoverageClass>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// R4 Coverage.class: one plan/group level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageClass {
    #[serde(rename = "type")]
    pub type_: CodeableConcept,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl CoverageClass {
    /// A class of `coverage-class` type `code`.
    pub fn new(code: &str, value: &str, name: Option<&str>) -> Self {
        Self {
            type_: CodeableConcept::coded(CS_COVERAGE_CLASS, code, ""),
            value: value.to_owned(),
            name: name.map(str::to_owned),
            extra: JsonMap::new(),
        }
    }

    /// The `coverage-class` code, if the type is coded in that system.
    pub fn code(&self) -> Option<&str> {
        self.type_
            .coding
            .iter()
            .find(|c| c.system.as_deref() == Some(CS_COVERAGE_CLASS))
            .and_then(|c| c.code.as_deref())
    }
}

fn class_ext() -> String {
    r4_element("Coverage.class")
}

/// STU3 grouping → R4 classes (in the grouping's order: group, subgroup, plan, ...).
fn classes_from_grouping(grouping: Option<&CoverageGrouping>) -> Vec<CoverageClass> {
    let Some(map) = grouping
        .and_then(|g| serde_json::to_value(g).ok())
        .and_then(|v| v.as_object().cloned())
    else {
        return Vec::new();
    };
    let text = |key: &str| map.get(key).and_then(|v| v.as_str());
    GROUPING
        .iter()
        .filter_map(|(stu3, code)| {
            let value = text(stu3)?;
            let name = text(&format!("{stu3}Display"));
            Some(CoverageClass::new(code, value, name))
        })
        .collect()
}

/// R4 classes → STU3 grouping plus the classes it cannot hold (kept as extensions).
fn grouping_from_classes(classes: &[CoverageClass]) -> (Option<CoverageGrouping>, Vec<Extension>) {
    let mut map = JsonMap::new();
    let mut rest = Vec::new();
    for class in classes {
        let slot = class
            .code()
            .and_then(|code| GROUPING.iter().find(|(_, c)| *c == code))
            .filter(|(stu3, _)| !map.contains_key(*stu3));
        match slot {
            Some((stu3, _)) => {
                map.insert((*stu3).to_owned(), class.value.clone().into());
                if let Some(name) = &class.name {
                    map.insert(format!("{stu3}Display"), name.clone().into());
                }
            }
            None => rest.push(ext_value(&class_ext(), "valueString", class_json(class))),
        }
    }
    let grouping = serde_json::from_value(serde_json::Value::Object(map))
        .ok()
        .filter(|g: &CoverageGrouping| *g != CoverageGrouping::default());
    (grouping, rest)
}

/// A class the STU3 grouping cannot hold, kept verbatim as JSON text in an extension.
fn class_json(class: &CoverageClass) -> String {
    serde_json::to_string(class).unwrap_or_default()
}

impl Coverage {
    /// The R4 form of an STU3 Coverage; an absent status becomes `active` (R4 requires one and
    /// the desk only sends coverages in force).
    pub fn from_stu3(c: &crate::Coverage) -> Self {
        let mut extra = c.extra.clone();
        let mut exts = extra_exts(&mut extra);
        let mut class = classes_from_grouping(c.grouping.as_ref());
        class.extend(
            take_ext(&mut exts, &class_ext())
                .iter()
                .filter_map(|e| ext_get::<String>(e, "valueString"))
                .filter_map(|s| serde_json::from_str(&s).ok()),
        );
        set_extra_exts(&mut extra, &exts);
        Self {
            resource_type: CoverageType,
            id: c.id.clone(),
            meta: c.meta.clone(),
            identifier: map_identifiers(&c.identifier, system_to_r4),
            status: c.status.clone().unwrap_or_else(|| "active".to_owned()),
            type_: c.type_.as_ref().map(|t| map_systems(t, system_to_r4)),
            policy_holder: c.policy_holder.clone(),
            subscriber: c.subscriber.clone(),
            subscriber_id: c.subscriber_id.clone(),
            beneficiary: c.beneficiary.clone(),
            relationship: c
                .relationship
                .as_ref()
                .map(|r| map_systems(r, system_to_r4)),
            period: c.period.clone(),
            payor: c.payor.clone(),
            class,
            extra,
        }
    }

    /// The STU3 form; classes beyond STU3's grouping levels are kept in extensions.
    pub fn to_stu3(&self) -> Result<crate::Coverage, ModelError> {
        let (grouping, class_exts) = grouping_from_classes(&self.class);
        let mut extra = self.extra.clone();
        let mut exts = extra_exts(&mut extra);
        exts.extend(class_exts);
        set_extra_exts(&mut extra, &exts);
        Ok(crate::Coverage {
            resource_type: CoverageType,
            id: self.id.clone(),
            meta: self.meta.clone(),
            identifier: map_identifiers(&self.identifier, system_to_stu3),
            status: Some(self.status.clone()),
            type_: self.type_.as_ref().map(|t| map_systems(t, system_to_stu3)),
            policy_holder: self.policy_holder.clone(),
            subscriber: self.subscriber.clone(),
            subscriber_id: self.subscriber_id.clone(),
            beneficiary: self.beneficiary.clone(),
            relationship: self
                .relationship
                .as_ref()
                .map(|r| map_systems(r, system_to_stu3)),
            period: self.period.clone(),
            payor: self.payor.clone(),
            grouping,
            extra,
        })
    }
}
