//! What each route of the mock server does to its stored objects, decided here once from the spec
//! and the fixtures and written into the mock's data (`kind`, `resource`, `echo_id` of each
//! route), so that the mock's runtime reads the decision instead of re-deriving it from the spec's
//! conventions.
//!
//! A route is about the resource it answers with: the `object` of its example (a fixture, or the
//! `object` value the schema requires), or of a list's items. Its kind then follows from the method
//! and the path: `POST /v1/customers` creates a `customer`, `GET /v1/customers/{customer}`
//! retrieves one, `POST /v1/payment_intents/{intent}/confirm` is an action on the
//! `payment_intent` whose id is the last path parameter. Which resources the mock keeps state for
//! is the mock's own policy, not decided here.

use openapiv3::{OpenAPI, Operation, Schema, SchemaKind, Type};
use serde_json::{Map, Value};

use crate::convert::Envelope;
use crate::ir::HttpMethod;
use crate::names::singular;
use crate::view::{self, Node, SpecOperation};

/// How deep an example object is looked into for its `object` value (as deep as the mock builds
/// examples).
const MAX_DEPTH: usize = 8;

/// What a route does, as written into the mock's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RouteKind {
    /// `create`, `retrieve`, `update`, `delete`, `list`, `search` or `action`, and the resource
    /// (`customer`) it is about; `None` for the other routes, answered with an example.
    pub kind: Option<(&'static str, String)>,
    /// Whether the last path parameter is the id of the returned object.
    pub echo_id: bool,
}

/// The object a route answers with: its resource and whether it has an id, and, for a list, the
/// envelope's `object` (`list`, `search_result`, `v2_list`).
#[derive(Debug, Clone, Default)]
struct Answer {
    resource: Option<String>,
    has_id: bool,
    list: Option<String>,
}

