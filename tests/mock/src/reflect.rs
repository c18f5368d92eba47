//! Request values into response objects: a parameter whose name is a field of the returned object
//! sets that field, converted to the field's type (`amount=100` is the integer 100, `address[city]=X`
//! a nested object). A value that does not fit the field's schema is left out.
//!
//! Stripe's unset rules: an empty string clears a field (`null` when the field is nullable, `{}` for
//! a map, `[]` for a list); in `metadata` an empty value deletes its key and merges the others.

use serde_json::{Map, Value};

use crate::api::Api;
use crate::form::{Node, Params};

/// Parameters that control the request rather than describe the object.
const CONTROLS: &[&str] = &["expand", "limit", "starting_after", "ending_before", "page", "query"];
/// Fields the mock owns: never taken from a request.
const OWNED: &[&str] = &["id", "object", "livemode", "created", "deleted"];

/// Sets each top-level field of `object` (of `schema`) that has a parameter of the same name.
pub fn apply(api: &Api, schema: &Value, object: &mut Value, params: &Params) {
    let Some(properties) = object_properties(api, schema, object) else { return };
    let Some(fields) = object.as_object_mut() else { return };
    for (name, node) in params {
        if CONTROLS.contains(&name.as_str()) || OWNED.contains(&name.as_str()) {
            continue;
        }
        let Some(property) = properties.get(name) else { continue };
        if let Some(value) = convert(api, property, node, fields.get(name)) {
            fields.insert(name.clone(), value);
        }
    }
}

/// Sets fields named like path parameters (`customer` for `/v1/customers/{customer}/tax_ids`).
pub fn apply_path(api: &Api, schema: &Value, object: &mut Value, path_params: &[(String, String)]) {
    let Some(properties) = object_properties(api, schema, object) else { return };
    let Some(fields) = object.as_object_mut() else { return };
    for (name, value) in path_params {
        if OWNED.contains(&name.as_str()) {
            continue;
        }
        let Some(property) = properties.get(name) else { continue };
        if let Some(value) = convert(api, property, &Node::Leaf(value.clone()), None) {
            fields.insert(name.clone(), value);
        }
    }
}

/// The properties of the object schema that `object` is an instance of (the `anyOf` branch whose
/// resource matches its `object` field, or the first object branch).
fn object_properties<'a>(
    api: &'a Api,
    schema: &'a Value,
    object: &Value,
) -> Option<&'a Map<String, Value>> {
    let schema = branch_for(api, schema, object);
    api.resolve(schema).get("properties").and_then(Value::as_object)
}

/// The branch of a union schema that describes `object`.
pub fn branch_for<'a>(api: &'a Api, schema: &'a Value, object: &Value) -> &'a Value {
    let resolved = api.resolve(schema);
    let Some(branches) = resolved.get("anyOf").and_then(Value::as_array) else { return resolved };
    let tag = object.get("object").and_then(Value::as_str);
    let deleted = object.get("deleted").and_then(Value::as_bool) == Some(true);
    branches
        .iter()
        .map(|branch| api.resolve(branch))
        .find(|branch| {
            let resource = branch.get("x-resourceId").and_then(Value::as_str);
            tag.is_some()
                && (resource == tag
                    || (deleted && resource.and_then(|r| r.strip_prefix("deleted_")) == tag))
        })
        .or_else(|| branches.first().map(|branch| api.resolve(branch)))
        .unwrap_or(resolved)
}

