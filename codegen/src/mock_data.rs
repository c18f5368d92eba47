//! The data of the mock server (`tests/mock`, crate `stripe-sdk-mock`), generated so that the mock
//! needs no spec file at run time: one route per operation (method, path, operation id, the schema
//! of its parameters, its response schema, and what it does to the stored objects, decided in
//! `mock_routes`), the component schemas trimmed to what validation, expansion and example objects
//! read, and the fixtures of `fixtures3.json`.
//!
//! The file is JSON (the mock embeds it with `include_str!`), written one route, schema or fixture
//! per line so that a spec update shows as a readable diff. Its first key, `@generated`, is the
//! header.

use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::ir::HttpMethod;
use crate::mock_routes::{self, RouteKind};
use crate::view::{self, Node, SpecOperation};
use crate::Spec;

use crate::layout::MOCK_DATA;

/// The schema keywords the mock reads; everything else (descriptions, titles, examples) is dropped.
const KEPT: &[&str] = &[
    "$ref",
    "additionalProperties",
    "anyOf",
    "enum",
    "format",
    "items",
    "maxLength",
    "nullable",
    "oneOf",
    "properties",
    "required",
    "type",
    "x-expandableFields",
    "x-expansionResources",
    "x-resourceId",
    "x-stripeBypassValidation",
];

/// Stripe's example objects (`fixtures3.json`, its `resources`), by resource id.
#[derive(Debug, Clone, Default)]
pub struct Fixtures(Map<String, Value>);

impl Fixtures {
    /// No examples: the mock builds its example objects from the schemas.
    pub fn none() -> Fixtures {
        Fixtures::default()
    }

    /// Reads a fixtures file.
    pub fn load(path: &Path) -> Result<Fixtures> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Read { path: path.to_owned(), source })?;
        let mut document: Value = serde_json::from_str(&text)
            .map_err(|source| Error::Json { path: path.to_owned(), source })?;
        match document.get_mut("resources").map(Value::take) {
            Some(Value::Object(resources)) => Ok(Fixtures(resources)),
            _ => Err(Error::unsupported(&path.display().to_string(), "no `resources` object")),
        }
    }

    /// The fixtures file next to `spec` (`fixtures3.json`), or none when there is no such file.
    pub fn beside(spec: &Path) -> Result<Fixtures> {
        let path = spec.with_file_name("fixtures3.json");
        if path.is_file() {
            Fixtures::load(&path)
        } else {
            Ok(Fixtures::none())
        }
    }
}

/// The mock's data file, from `spec`, the fixtures and the event types the generator found.
pub(crate) fn file(
    spec: &Spec,
    fixtures: &Fixtures,
    event_types: &[&str],
) -> Result<(String, String)> {
    Ok((MOCK_DATA.to_owned(), render(&spec.openapi, &fixtures.0, event_types)?))
}

/// The whole file: header, API version, event types, routes, schemas and fixtures.
fn render(spec: &OpenAPI, fixtures: &Map<String, Value>, event_types: &[&str]) -> Result<String> {
    let version = &spec.info.version;
    let header = format!(
        "by `cargo xtask generate` from Stripe's OpenAPI spec (API version {version}) and its \
         fixtures; do not edit by hand: change codegen/src/mock_data.rs and run the command again"
    );
    let mut text = String::from("{\n");
    text.push_str(&format!("\"@generated\": {},\n", Value::from(header)));
    text.push_str(&format!("\"version\": {},\n", Value::from(version.as_str())));
    text.push_str(&format!("\"event_types\": {},\n", json!(event_types)));
    text.push_str("\"routes\": [\n");
    let operations = view::operations(spec)?;
    let kinds = mock_routes::kinds(spec, fixtures, &operations);
    let routes = operations
        .iter()
        .zip(kinds)
        .map(|(found, kind)| route(spec, found, kind).map(|route| route.to_string()))
        .collect::<Result<Vec<_>>>()?;
    push_lines(&mut text, routes.into_iter());
    text.push_str("],\n\"components\": {\"schemas\": {\n");
    let schemas = spec.components.iter().flat_map(|components| &components.schemas);
    let schemas = schemas
        .map(|(name, schema)| Ok(entry(name, &trim(&json(schema)?))))
        .collect::<Result<Vec<_>>>()?;
    push_lines(&mut text, schemas.into_iter());
    text.push_str("}},\n\"fixtures\": {\n");
    push_lines(&mut text, fixtures.iter().map(|(name, fixture)| entry(name, fixture)));
    text.push_str("}\n}\n");
    Ok(text)
}

/// A part of the typed spec as the JSON it was read from.
fn json(part: &impl Serialize) -> Result<Value> {
    serde_json::to_value(part).map_err(|source| Error::Json { path: PathBuf::new(), source })
}

fn entry(name: &str, value: &Value) -> String {
    format!("{}: {value}", Value::from(name))
}

fn push_lines(text: &mut String, lines: impl Iterator<Item = String>) {
    let mut first = true;
    for line in lines {
        if !first {
            text.push_str(",\n");
        }
        first = false;
        text.push_str(&line);
    }
    text.push('\n');
}

