//! FHIR XML → FHIR JSON (the same `serde_json::Value` a JSON file would give), following the
//! FHIR XML/JSON mapping: element names become keys, `value` attributes become primitive values,
//! resources inside `resource`/`contained` get a `resourceType`, repeating elements become arrays.
//!
//! XML does not say which elements repeat, so `cardinality::repeats` lists them for the resources a seed
//! bundle carries (an element seen twice under one parent is an array regardless). Narrative
//! (`text`) is dropped: its XHTML `div` has no faithful JSON form here, and the sandbox generates
//! no narrative of its own.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Number, Value};

use super::ImportError;
use super::cardinality::repeats;

/// One XML element with its attributes and child elements (text content is not used by FHIR
/// outside narrative).
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

/// Parses FHIR XML into the JSON shape of the same resource.
pub(crate) fn xml_to_json(text: &str) -> Result<Value, ImportError> {
    let root = parse_tree(text)?;
    Ok(Value::Object(resource_object(&root)))
}

fn bad(reader: &Reader<&[u8]>, message: impl std::fmt::Display) -> ImportError {
    ImportError::Xml(format!("at byte {}: {message}", reader.buffer_position()))
}

fn parse_tree(text: &str) -> Result<Node, ImportError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        match reader.read_event().map_err(|e| bad(&reader, e))? {
            Event::Start(e) if is_narrative(&e) => {
                // Narrative: skip the whole subtree (see module doc).
                let end = e.name().as_ref().to_vec();
                reader
                    .read_to_end(quick_xml::name::QName(&end))
                    .map_err(|e| bad(&reader, e))?;
            }
            Event::Start(e) => stack.push(node(&reader, &e)?),
            Event::Empty(e) => {
                let child = node(&reader, &e)?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(child);
                }
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| bad(&reader, "unbalanced end tag"))?;
                let parent = stack
                    .last_mut()
                    .ok_or_else(|| bad(&reader, "unbalanced end tag"))?;
                parent.children.push(done);
            }
            Event::Eof => break,
            // Declarations, comments, processing instructions and whitespace carry no data.
            _ => {}
        }
    }
    let mut document = stack
        .pop()
        .filter(|_| stack.is_empty())
        .ok_or_else(|| ImportError::Xml("the document ends inside an element".to_owned()))?;
    match document.children.len() {
        1 => document
            .children
            .pop()
            .ok_or_else(|| ImportError::Xml("empty document".into())),
        0 => Err(ImportError::Xml("no root element".to_owned())),
        _ => Err(ImportError::Xml("more than one root element".to_owned())),
    }
}

/// `<text>` with content but no `value` attribute is a Narrative (elsewhere `text` is a string).
fn is_narrative(e: &BytesStart<'_>) -> bool {
    e.local_name().as_ref() == b"text"
        && !e.attributes().flatten().any(|a| a.key.as_ref() == b"value")
}

fn node(reader: &Reader<&[u8]>, e: &BytesStart<'_>) -> Result<Node, ImportError> {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| bad(reader, err))?;
        let key = attr.key.local_name();
        if attr.key.as_ref().starts_with(b"xmlns") {
            continue;
        }
        let value = attr
            .decode_and_unescape_value(reader.decoder())
            .map_err(|err| bad(reader, err))?;
        attrs.push((
            String::from_utf8_lossy(key.as_ref()).into_owned(),
            value.into_owned(),
        ));
    }
    Ok(Node {
        name,
        attrs,
        children: Vec::new(),
    })
}

/// A resource element (`<Slot>...</Slot>`) as a JSON object with `resourceType`.
fn resource_object(node: &Node) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("resourceType".to_owned(), Value::String(node.name.clone()));
    fill(&mut map, node, &node.name);
    map
}

/// Adds `node`'s attributes and children to `map`; `context` is the resource type for top-level
/// elements, else the parent element's name (see `cardinality::repeats`).
fn fill(map: &mut Map<String, Value>, node: &Node, context: &str) {
    for (key, value) in &node.attrs {
        if key != "value" {
            map.insert(key.clone(), Value::String(value.clone()));
        }
    }
    for child in &node.children {
        let name = child.name.as_str();
        let repeated = node.children.iter().filter(|c| c.name == name).count() > 1;
        let (value, underscore) = element_value(child);
        let array = repeated || repeats(context, name);
        put(map, name, value, array);
        if let Some(extra) = underscore {
            put(map, &format!("_{name}"), extra, array);
        }
    }
}