/// The kind of each operation, in the order of `operations`.
pub(crate) fn kinds(
    spec: &OpenAPI,
    fixtures: &Map<String, Value>,
    operations: &[SpecOperation<'_>],
) -> Vec<RouteKind> {
    let answers: Vec<Option<Answer>> =
        operations.iter().map(|found| answer(spec, fixtures, found.operation)).collect();
    operations
        .iter()
        .zip(&answers)
        .map(|(found, answer)| kind(found, answer.as_ref(), operations, &answers))
        .collect()
}

fn kind(
    found: &SpecOperation<'_>,
    answer: Option<&Answer>,
    operations: &[SpecOperation<'_>],
    answers: &[Option<Answer>],
) -> RouteKind {
    let template = found.path;
    let last = template.rsplit('/').next().unwrap_or("");
    let ends_with_param = last.starts_with('{');
    let object = answer.filter(|answer| answer.list.is_none());
    let echo_id = object.is_some_and(|object| {
        object.has_id
            && (ends_with_param || object.resource.as_deref().is_some_and(|r| owns(template, r)))
    });
    let generic = RouteKind { kind: None, echo_id };
    let Some(answer) = answer else { return generic };
    let Some(resource) = answer.resource.clone() else { return generic };
    let of = |kind| RouteKind { kind: Some((kind, resource.clone())), echo_id };
    let owned = owns(template, &resource);
    match (found.method, ends_with_param, answer.list.as_deref()) {
        (HttpMethod::Get, true, None) if owned => of("retrieve"),
        (HttpMethod::Post, true, None) if owned => of("update"),
        (HttpMethod::Delete, true, None) => {
            // What is deleted is what `GET` on the same path answers with (`customer`, where the
            // deletion answers with a `deleted_customer`).
            let live = operations
                .iter()
                .zip(answers)
                .find(|(other, _)| other.method == HttpMethod::Get && other.path == template)
                .and_then(|(_, answer)| answer.as_ref())
                .filter(|answer| answer.list.is_none())
                .and_then(|answer| answer.resource.clone())
                .unwrap_or_else(|| {
                    resource.strip_prefix("deleted_").unwrap_or(&resource).to_owned()
                });
            match owns(template, &live) {
                true => RouteKind { kind: Some(("delete", live)), echo_id },
                false => generic,
            }
        }
        (HttpMethod::Get, false, Some("search_result")) => {
            match names_collection(template.trim_end_matches("/search"), &resource) {
                true => of("search"),
                false => generic,
            }
        }
        (HttpMethod::Get, false, Some(_)) if names_collection(template, &resource) => of("list"),
        (HttpMethod::Post, false, None) if echo_id => of("action"),
        (HttpMethod::Post, false, None)
            if answer.has_id && names_collection(template, &resource) =>
        {
            of("create")
        }
        _ => generic,
    }
}

/// Whether the last segment of `template` is the collection of `resource` (`customers`, or the
/// singleton `balance`).
fn names_collection(template: &str, resource: &str) -> bool {
    is_collection_of(template.rsplit('/').next().unwrap_or(""), resource)
}

/// Whether the literal segment before the last path parameter names `resource`'s collection:
/// `/v1/payment_intents/{intent}/confirm` answers with the `payment_intent` whose id is `{intent}`.
fn owns(template: &str, resource: &str) -> bool {
    let segments: Vec<&str> = template.split('/').collect();
    let Some(last_param) = segments.iter().rposition(|segment| segment.starts_with('{')) else {
        return false;
    };
    let collection = last_param.checked_sub(1).and_then(|at| segments.get(at));
    collection.is_some_and(|collection| is_collection_of(collection, resource))
}

/// `customers`, `addresses`, `tax_ids` (or the resource's own name) for `customer`, `address`,
/// `tax_id`; a namespaced resource (`billing.meter`) by its last part.
fn is_collection_of(segment: &str, resource: &str) -> bool {
    let name = resource.rsplit('.').next().unwrap_or(resource);
    !name.is_empty() && (segment == name || singular(segment) == name)
}

/// What a route's `200` response is, read as the mock builds its example: the first branch of a
/// union, a list envelope's items, a fixture or the schema's required `object` and `id`.
fn answer(spec: &OpenAPI, fixtures: &Map<String, Value>, operation: &Operation) -> Option<Answer> {
    let (node, schema) = first_branch(spec, view::json_response(operation)?)?;
    if let Some(envelope) = list_envelope(schema) {
        let data = view::property(schema, "data").and_then(Node::inline);
        let items = data.and_then(view::items)?;
        let item = object(spec, fixtures, items, 0);
        return Some(Answer { list: Some(envelope.to_owned()), ..item });
    }
    Some(object(spec, fixtures, node, 0))
}

/// The `object` of a list envelope's JSON (see [`Envelope`]).
fn list_envelope(schema: &Schema) -> Option<&'static str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Envelope::of(object).map(Envelope::object),
        _ => None,
    }
}

/// The resource and id of the example object of `node`: its fixture's, or the `object` value
/// and `id` the schema requires.
fn object(spec: &OpenAPI, fixtures: &Map<String, Value>, node: Node<'_>, depth: usize) -> Answer {
    let Some(schema) = node.resolve(spec) else { return Answer::default() };
    let fixture = view::extension(schema, "x-resourceId")
        .and_then(Value::as_str)
        .and_then(|resource| fixtures.get(resource));
    if let Some(fixture) = fixture {
        return Answer {
            resource: fixture.get("object").and_then(Value::as_str).map(str::to_owned),
            has_id: fixture.get("id").is_some(),
            list: None,
        };
    }
    if depth > MAX_DEPTH {
        return Answer::default();
    }
    if let Some(first) = view::any_of(schema).first() {
        return object(spec, fixtures, first.into(), depth + 1);
    }
    if !view::enum_values(schema).is_empty() || view::ty(schema) != Some("object") {
        return Answer::default();
    }
    let required = view::required(schema);
    let requires = |name: &str| required.iter().any(|r| r == name);
    let resource = requires("object")
        .then(|| view::property(schema, "object"))
        .flatten()
        .and_then(|property| object_value(spec, property));
    Answer { resource, has_id: requires("id"), list: None }
}

/// The value of a required `object` property: its first enum value (through a union's first
/// branch). A property without one names no resource.
fn object_value(spec: &OpenAPI, property: Node<'_>) -> Option<String> {
    let (_, schema) = first_branch(spec, property)?;
    view::enum_values(schema).first().and_then(Value::as_str).map(str::to_owned)
}