/// A schema with only the keywords in [`KEPT`] (property names are kept whatever they are).
fn trim(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| KEPT.contains(&key.as_str()))
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("properties", Value::Object(properties)) => Value::Object(
                            properties.iter().map(|(name, p)| (name.clone(), trim(p))).collect(),
                        ),
                        _ => trim(value),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(trim).collect()),
        other => other.clone(),
    }
}

/// One operation's route: its parameters (query, then body) as one object schema, whether the
/// body is multipart, the schema of its `200` response (or `"pdf"`), and what it does to the
/// mock's stored objects (see [`mock_routes`]).
fn route(spec: &OpenAPI, found: &SpecOperation, kind: RouteKind) -> Result<Value> {
    let SpecOperation { method, path, pointer, operation } = found;
    let mut properties = Map::new();
    let mut required = Vec::new();
    let parameters = view::parameters(operation, pointer)?;
    for parameter in parameters.into_iter().filter(|parameter| parameter.location == "query") {
        let schema = parameter.schema.map(node_json).transpose()?.unwrap_or_else(|| json!({}));
        properties.insert(parameter.name.to_owned(), trim(&schema));
        if parameter.required {
            required.push(Value::from(parameter.name));
        }
    }
    let mut multipart = false;
    if *method != HttpMethod::Get {
        let media: Vec<(&str, Node)> = view::body_schemas(operation).collect();
        multipart = media.iter().any(|(media, _)| *media == "multipart/form-data")
            && !media.iter().any(|(media, _)| *media == "application/x-www-form-urlencoded");
        let object = media.first().and_then(|(_, schema)| schema.resolve(spec));
        if let Some(object) = object.filter(|object| is_object(object)) {
            for (name, property) in view::properties(object) {
                properties.insert(name.to_owned(), trim(&node_json(property)?));
            }
            required.extend(view::required(object).iter().map(|name| Value::from(name.as_str())));
        }
    }
    let content = match operation.responses.responses.get(&StatusCode::Code(200)) {
        Some(ReferenceOr::Item(response)) => &response.content,
        _ => return Err(Error::unsupported(pointer, "no 200 response")),
    };
    let response = if let Some(media) = content.get("application/json") {
        trim(&media.schema.as_ref().map(json).transpose()?.unwrap_or(Value::Null))
    } else if content.contains_key("application/pdf") {
        Value::from("pdf")
    } else {
        return Err(Error::unsupported(pointer, "a 200 response that is neither JSON nor PDF"));
    };
    let mut route = json!({
        "method": method.as_str().to_ascii_lowercase(),
        "path": path,
        "operation": operation.operation_id.as_deref().unwrap_or(""),
        "params": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        },
        "multipart": multipart,
        "response": response,
    });
    if let Value::Object(fields) = &mut route {
        if let Some((kind, resource)) = kind.kind {
            fields.insert("kind".to_owned(), Value::from(kind));
            fields.insert("resource".to_owned(), Value::from(resource));
        }
        if kind.echo_id {
            fields.insert("echo_id".to_owned(), Value::from(true));
        }
    }
    Ok(route)
}

/// Whether a body schema is an object's (with or without `type: object`).
fn is_object(schema: &Schema) -> bool {
    matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_)) | SchemaKind::Any(_))
}

/// A schema of the typed spec as the JSON it was read from.
fn node_json(node: Node<'_>) -> Result<Value> {
    match node {
        Node::Ref(reference) => Ok(json!({ "$ref": reference })),
        Node::Inline(schema) => json(schema),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_schemas_and_builds_routes() {
        let openapi = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "2023-08-16"},
            "paths": {"/v1/things/{thing}": {
                "post": {
                    "operationId": "PostThingsThing",
                    "parameters": [{"in": "query", "name": "expand", "required": true, "schema": {"type": "array", "description": "d"}}],
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"properties": {"name": {"type": "string", "maxLength": 5, "description": "x"}}}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}}},
                },
            }},
            "components": {"schemas": {"thing": {"title": "T", "x-resourceId": "thing", "properties": {"description": {"type": "string", "description": "kept name"}}}}},
        });
        let fixtures = json!({"thing": {"id": "th_1"}});
        let spec: OpenAPI = serde_json::from_value(openapi).expect("a spec");
        let fixtures = fixtures.as_object().cloned().unwrap_or_default();
        let text = render(&spec, &fixtures, &["thing.created"]).expect("renders");
        let data: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(
            data["routes"][0]["params"]["properties"],
            json!({"expand": {"type": "array"}, "name": {"type": "string", "maxLength": 5}})
        );
        assert_eq!(data["routes"][0]["params"]["required"], json!(["expand"]));
        assert_eq!(data["routes"][0]["operation"], "PostThingsThing");
        assert_eq!(data["event_types"], json!(["thing.created"]));
        assert_eq!(
            data["components"]["schemas"]["thing"],
            json!({"x-resourceId": "thing", "properties": {"description": {"type": "string"}}})
        );
        assert_eq!(data["fixtures"]["thing"]["id"], "th_1");
        assert!(text.lines().count() > 8, "one entry per line");
    }
}
