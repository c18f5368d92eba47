//! Expansions for the conformance runner: valid `expand[]` paths taken from the spec
//! (`x-expansionResources`, `x-expandableFields`; `data.`-prefixed for lists), chosen so that every
//! expandable field reachable from an operation's response is expanded once in a run, and the
//! check that each expanded field came back as an object of its resource's type.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use codegen::schema_json::{resolve, strings};

/// Stripe expands at most four levels.
const MAX_SEGMENTS: usize = 4;

/// An expandable field: the schema that has it (a component name) and the property.
pub type Field = (String, String);

/// Every expandable field of the spec (`x-expansionResources` on a component's property).
pub fn all_fields(spec: &Value) -> BTreeSet<Field> {
    let schemas = spec.pointer("/components/schemas").and_then(Value::as_object);
    let mut fields = BTreeSet::new();
    for (name, schema) in schemas.into_iter().flatten() {
        for (property, value) in
            schema.get("properties").and_then(Value::as_object).into_iter().flatten()
        {
            if value.get("x-expansionResources").is_some() {
                fields.insert((name.clone(), property.clone()));
            }
        }
    }
    fields
}

/// The paths to expand in a response of `response` (an operation's 200 schema): one per field
/// not in `covered` yet, which it adds.
pub fn plan(spec: &Value, response: &Value, covered: &mut BTreeSet<Field>) -> Vec<String> {
    let mut found = Vec::new();
    let mut visited = HashSet::new();
    collect(spec, response, "", "", 0, &mut visited, &mut found);
    found
        .into_iter()
        .filter(|(_, field)| covered.insert(field.clone()))
        .map(|(path, _)| path)
        .collect()
}

/// The component name of a `$ref`.
fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next())
}

fn collect(
    spec: &Value,
    schema: &Value,
    name: &str,
    prefix: &str,
    depth: usize,
    visited: &mut HashSet<String>,
    out: &mut Vec<(String, Field)>,
) {
    let name = ref_name(schema).unwrap_or(name).to_owned();
    let resolved = resolve(spec, schema);
    if let Some(branches) = resolved.get("anyOf").and_then(Value::as_array) {
        // A union: the first object branch (`customer` of `customer | deleted_customer`).
        if let Some(branch) =
            branches.iter().find(|branch| resolve(spec, branch).get("properties").is_some())
        {
            collect(spec, branch, &name, prefix, depth, visited, out);
        }
        return;
    }
    if !visited.insert(format!("{prefix}|{name}")) || depth >= MAX_SEGMENTS {
        return;
    }
    let is_list = resolved.get("x-resourceId").is_none()
        && resolved
            .pointer("/properties/object/enum/0")
            .and_then(Value::as_str)
            .is_some_and(|object| object == "list" || object == "search_result");
    if is_list {
        if let Some(items) = resolved.pointer("/properties/data/items") {
            collect(spec, items, &name, &format!("{prefix}data."), depth, visited, out);
        }
        return;
    }
    let listed: Vec<&str> = strings(resolved, "x-expandableFields").collect();
    for (property, value) in
        resolved.get("properties").and_then(Value::as_object).into_iter().flatten()
    {
        let path = format!("{prefix}{property}");
        if let Some(resources) =
            value.pointer("/x-expansionResources/oneOf").and_then(Value::as_array)
        {
            out.push((path.clone(), (name.clone(), property.clone())));
            // The mock expands an id it has not stored into an example of the first resource.
            if let Some(resource) = resources.first() {
                collect(spec, resource, "", &format!("{path}."), depth + 1, visited, out);
            }
        } else if listed.contains(&property.as_str()) {
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