/// The schema `node` resolves to, through the first branch of each union (the branch the mock
/// answers with), and the node that names it.
fn first_branch<'s>(spec: &'s OpenAPI, node: Node<'s>) -> Option<(Node<'s>, &'s Schema)> {
    let (mut node, mut schema) = (node, node.resolve(spec)?);
    while let Some(first) = view::any_of(schema).first() {
        node = first.into();
        schema = node.resolve(spec)?;
    }
    Some((node, schema))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// `{method} {path}` → its kind, for a small spec of `thing`s.
    fn classify(fixtures: Value) -> Vec<(String, RouteKind)> {
        let thing = json!({"$ref": "#/components/schemas/thing"});
        let list = |object: &str| {
            json!({"type": "object", "properties": {
                "object": {"type": "string", "enum": [object]},
                "data": {"type": "array", "items": thing},
            }})
        };
        let answer = |schema: &Value| {
            json!({"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": schema}}}}})
        };
        let deleted = json!({"$ref": "#/components/schemas/deleted_thing"});
        let spec: OpenAPI = serde_json::from_value(json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/v1/things": {"get": answer(&list("list")), "post": answer(&thing)},
                "/v1/things/search": {"get": answer(&list("search_result"))},
                "/v1/things/{thing}": {
                    "get": answer(&thing), "post": answer(&thing), "delete": answer(&deleted),
                },
                "/v1/things/{thing}/poke": {"post": answer(&thing)},
                "/v1/owners/{owner}/gadgets": {"get": answer(&list("list"))},
                "/v1/summary": {"get": answer(&json!({"type": "object", "properties": {}}))},
            },
            "components": {"schemas": {
                "thing": {"type": "object", "x-resourceId": "thing", "required": ["id", "object"],
                    "properties": {"id": {"type": "string"}, "object": {"type": "string", "enum": ["thing"]}}},
                "deleted_thing": {"type": "object", "x-resourceId": "deleted_thing", "required": ["id", "object"],
                    "properties": {"id": {"type": "string"}, "object": {"type": "string", "enum": ["thing"]}}},
            }},
        }))
        .expect("a spec");
        let operations = view::operations(&spec).expect("operations");
        let fixtures = fixtures.as_object().cloned().unwrap_or_default();
        kinds(&spec, &fixtures, &operations)
            .into_iter()
            .zip(&operations)
            .map(|(kind, found)| (format!("{} {}", found.method.as_str(), found.path), kind))
            .collect()
    }

    #[test]
    fn routes_are_classified_by_method_path_and_answer() {
        let route = |name: &str, kind: Option<&'static str>, echo_id| {
            let kind = kind.map(|kind| (kind, "thing".to_owned()));
            (name.to_owned(), RouteKind { kind, echo_id })
        };
        assert_eq!(
            classify(json!({})),
            [
                route("GET /v1/things", Some("list"), false),
                route("POST /v1/things", Some("create"), false),
                route("GET /v1/things/search", Some("search"), false),
                route("GET /v1/things/{thing}", Some("retrieve"), true),
                route("POST /v1/things/{thing}", Some("update"), true),
                route("DELETE /v1/things/{thing}", Some("delete"), true),
                route("POST /v1/things/{thing}/poke", Some("action"), true),
                // A list of things under another collection's name keeps no state of its own.
                route("GET /v1/owners/{owner}/gadgets", None, false),
                route("GET /v1/summary", None, false),
            ]
        );
    }

    #[test]
    fn a_fixture_decides_the_object_and_its_id() {
        // The fixture has no `id`: nothing is created, and no path parameter is its id.
        let kinds = classify(json!({"thing": {"object": "thing"}}));
        assert_eq!(kinds[1].1, RouteKind { kind: None, echo_id: false });
        let retrieve = RouteKind { kind: Some(("retrieve", "thing".to_owned())), echo_id: false };
        assert_eq!(kinds[3], ("GET /v1/things/{thing}".to_owned(), retrieve));
    }
}
