//! What the diff compares, read from a spec through the typed view: every field of every object,
//! every parameter of every operation (nested fields of inline objects included, as dotted paths),
//! each with a one-word summary of its type and whether it is required and nullable, and the enum
//! values found at each place.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::error::Result;
use crate::view::{self, Node};

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

/// The field whose values list the event types, as `convert/events.rs` reads it.
pub const EVENT_FIELD: &str = "enabled_events";

pub fn read(spec: &OpenAPI) -> Result<SpecShapes> {
    let mut out = SpecShapes { version: spec.info.version.clone(), ..Default::default() };
    for (name, schema) in spec.components.iter().flat_map(|components| &components.schemas) {
        let mut shapes = Shapes::default();
        walk(schema.into(), "", &mut shapes);
        out.objects.insert(name.clone(), shapes);
    }
    for operation in view::operations(spec)? {
        let shapes = operation_shapes(&operation)?;
        out.events.extend(event_types(&shapes));
        let key = (operation.path.to_owned(), operation.method.as_str().to_owned());
        out.operations.insert(key, shapes);
    }
    Ok(out)
}

fn operation_shapes(operation: &view::SpecOperation<'_>) -> Result<Shapes> {
    let mut shapes = Shapes::default();
    for parameter in view::parameters(operation.operation, &operation.pointer)? {
        field(parameter.schema, parameter.name, parameter.required, &mut shapes);
    }
    // Stripe's bodies are form-encoded or multipart; either one lists the same parameters.
    if let Some((_, schema)) = view::body_schemas(operation.operation).next() {
        walk(schema, "", &mut shapes);
    }
    Ok(shapes)
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

/// Records one field at `path` and what it contains (`None`: a parameter without a schema).
fn field(schema: Option<Node<'_>>, path: &str, required: bool, out: &mut Shapes) {
    let nullable = schema.and_then(Node::inline).is_some_and(|schema| schema.schema_data.nullable);
    let ty = schema.map_or_else(|| "any".to_owned(), summary);
    out.fields.insert(path.to_owned(), Shape { ty, required, nullable });
    if let Some(schema) = schema {
        walk(schema, path, out);
    }
}

/// Records what a schema at `path` contains: its properties as fields, the items of an array
/// (`path[]`), the branches of a union (at the same path), its enum values.
fn walk(schema: Node<'_>, path: &str, out: &mut Shapes) {
    // A reference is a component, compared on its own.
    let Some(schema) = schema.inline() else { return };
    let values = view::enum_values(schema);
    if !values.is_empty() && !view::is_unset_marker(schema) {
        let values = values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned));
        out.enums.entry(path.to_owned()).or_default().extend(values);
    }
    let required = view::required(schema);
    for (name, property) in view::properties(schema) {
        let child = if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") };
        field(Some(property), &child, required.iter().any(|r| r == name), out);
    }
    if let Some(items) = view::items(schema) {
        walk(items, &format!("{path}[]"), out);
    }
    for branch in view::branches(schema) {
        walk(branch, path, out);
    }
}

/// A short description of a schema's type, equal for two schemas that give the same Rust type
/// (enum values and descriptions aside).
pub fn summary(schema: Node<'_>) -> String {
    let schema = match schema {
        Node::Ref(reference) => return schema.ref_name().unwrap_or(reference).to_owned(),
        Node::Inline(schema) => schema,
    };
    let branches: BTreeSet<String> = view::branches(schema).map(summary).collect();
    if !branches.is_empty() {
        return branches.into_iter().collect::<Vec<_>>().join(" | ");
    }
    if view::is_unset_marker(schema) {
        return "\"\"".to_owned();
    }
    match view::ty(schema) {
        Some("string") if !view::enum_values(schema).is_empty() => "enum".to_owned(),
        Some("array") => {
            format!("array of {}", view::items(schema).map_or("any".to_owned(), summary))
        }
        Some("object") => match view::additional_properties(schema) {
            Some(inner) if view::properties(schema).next().is_none() => {
                format!("map of {}", summary(inner))
            }
            _ => "object".to_owned(),
        },
        Some(ty) => match view::format(schema) {
            Some(format) => format!("{ty} ({format})"),
            None => ty.to_owned(),
        },
        None => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn summarize(schema: Value) -> String {
        let schema: openapiv3::Schema = serde_json::from_value(schema).expect("a schema");
        summary(Node::Inline(&schema))
    }

    #[test]
    fn summarizes_types() {
        assert_eq!(
            summarize(json!({"type": "string", "format": "unix-time"})),
            "string (unix-time)"
        );
        assert_eq!(
            summarize(
                json!({"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/customer"}]})
            ),
            "customer | string"
        );
        assert_eq!(
            summarize(json!({"anyOf": [{"type": "object"}, {"type": "string", "enum": [""]}]})),
            "\"\" | object"
        );
        assert_eq!(
            summarize(json!({"type": "array", "items": {"type": "string", "enum": ["a"]}})),
            "array of enum"
        );
        assert_eq!(
            summarize(json!({"type": "object", "additionalProperties": {"type": "string"}})),
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
        let schema: openapiv3::Schema = serde_json::from_value(schema).expect("a schema");
        let mut shapes = Shapes::default();
        walk(Node::Inline(&schema), "", &mut shapes);
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
