//! `expand[]=customer`, `expand[]=data.customer`, `expand[]=latest_invoice.payment_intent`: which
//! paths can be expanded (the spec's `x-expandableFields` and `x-expansionResources`), and the
//! expansion itself: an id becomes the stored object with that id, or an example of the resource.

use serde_json::Value;

use crate::api::{list_items, list_object, Api};
use crate::form::{Node, Params};
use crate::reflect::branch_for;
use crate::store::Store;

/// The most segments of one expansion path (Stripe allows 4 levels).
const MAX_SEGMENTS: usize = 8;

/// The expansion paths of a request, in order.
pub fn paths(params: &Params) -> Vec<String> {
    let mut out = Vec::new();
    match params.get("expand") {
        Some(Node::Leaf(path)) => out.push(path.clone()),
        Some(Node::List(items)) => {
            out.extend(items.iter().filter_map(|item| match item {
                Node::Leaf(path) => Some(path.clone()),
                _ => None,
            }));
        }
        Some(Node::Map(items)) => {
            let mut indexed: Vec<(usize, &str)> = items
                .iter()
                .filter_map(|(key, item)| match item {
                    Node::Leaf(path) => key.parse::<usize>().ok().map(|i| (i, path.as_str())),
                    _ => None,
                })
                .collect();
            indexed.sort_by_key(|(index, _)| *index);
            out.extend(indexed.into_iter().map(|(_, path)| path.to_owned()));
        }
        _ => {}
    }
    out
}

/// Whether `path` can be expanded on a response of `schema`.
pub fn is_expandable(api: &Api, schema: &Value, path: &str) -> bool {
    let segments: Vec<&str> = path.split('.').collect();
    segments.len() <= MAX_SEGMENTS
        && segments.iter().all(|segment| !segment.is_empty())
        && check(api, schema, &segments)
}

