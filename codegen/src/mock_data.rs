//! The data of the mock server (`tests/mock`, crate `stripe-sdk-mock`), generated so that the mock
//! needs no spec file at run time: one route per operation (method, path, operation id, the schema
//! of its parameters, its response schema), the component schemas trimmed to what validation,
//! expansion and example objects read, and the fixtures of `fixtures3.json`.
//!
//! The file is JSON (the mock embeds it with `include_str!`), written one route, schema or fixture
//! per line so that a spec update shows as a readable diff. Its first key, `@generated`, is the
//! header.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::schema_json::{resolve, strings};
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

const METHODS: [&str; 4] = ["get", "post", "delete", "put"];

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

/// The mock's data file, from `spec` and the fixtures.
pub(crate) fn file(spec: &Spec, fixtures: &Fixtures) -> Result<(String, String)> {
    let openapi = serde_json::to_value(&spec.openapi)
        .map_err(|source| Error::Json { path: PathBuf::new(), source })?;
    Ok((MOCK_DATA.to_owned(), render(&openapi, &fixtures.0)?))
}

/// The whole file: header, API version, routes, schemas and fixtures.
fn render(openapi: &Value, fixtures: &Map<String, Value>) -> Result<String> {
    let version = openapi.pointer("/info/version").and_then(Value::as_str).unwrap_or("");
    let header = format!(
        "by `cargo xtask generate` from Stripe's OpenAPI spec (API version {version}) and its \
         fixtures; do not edit by hand: change codegen/src/mock_data.rs and run the command again"
    );
    let mut text = String::from("{\n");
    text.push_str(&format!("\"@generated\": {},\n", Value::from(header)));
    text.push_str(&format!("\"version\": {},\n", Value::from(version)));
    text.push_str("\"routes\": [\n");
    push_lines(&mut text, routes(openapi)?.iter().map(|route| route.to_string()));
    text.push_str("],\n\"components\": {\"schemas\": {\n");
    let schemas = openapi.pointer("/components/schemas").and_then(Value::as_object);
    push_lines(
        &mut text,
        schemas.into_iter().flatten().map(|(name, schema)| entry(name, &trim(schema))),
    );
    text.push_str("}},\n\"fixtures\": {\n");
    push_lines(&mut text, fixtures.iter().map(|(name, fixture)| entry(name, fixture)));
    text.push_str("}\n}\n");
    Ok(text)
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

/// One route per operation, in the spec's order.
fn routes(openapi: &Value) -> Result<Vec<Value>> {
    let mut routes = Vec::new();
    let paths = openapi.get("paths").and_then(Value::as_object);
    for (template, item) in paths.into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                routes.push(route(openapi, template, method, operation)?);
            }
        }
    }
    Ok(routes)
}

fn route(openapi: &Value, template: &str, method: &str, operation: &Value) -> Result<Value> {
    let pointer = format!("/paths/{}/{method}", template.replace('~', "~0").replace('/', "~1"));
    let mut properties = Map::new();
    let mut required = Vec::new();
    for parameter in operation.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let parameter = resolve(openapi, parameter);
        if parameter.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::unsupported(&pointer, "a parameter without a name"))?;
        properties.insert(name.to_owned(), trim(parameter.get("schema").unwrap_or(&json!({}))));
        if parameter.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::from(name));
        }
    }
    let mut multipart = false;
    if method != "get" {
        if let Some(content) = operation.pointer("/requestBody/content").and_then(Value::as_object)
        {
            multipart = content.contains_key("multipart/form-data")
                && !content.contains_key("application/x-www-form-urlencoded");
            if let Some((_, media)) = content.iter().next() {
                let schema = resolve(openapi, media.get("schema").unwrap_or(&Value::Null));
                for (name, property) in
                    schema.get("properties").and_then(Value::as_object).into_iter().flatten()
                {
                    properties.insert(name.clone(), trim(property));
                }
                required.extend(strings(schema, "required").map(Value::from));
            }
        }
    }
    let content = operation
        .pointer("/responses/200/content")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::unsupported(&pointer, "no 200 response"))?;
    let response = if let Some(media) = content.get("application/json") {
        trim(media.get("schema").unwrap_or(&Value::Null))
    } else if content.contains_key("application/pdf") {
        Value::from("pdf")
    } else {
        return Err(Error::unsupported(&pointer, "a 200 response that is neither JSON nor PDF"));
    };
    Ok(json!({
        "method": method,
        "path": template,
        "operation": operation.get("operationId").and_then(Value::as_str).unwrap_or(""),
        "params": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        },
        "multipart": multipart,
        "response": response,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_schemas_and_builds_routes() {
        let openapi = json!({
            "info": {"version": "2023-08-16"},
            "paths": {"/v1/things/{thing}": {
                "post": {
                    "operationId": "PostThingsThing",
                    "parameters": [{"in": "query", "name": "expand", "required": true, "schema": {"type": "array", "description": "d"}}],
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"properties": {"name": {"type": "string", "maxLength": 5, "description": "x"}}}}}},
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}}},
                },
            }},
            "components": {"schemas": {"thing": {"title": "T", "x-resourceId": "thing", "properties": {"description": {"type": "string", "description": "kept name"}}}}},
        });
        let fixtures = json!({"thing": {"id": "th_1"}});
        let text = render(&openapi, fixtures.as_object().unwrap_or(&Map::new())).expect("renders");
        let data: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(
            data["routes"][0]["params"]["properties"],
            json!({"expand": {"type": "array"}, "name": {"type": "string", "maxLength": 5}})
        );
        assert_eq!(data["routes"][0]["params"]["required"], json!(["expand"]));
        assert_eq!(data["routes"][0]["operation"], "PostThingsThing");
        assert_eq!(
            data["components"]["schemas"]["thing"],
            json!({"x-resourceId": "thing", "properties": {"description": {"type": "string"}}})
        );
        assert_eq!(data["fixtures"]["thing"]["id"], "th_1");
        assert!(text.lines().count() > 8, "one entry per line");
    }
}