fn put(map: &mut Map<String, Value>, name: &str, value: Value, array: bool) {
    if !array {
        map.insert(name.to_owned(), value);
        return;
    }
    let slot = map
        .entry(name.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(items) = slot {
        items.push(value);
    }
}

/// The JSON value of one element, and its `_name` companion when a primitive also carries an
/// `id` or extensions.
fn element_value(node: &Node) -> (Value, Option<Value>) {
    if matches!(node.name.as_str(), "resource" | "contained")
        && let [inner] = node.children.as_slice()
    {
        return (Value::Object(resource_object(inner)), None);
    }
    let value = node
        .attrs
        .iter()
        .find(|(k, _)| k == "value")
        .map(|(_, v)| v);
    match value {
        Some(v) => {
            let primitive = primitive(&node.name, v);
            let mut rest = Map::new();
            fill(&mut rest, node, &node.name);
            (primitive, (!rest.is_empty()).then_some(Value::Object(rest)))
        }
        None => {
            let mut map = Map::new();
            fill(&mut map, node, &node.name);
            (Value::Object(map), None)
        }
    }
}

/// Booleans and numbers are JSON booleans and numbers; every other FHIR primitive is a string.
fn primitive(name: &str, text: &str) -> Value {
    const BOOLEANS: [&str; 7] = [
        "active",
        "overbooked",
        "allDay",
        "experimental",
        "deceasedBoolean",
        "multipleBirthBoolean",
        "valueBoolean",
    ];
    const NUMBERS: [&str; 9] = [
        "total",
        "minutesDuration",
        "priority",
        "rank",
        "order",
        "sequence",
        "multipleBirthInteger",
        "valueInteger",
        "valueDecimal",
    ];
    if BOOLEANS.contains(&name) {
        match text {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    if NUMBERS.contains(&name) {
        if let Ok(n) = text.parse::<i64>() {
            return Value::Number(n.into());
        }
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn maps_values_arrays_and_nested_resources() {
        let xml = r#"<?xml version="1.0"?>
<Bundle xmlns="http://hl7.org/fhir">
  <!-- comment -->
  <type value="transaction"/>
  <entry>
    <resource>
      <Practitioner>
        <id value="p1"/>
        <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></text>
        <identifier><system value="s"/><value value="1 &amp; 2"/></identifier>
        <active value="true"/>
        <name><family value="Boyce"/><given value="Philip"/></name>
        <gender value = "male"/>
      </Practitioner>
    </resource>
    <request><method value="PUT"/><url value="Practitioner/p1"/></request>
  </entry>
  <entry>
    <resource>
      <Slot>
        <schedule><reference value="Schedule/s"/></schedule>
        <start value="2017-08-28T08:00:00"><extension url="u"><valueString value="v"/></extension></start>
      </Slot>
    </resource>
  </entry>
</Bundle>"#;
        let json = xml_to_json(xml).unwrap();
        assert_eq!(json["resourceType"], "Bundle");
        assert_eq!(json["type"], "transaction");
        let p = &json["entry"][0]["resource"];
        assert_eq!(p["resourceType"], "Practitioner");
        assert_eq!(p["identifier"][0]["value"], "1 & 2");
        assert_eq!(p["active"], true);
        assert_eq!(p["name"][0]["given"][0], "Philip");
        assert_eq!(p["gender"], "male");
        assert!(p.get("text").is_none(), "narrative is dropped");
        assert_eq!(json["entry"][0]["request"]["url"], "Practitioner/p1");
        let slot = &json["entry"][1]["resource"];
        assert_eq!(slot["schedule"]["reference"], "Schedule/s");
        assert_eq!(slot["start"], "2017-08-28T08:00:00");
        assert_eq!(slot["_start"]["extension"][0]["valueString"], "v");
    }

    #[test]
    fn broken_xml_is_an_error_not_a_panic() {
        for bad in [
            "",
            "<Bundle>",
            "<Bundle></Slot>",
            "<a/><b/>",
            "<Bundle><x value=\"1></Bundle>",
        ] {
            assert!(xml_to_json(bad).is_err(), "{bad:?} should fail");
        }
    }
}