/// `node` as a value of `schema`, merged into `existing` for maps and objects; `None` when it does
/// not fit.
fn convert(api: &Api, schema: &Value, node: &Node, existing: Option<&Value>) -> Option<Value> {
    let schema = api.resolve(schema);
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        if matches!(node, Node::Leaf(text) if text.is_empty()) && nullable {
            return Some(Value::Null);
        }
        return branches.iter().find_map(|branch| convert(api, branch, node, existing));
    }
    if let Node::Leaf(text) = node {
        if text.is_empty() {
            return unset(schema, nullable);
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => match node {
            Node::Leaf(text) => Some(Value::from(text.as_str())),
            _ => None,
        },
        Some("integer") => leaf(node)?.parse::<i64>().ok().map(Value::from),
        Some("number") => leaf(node)?.parse::<f64>().ok().map(Value::from),
        Some("boolean") => match leaf(node)? {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Some("array") => array(api, schema, node),
        Some("object") => object(api, schema, node, existing),
        _ => None,
    }
}

fn leaf(node: &Node) -> Option<&str> {
    match node {
        Node::Leaf(text) => Some(text),
        _ => None,
    }
}

/// What an empty string (unset) makes of a field.
fn unset(schema: &Value, nullable: bool) -> Option<Value> {
    if nullable {
        return Some(Value::Null);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => Some(Value::Array(Vec::new())),
        Some("object") if schema.get("additionalProperties").is_some_and(Value::is_object) => {
            Some(Value::Object(Map::new()))
        }
        Some("string") => Some(Value::from("")),
        _ => None,
    }
}

fn array(api: &Api, schema: &Value, node: &Node) -> Option<Value> {
    let items = schema.get("items").unwrap_or(&Value::Null);
    let elements: Vec<&Node> = match node {
        Node::List(elements) => elements.iter().collect(),
        Node::Map(children) if children.keys().all(|key| key.parse::<usize>().is_ok()) => {
            let mut indexed: Vec<(usize, &Node)> = children
                .iter()
                .filter_map(|(key, node)| key.parse::<usize>().ok().map(|index| (index, node)))
                .collect();
            indexed.sort_by_key(|(index, _)| *index);
            indexed.into_iter().map(|(_, node)| node).collect()
        }
        _ => return None,
    };
    elements
        .into_iter()
        .map(|element| convert(api, items, element, None))
        .collect::<Option<Vec<Value>>>()
        .map(Value::Array)
}

fn object(api: &Api, schema: &Value, node: &Node, existing: Option<&Value>) -> Option<Value> {
    let Node::Map(children) = node else { return None };
    let properties = schema.get("properties").and_then(Value::as_object);
    let additional = schema.get("additionalProperties").filter(|extra| extra.is_object());
    let mut fields = match existing {
        Some(Value::Object(fields)) => fields.clone(),
        // A new nested object gets its required fields from the schema, so that it decodes.
        _ => match api.example(schema) {
            Value::Object(fields) => fields,
            _ => Map::new(),
        },
    };
    for (key, child) in children {
        match (properties.and_then(|properties| properties.get(key)), additional) {
            (Some(property), _) => {
                if let Some(value) = convert(api, property, child, fields.get(key)) {
                    fields.insert(key.clone(), value);
                }
            }
            (None, Some(values)) => {
                // A map such as `metadata`: an empty value deletes the key.
                if matches!(child, Node::Leaf(text) if text.is_empty()) {
                    fields.remove(key);
                } else {
                    fields.insert(key.clone(), convert(api, values, child, fields.get(key))?);
                }
            }
            (None, None) => {}
        }
    }
    Some(Value::Object(fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::parse_urlencoded;
    use serde_json::json;

    #[test]
    fn values_take_the_type_of_the_field_and_metadata_merges() {
        let api = Api::embedded().expect("data");
        let schema = json!({"$ref": "#/components/schemas/customer"});
        let mut customer = api.example_of("customer");
        customer["metadata"] = json!({"keep": "1", "drop": "2"});
        let params = parse_urlencoded(
            b"email=a%40b.c&balance=250&address[city]=Paris&metadata[drop]=&metadata[new]=3&expand[]=x&id=no",
        )
        .expect("parses");
        let before_id = customer["id"].clone();
        apply(api, &schema, &mut customer, &params);
        assert_eq!(customer["email"], "a@b.c");
        assert_eq!(customer["balance"], 250);
        assert_eq!(customer["address"]["city"], "Paris");
        assert_eq!(customer["metadata"], json!({"keep": "1", "new": "3"}));
        assert_eq!(customer["id"], before_id);
        let cleared = parse_urlencoded(b"metadata=&description=").expect("parses");
        apply(api, &schema, &mut customer, &cleared);
        assert_eq!(customer["metadata"], json!({}));
        assert_eq!(customer["description"], Value::Null);
        let wrong = parse_urlencoded(b"balance=abc").expect("parses");
        apply(api, &schema, &mut customer, &wrong);
        assert_eq!(customer["balance"], 250);
    }
}