fn check(api: &Api, schema: &Value, segments: &[&str]) -> bool {
    let Some((first, rest)) = segments.split_first() else { return false };
    let schema = api.resolve(schema);
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        return branches.iter().any(|branch| check(api, branch, segments));
    }
    if list_object(schema).is_some() && *first == "data" {
        return match list_items(schema) {
            Some(items) if !rest.is_empty() => check(api, items, rest),
            _ => false,
        };
    }
    let Some(property) = schema.pointer(&format!("/properties/{}", escape(first))) else {
        return false;
    };
    let listed = schema
        .get("x-expandableFields")
        .and_then(Value::as_array)
        .is_some_and(|fields| fields.iter().any(|field| field.as_str() == Some(first)));
    let resources = property.pointer("/x-expansionResources/oneOf").and_then(Value::as_array);
    if !listed && resources.is_none() {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    match resources {
        Some(resources) => resources.iter().any(|resource| check(api, resource, rest)),
        None => check(api, property, rest),
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// How expansion fills fields that are `null` in the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nulls {
    /// As Stripe: a `null` field stays `null`.
    Keep,
    /// With an example of the resource (the mock's example mode, for conformance runs).
    Fill,
}

/// Expands `path` (already checked) in `value`, an answer of `schema`.
pub fn expand(
    api: &Api,
    store: &Store,
    nulls: Nulls,
    schema: &Value,
    value: &mut Value,
    path: &str,
) {
    let segments: Vec<&str> = path.split('.').collect();
    walk(api, store, nulls, schema, value, &segments);
}

fn walk(
    api: &Api,
    store: &Store,
    nulls: Nulls,
    schema: &Value,
    value: &mut Value,
    segments: &[&str],
) {
    let Some((first, rest)) = segments.split_first() else { return };
    let schema = branch_for(api, schema, value);
    if list_object(schema).is_some() && *first == "data" {
        let Some(items) = list_items(schema) else { return };
        let empty = value.get("data").and_then(Value::as_array).is_none_or(Vec::is_empty);
        if empty && nulls == Nulls::Fill {
            if let Some(fields) = value.as_object_mut() {
                fields.insert("data".to_owned(), Value::Array(vec![api.example(items)]));
            }
        }
        if let Some(Value::Array(elements)) = value.get_mut("data") {
            for element in elements {
                walk(api, store, nulls, items, element, rest);
            }
        }
        return;
    }
    let Some(property) = schema.pointer(&format!("/properties/{}", escape(first))) else {
        return;
    };
    let Some(fields) = value.as_object_mut() else { return };
    let resources: Vec<&Value> = property
        .pointer("/x-expansionResources/oneOf")
        .and_then(Value::as_array)
        .map(|resources| resources.iter().collect())
        .unwrap_or_default();
    let field = fields.entry(first.to_owned()).or_insert(Value::Null);
    let next_schema = if resources.is_empty() {
        // A container (`invoice_settings`) or a field included on request (`sources`).
        if field.is_null() {
            if nulls == Nulls::Keep && !property_is_includable(property) {
                return;
            }
            *field = api.example(property);
        }
        property
    } else {
        match expanded(api, store, nulls, &resources, field) {
            Some((object, resource_schema)) => {
                *field = object;
                resource_schema
            }
            None => return,
        }
    };
    if !rest.is_empty() {
        walk(api, store, nulls, next_schema, field, rest);
    }
}

/// A field left out unless expanded (`customer.sources`) is not nullable in the spec.
fn property_is_includable(property: &Value) -> bool {
    property.get("nullable").and_then(Value::as_bool) != Some(true)
}

/// The object an expandable field's value stands for, and its schema.
fn expanded<'a>(
    api: &'a Api,
    store: &Store,
    nulls: Nulls,
    resources: &[&'a Value],
    field: &Value,
) -> Option<(Value, &'a Value)> {
    let schema_of = |resource: &str| {
        resources.iter().copied().find(|schema| {
            api.resolve(schema).get("x-resourceId").and_then(Value::as_str) == Some(resource)
        })
    };
    match field {
        Value::Object(object) => {
            let object = Value::Object(object.clone());
            let schema = resources.first().copied()?;
            Some((object.clone(), branch_for(api, schema, &object)))
        }
        Value::String(id) => {
            if let Some((resource, object)) = store.find(id) {
                if let Some(schema) = schema_of(resource) {
                    return Some((object.clone(), schema));
                }
            }
            let schema = resources.first().copied()?;
            let mut object = api.example(schema);
            if let Some(fields) = object.as_object_mut() {
                fields.insert("id".to_owned(), Value::from(id.as_str()));
            }
            Some((object, schema))
        }
        Value::Null if nulls == Nulls::Fill => {
            let schema = resources.first().copied()?;
            Some((api.example(schema), schema))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::parse_urlencoded;
    use serde_json::json;

    #[test]
    fn paths_are_checked_against_the_schema() {
        let api = Api::embedded().expect("data");
        let customer = json!({"$ref": "#/components/schemas/customer"});
        assert!(is_expandable(api, &customer, "default_source"));
        assert!(is_expandable(api, &customer, "invoice_settings.default_payment_method"));
        assert!(is_expandable(api, &customer, "sources"));
        assert!(!is_expandable(api, &customer, "email"));
        assert!(!is_expandable(api, &customer, "x"));
        assert!(!is_expandable(api, &customer, "default_source."));
        let list = &api.operation("GET /v1/customers").expect("route").response;
        assert!(is_expandable(api, list, "data.default_source"));
        assert!(!is_expandable(api, list, "default_source"));
        let pi = json!({"$ref": "#/components/schemas/payment_intent"});
        assert!(is_expandable(api, &pi, "latest_charge.balance_transaction"));
        let params = parse_urlencoded(b"expand[1]=b&expand[0]=a").expect("parses");
        assert_eq!(paths(&params), ["a", "b"]);
    }

    #[test]
    fn ids_expand_to_stored_objects_or_examples() {
        let api = Api::embedded().expect("data");
        let mut store = Store::default();
        store.insert(
            "customer",
            json!({"id": "cus_stored", "object": "customer", "email": "s@t.u"}),
        );
        let schema = json!({"$ref": "#/components/schemas/payment_intent"});
        let mut pi = json!({"object": "payment_intent", "customer": "cus_stored", "latest_charge": "ch_9", "review": null});
        for path in ["customer", "latest_charge", "review"] {
            expand(api, &store, Nulls::Keep, &schema, &mut pi, path);
        }
        assert_eq!(pi["customer"]["email"], "s@t.u");
        assert_eq!(pi["latest_charge"]["id"], "ch_9");
        assert_eq!(pi["latest_charge"]["object"], "charge");
        assert_eq!(pi["review"], Value::Null);
        expand(api, &store, Nulls::Fill, &schema, &mut pi, "review");
        assert_eq!(pi["review"]["object"], "review");
    }
}
