//! Expansions for the conformance runner: valid `expand[]` paths taken from the spec
//! (`x-expansionResources`, `x-expandableFields`; `data.`-prefixed for lists), chosen so that every
//! expandable field reachable from an operation's response is expanded once in a run, and the
//! check that each expanded field came back as an object of its resource's type.

use std::collections::{BTreeSet, HashSet};

use codegen::view::{self, Node};
use openapiv3::OpenAPI;
use serde_json::Value;

/// Stripe expands at most four levels.
const MAX_SEGMENTS: usize = 4;

/// An expandable field: the schema that has it (a component name) and the property.
pub type Field = (String, String);

/// Every expandable field of the spec (`x-expansionResources` on a component's property).
pub fn all_fields(spec: &OpenAPI) -> BTreeSet<Field> {
    let mut fields = BTreeSet::new();
    for (name, schema) in spec.components.iter().flat_map(|components| &components.schemas) {
        let Some(schema) = Node::from(schema).inline() else { continue };
        for (property, value) in view::properties(schema) {
            let extension = value.inline().and_then(|v| view::extension(v, "x-expansionResources"));
            if extension.is_some() {
                fields.insert((name.clone(), property.to_owned()));
            }
        }
    }
    fields
}

/// The paths to expand in a response of `response` (an operation's 200 schema): one per field
/// not in `covered` yet, which it adds.
pub fn plan(spec: &OpenAPI, response: Node<'_>, covered: &mut BTreeSet<Field>) -> Vec<String> {
    let mut found = Vec::new();
    let mut visited = HashSet::new();
    collect(spec, response, "", "", 0, &mut visited, &mut found);
    found
        .into_iter()
        .filter(|(_, field)| covered.insert(field.clone()))
        .map(|(path, _)| path)
        .collect()
}

/// The resources an expandable property expands to (`x-expansionResources.oneOf`), as `$ref`s.
fn expansion_resources(property: &openapiv3::Schema) -> Option<Vec<Node<'_>>> {
    let resources = view::extension(property, "x-expansionResources")?;
    let references = resources.get("oneOf").and_then(Value::as_array)?;
    Some(references.iter().filter_map(|r| r.get("$ref")?.as_str().map(Node::Ref)).collect())
}

fn collect(
    spec: &OpenAPI,
    schema: Node<'_>,
    name: &str,
    prefix: &str,
    depth: usize,
    visited: &mut HashSet<String>,
    out: &mut Vec<(String, Field)>,
) {
    let name = schema.ref_name().unwrap_or(name).to_owned();
    let Some(resolved) = schema.resolve(spec) else { return };
    let branches = view::any_of(resolved);
    if !branches.is_empty() {
        // A union: the first object branch (`customer` of `customer | deleted_customer`).
        let has_properties = |branch: &Node<'_>| {
            branch.resolve(spec).is_some_and(|branch| view::properties(branch).next().is_some())
        };
        if let Some(branch) = branches.iter().map(Node::from).find(has_properties) {
            collect(spec, branch, &name, prefix, depth, visited, out);
        }
        return;
    }
    if !visited.insert(format!("{prefix}|{name}")) || depth >= MAX_SEGMENTS {
        return;
    }
    let object = view::property(resolved, "object").and_then(Node::inline);
    let is_list = view::extension(resolved, "x-resourceId").is_none()
        && object.and_then(|object| view::enum_values(object).into_iter().next()).is_some_and(
            |object| object.as_str().is_some_and(|o| o == "list" || o == "search_result"),
        );
    if is_list {
        let data = view::property(resolved, "data").and_then(Node::inline);
        if let Some(items) = data.and_then(view::items) {
            collect(spec, items, &name, &format!("{prefix}data."), depth, visited, out);
        }
        return;
    }
    let listed: Vec<&str> = view::extension_strings(resolved, "x-expandableFields").collect();
    for (property, value) in view::properties(resolved) {
        let path = format!("{prefix}{property}");
        if let Some(resources) = value.inline().and_then(expansion_resources) {
            out.push((path.clone(), (name.clone(), property.to_owned())));
            // The mock expands an id it has not stored into an example of the first resource.
            if let Some(resource) = resources.first() {
                collect(spec, *resource, "", &format!("{path}."), depth + 1, visited, out);
            }
        } else if listed.contains(&property) {
            let inner = format!("{name}.{property}");
            collect(spec, value, &inner, &format!("{path}."), depth + 1, visited, out);
        }
    }
}

/// Checks that each path of `paths` is an object in `response` that decodes as its resource's
/// type; returns how many values were checked.
pub fn check(response: &Value, paths: &[String]) -> Result<usize, String> {
    let mut checked = 0;
    for path in paths {
        let segments: Vec<&str> = path.split('.').collect();
        let mut values = Vec::new();
        find(response, &segments, &mut values);
        if values.is_empty() {
            return Err(format!("expand[]={path}: not in the response"));
        }
        for value in values {
            if !value.is_object() {
                return Err(format!(
                    "expand[]={path}: {} instead of an expanded object",
                    kind(value)
                ));
            }
            // Objects without operations of their own are not in the table (and some have no
            // `object` field); the SDK decoded the whole response, them included.
            let object = value.get("object").and_then(Value::as_str).unwrap_or("");
            if let Some((_, roundtrip)) =
                crate::resources::RESOURCES.iter().find(|(resource, _)| *resource == object)
            {
                roundtrip(value).map_err(|err| format!("expand[]={path} ({object}): {err}"))?;
            }
            checked += 1;
        }
    }
    Ok(checked)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "an id",
        Value::Null => "null",
        _ => "another value",
    }
}

/// The values at `segments` (`data` steps into every element of a list).
fn find<'a>(value: &'a Value, segments: &[&str], out: &mut Vec<&'a Value>) {
    let Some((first, rest)) = segments.split_first() else {
        out.push(value);
        return;
    };
    match value.get(first) {
        Some(Value::Array(items)) if *first == "data" => {
            for item in items {
                find(item, rest, out);
            }
        }
        Some(next) => find(next, rest, out),
        None => {}
    }
}
