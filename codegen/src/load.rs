//! Reading a spec file (YAML or JSON) and refusing schema keywords the generator does not handle.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// A parsed OpenAPI document.
pub struct Spec {
    pub openapi: openapiv3::OpenAPI,
}

/// Reads an OpenAPI document from a `.json`, `.yaml` or `.yml` file.
pub fn load_spec(path: &Path) -> Result<Spec> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| Error::Read { path: path.to_owned(), source })?;
    let is_json =
        path.extension().is_some_and(|ext| ext == "json") || text.trim_start().starts_with('{');
    let value: Value = if is_json {
        serde_json::from_str(&text)
            .map_err(|source| Error::Json { path: path.to_owned(), source })?
    } else {
        serde_yaml::from_str(&text)
            .map_err(|source| Error::Yaml { path: path.to_owned(), source })?
    };
    parse_spec(value).map_err(|err| match err {
        Error::Json { source, .. } => Error::Model { path: path.to_owned(), source },
        other => other,
    })
}

/// Parses an OpenAPI document already read into JSON.
pub fn parse_spec(value: Value) -> Result<Spec> {
    check_keywords(&value)?;
    let openapi = serde_json::from_value(value)
        .map_err(|source| Error::Json { path: Default::default(), source })?;
    Ok(Spec { openapi })
}

/// JSON Schema keywords the generator understands. Vendor extensions (`x-…`) are annotations and are
/// allowed; any other keyword fails generation instead of being dropped silently.
const KNOWN_KEYWORDS: &[&str] = &[
    "$ref",
    "additionalProperties",
    "anyOf",
    "default",
    "deprecated",
    "description",
    "enum",
    "example",
    "format",
    "items",
    "maxItems",
    "maxLength",
    "maximum",
    "minItems",
    "minLength",
    "minimum",
    "nullable",
    "oneOf",
    "pattern",
    "properties",
    "readOnly",
    "required",
    "title",
    "type",
    "uniqueItems",
    "writeOnly",
];

fn check_keywords(spec: &Value) -> Result<()> {
    if let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            check_schema(schema, &format!("#/components/schemas/{}", escape(name)))?;
        }
    }
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let pointer = format!("#/paths/{}", escape(path));
            for (method, operation) in item.as_object().into_iter().flatten() {
                check_operation(operation, &format!("{pointer}/{method}"))?;
            }
        }
    }
    Ok(())
}

fn check_operation(operation: &Value, pointer: &str) -> Result<()> {
    for (index, parameter) in
        operation.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate()
    {
        if let Some(schema) = parameter.get("schema") {
            check_schema(schema, &format!("{pointer}/parameters/{index}/schema"))?;
        }
    }
    let bodies = ["requestBody"]
        .iter()
        .filter_map(|key| operation.get(*key).map(|body| (key.to_string(), body)));
    let responses = operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(status, response)| (format!("responses/{status}"), response));
    for (prefix, body) in bodies.chain(responses) {
        for (media, content) in body.get("content").and_then(Value::as_object).into_iter().flatten()
        {
            if let Some(schema) = content.get("schema") {
                check_schema(
                    schema,
                    &format!("{pointer}/{prefix}/content/{}/schema", escape(media)),
                )?;
            }
        }
    }
    Ok(())
}

fn check_schema(schema: &Value, pointer: &str) -> Result<()> {
    let Some(object) = schema.as_object() else {
        return Err(Error::unsupported(pointer, "a schema must be a JSON object"));
    };
    for (key, value) in object {
        if key.starts_with("x-") {
            continue;
        }
        if !KNOWN_KEYWORDS.contains(&key.as_str()) {
            return Err(Error::unsupported(
                pointer,
                format!("schema keyword `{key}` is not supported by the generator"),
            ));
        }
        let child = format!("{pointer}/{key}");
        match key.as_str() {
            "properties" => {
                for (name, property) in value.as_object().into_iter().flatten() {
                    check_schema(property, &format!("{child}/{}", escape(name)))?;
                }
            }
            "items" => check_schema(value, &child)?,
            "additionalProperties" if value.is_object() => check_schema(value, &child)?,
            "anyOf" | "oneOf" => {
                for (index, branch) in value.as_array().into_iter().flatten().enumerate() {
                    check_schema(branch, &format!("{child}/{index}"))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Escapes a JSON pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
