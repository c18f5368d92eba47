//! What the diff compares, read from a spec as JSON: every field of every object, every parameter
//! of every operation (nested fields of inline objects included, as dotted paths), each with a
//! one-word summary of its type and whether it is required and nullable, and the enum values found
//! at each place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::schema_json::{is_unset_marker, strings};

/// A field or a parameter, as the diff compares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// A summary of the JSON type: `string`, `enum`, `integer`, `array of customer`,
    /// `customer | string` (an expandable field), `object | ""` (a parameter that can be unset).
    pub ty: String,
    pub required: bool,
    pub nullable: bool,
}

/// Fields (or parameters) by dotted path (`address.city`, `items[].price`), and enum values by
/// the path of the value that holds them (`tax_exempt`, `items[].tax_behavior`; `""` for a schema
/// that is itself an enum).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Shapes {
    pub fields: BTreeMap<String, Shape>,
    pub enums: BTreeMap<String, BTreeSet<String>>,
}

/// The comparable content of a whole spec.
#[derive(Debug, Default)]
pub struct SpecShapes {
    pub version: String,
    /// Component schemas by name.
    pub objects: BTreeMap<String, Shapes>,
    /// Operations by `(path, METHOD)`: their parameters (path, query, header and body alike).
    pub operations: BTreeMap<(String, String), Shapes>,
    /// The event types: the values of the `enabled_events` request parameter.
    pub events: BTreeSet<String>,
}

const METHODS: [&str; 8] = ["get", "post", "delete", "put", "patch", "head", "options", "trace"];

/// The field whose values list the event types, as `convert/events.rs` reads it.
pub const EVENT_FIELD: &str = "enabled_events";

pub fn read(spec: &Value) -> SpecShapes {
    let mut out = SpecShapes {
        version: spec.pointer("/info/version").and_then(Value::as_str).unwrap_or("?").to_owned(),
        ..Default::default()
    };
    for (name, schema) in
        spec.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten()
    {
        let mut shapes = Shapes::default();
        walk(schema, "", &mut shapes);
        out.objects.insert(name.clone(), shapes);
    }
    for (path, item) in spec.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let shapes = operation_shapes(item, operation);
            out.events.extend(event_types(&shapes));
            out.operations.insert((path.clone(), method.to_ascii_uppercase()), shapes);
        }
    }
    out
}

fn operation_shapes(item: &Value, operation: &Value) -> Shapes {
    let mut shapes = Shapes::default();
    let parameters = [item, operation]
        .into_iter()
        .filter_map(|v| v.get("parameters").and_then(Value::as_array))
        .flatten();
    for parameter in parameters {
        let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        let required = parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
        field(schema, name, required, &mut shapes);
    }
    let bodies = operation.pointer("/requestBody/content").and_then(Value::as_object);
    // Stripe's bodies are form-encoded or multipart; either one lists the same parameters.
    if let Some(schema) =
        bodies.and_then(|content| content.values().next()).and_then(|c| c.get("schema"))
    {
        walk(schema, "", &mut shapes);
    }
    shapes
}

fn event_types(shapes: &Shapes) -> impl Iterator<Item = String> + '_ {
    shapes
        .enums
        .iter()
        .filter(|(path, _)| is_event_field(path))
        .flat_map(|(_, values)| values.iter().cloned())
}

/// Whether an enum's place is the list of event types (reported as events, not enum values).
pub fn is_event_field(path: &str) -> bool {
    path.trim_end_matches("[]") == EVENT_FIELD
}

/// Records one field at `path` and what it contains.
fn field(schema: &Value, path: &str, required: bool, out: &mut Shapes) {
    let nullable = schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    out.fields.insert(path.to_owned(), Shape { ty: summary(schema), required, nullable });
    walk(schema, path, out);
}

/// Records what a schema at `path` contains: its properties as fields, the items of an array
/// (`path[]`), the branches of a union (at the same path), its enum values.
fn walk(schema: &Value, path: &str, out: &mut Shapes) {
    if schema.get("$ref").is_some() {
        return; // a component, compared on its own
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !is_unset_marker(schema) {
            let values =
                values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned));
            out.enums.entry(path.to_owned()).or_default().extend(values);
        }
    }
    let required: BTreeSet<&str> = strings(schema, "required").collect();
    for (name, property) in
        schema.get("properties").and_then(Value::as_object).into_iter().flatten()
    {
        let child = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
        field(property, &child, required.contains(name.as_str()), out);
    }
    if let Some(items) = schema.get("items") {
        walk(items, &format!("{path}[]"), out);
    }
    for key in ["anyOf", "oneOf"] {
        for branch in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            walk(branch, path, out);
        }
    }
}

/// A short description of a schema's type, equal for two schemas that give the same Rust type
/// (enum values and descriptions aside).
pub fn summary(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    let branches: Vec<&Value> = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .collect();
    if !branches.is_empty() {
        let parts: BTreeSet<String> = branches.into_iter().map(summary).collect();
        return parts.into_iter().collect::<Vec<_>>().join(" | ");
    }
    if is_unset_marker(schema) {
        return "\"\"".to_owned();
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let format = schema.get("format").and_then(Value::as_str);
    match ty {
        Some("string") if schema.get("enum").is_some() => "enum".to_owned(),
        Some("array") => {
            format!("array of {}", schema.get("items").map_or("any".to_owned(), summary))
        }
        Some("object") => match schema.get("additionalProperties") {
            Some(inner) if inner.is_object() && schema.get("properties").is_none() => {
                format!("map of {}", summary(inner))
            }
            _ => "object".to_owned(),
        },
        Some(ty) => match format {
            Some(format) => format!("{ty} ({format})"),
            None => ty.to_owned(),
        },
        None => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn summarizes_types() {
        assert_eq!(
            summary(&json!({"type": "string", "format": "unix-time"})),
            "string (unix-time)"
        );
        assert_eq!(
            summary(
                &json!({"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/customer"}]})
            ),
            "customer | string"
        );
        assert_eq!(
            summary(&json!({"anyOf": [{"type": "object"}, {"type": "string", "enum": [""]}]})),
            "\"\" | object"
        );
        assert_eq!(
            summary(&json!({"type": "array", "items": {"type": "string", "enum": ["a"]}})),
            "array of enum"
        );
        assert_eq!(
            summary(&json!({"type": "object", "additionalProperties": {"type": "string"}})),
            "map of string"
        );
    }

    #[test]
    fn walks_nested_fields_and_enums() {
        let schema = json!({
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {"type": "array", "items": {"type": "object", "required": ["price"], "properties": {
                    "price": {"type": "string"},
                    "behavior": {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": [""]}]}
                }}}
            }
        });
        let mut shapes = Shapes::default();
        walk(&schema, "", &mut shapes);
        let paths: Vec<&str> = shapes.fields.keys().map(String::as_str).collect();
        assert_eq!(paths, ["items", "items[].behavior", "items[].price"]);
        assert!(shapes.fields["items[].price"].required);
        assert!(!shapes.fields["items[].behavior"].required);
        assert_eq!(
            shapes.enums["items[].behavior"],
            BTreeSet::from(["a".to_owned(), "b".to_owned()])
        );
    }
}
