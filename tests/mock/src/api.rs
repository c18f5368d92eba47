//! The routes of the spec: for each operation, its path template, the schema of its parameters and
//! the response it answers with.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::MockError;

/// One path segment of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Param(String),
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A single object (a fixture or an object built from the schema).
    Object(Value),
    /// `{object: list|search_result, data: [item], has_more: false, url}`.
    List { object: String, item: Value },
    /// `application/pdf`.
    Pdf,
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Route {
    pub method: String,
    pub template: String,
    pub segments: Vec<Segment>,
    /// An object schema of every parameter: query parameters and request-body properties.
    pub params: Value,
    /// Whether the request body is `multipart/form-data`.
    pub multipart: bool,
    pub reply: Reply,
    /// Whether the last path parameter is the id of the returned object.
    pub echo_id: bool,
}

/// The loaded spec and its routes.
#[derive(Debug)]
pub struct Api {
    pub spec: Value,
    pub fixtures: Map<String, Value>,
    pub routes: Vec<Route>,
}

/// A matched route with the decoded values of its path parameters.
pub struct Matched<'a> {
    pub route: &'a Route,
    pub path_params: Vec<(String, String)>,
}

/// The outcome of routing a request.
pub enum Routing<'a> {
    Found(Matched<'a>),
    /// The path matches only with an empty path parameter (`/v1/customers//sources`).
    EmptyParam(String),
    NotFound,
}

/// Reads the spec (YAML or JSON) into a JSON value.
pub fn load_spec(path: &Path) -> Result<Value, MockError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| MockError::Read { path: path.to_owned(), source })?;
    serde_yaml::from_str(&text)
        .map_err(|err| MockError::Parse { path: path.to_owned(), message: err.to_string() })
}

/// Reads `fixtures3.json` (`{"resources": {...}}`).
pub fn load_fixtures(path: &Path) -> Result<Map<String, Value>, MockError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| MockError::Read { path: path.to_owned(), source })?;
    let mut document: Value = serde_json::from_str(&text)
        .map_err(|err| MockError::Parse { path: path.to_owned(), message: err.to_string() })?;
    match document.get_mut("resources").map(Value::take) {
        Some(Value::Object(resources)) => Ok(resources),
        _ => Err(MockError::Parse {
            path: path.to_owned(),
            message: "no `resources` object".to_owned(),
        }),
    }
}

const METHODS: [&str; 4] = ["get", "post", "delete", "put"];

impl Api {
    pub fn load(spec: &Path, fixtures: &Path) -> Result<Api, MockError> {
        Api::new(load_spec(spec)?, load_fixtures(fixtures)?)
    }

    pub fn new(spec: Value, fixtures: Map<String, Value>) -> Result<Api, MockError> {
        let paths = spec
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| MockError::Spec("the spec has no `paths`".to_owned()))?;
        let mut routes = Vec::new();
        for (template, item) in paths {
            for method in METHODS {
                let Some(operation) = item.get(method) else { continue };
                routes.push(route(&spec, &fixtures, template, method, operation)?);
            }
        }
        Ok(Api { spec, fixtures, routes })
    }

    /// Finds the operation for `method` and `path`; literal segments win over parameters.
    pub fn route(&self, method: &str, path: &str) -> Routing<'_> {
        let method = method.to_ascii_lowercase();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut best: Option<(&Route, Vec<bool>)> = None;
        let mut empty_param = None;
        for route in self.routes.iter().filter(|route| route.method == method) {
            if route.segments.len() != segments.len() {
                continue;
            }
            let mut rank = Vec::with_capacity(segments.len());
            let mut matched = true;
            for (template, actual) in route.segments.iter().zip(&segments) {
                match template {
                    Segment::Literal(literal) if literal == actual => rank.push(true),
                    Segment::Param(name) if actual.is_empty() => {
                        empty_param.get_or_insert_with(|| name.clone());
                        matched = false;
                        break;
                    }
                    Segment::Param(_) => rank.push(false),
                    Segment::Literal(_) => {
                        matched = false;
                        break;
                    }
                }
            }
            // `true` (literal) sorts after `false`, so the greater rank prefers literals earliest.
            if matched && best.as_ref().is_none_or(|(_, best_rank)| rank > *best_rank) {
                best = Some((route, rank));
            }
        }
        match (best, empty_param) {
            (Some((route, _)), _) => {
                let path_params = route
                    .segments
                    .iter()
                    .zip(&segments)
                    .filter_map(|(template, actual)| match template {
                        Segment::Param(name) => {
                            Some((name.clone(), super::form::decode_segment(actual)))
                        }
                        Segment::Literal(_) => None,
                    })
                    .collect();
                Routing::Found(Matched { route, path_params })
            }
            (None, Some(name)) => Routing::EmptyParam(name),
            (None, None) => Routing::NotFound,
        }
    }
}

fn route(
    spec: &Value,
    fixtures: &Map<String, Value>,
    template: &str,
    method: &str,
    operation: &Value,
) -> Result<Route, MockError> {
    let at = |what: &str| MockError::Spec(format!("{} {template}: {what}", method.to_uppercase()));
    let segments = template
        .trim_start_matches('/')
        .split('/')
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => Segment::Param(name.to_owned()),
            None => Segment::Literal(segment.to_owned()),
        })
        .collect();

    let mut properties = Map::new();
    let mut required = Vec::new();
    for parameter in operation.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let parameter = resolve(spec, parameter);
        if parameter.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| at("a parameter without a name"))?;
        properties.insert(name.to_owned(), parameter.get("schema").cloned().unwrap_or(json!({})));
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
                let schema = resolve(spec, media.get("schema").unwrap_or(&Value::Null));
                for (name, property) in
                    schema.get("properties").and_then(Value::as_object).into_iter().flatten()
                {
                    properties.insert(name.clone(), property.clone());
                }
                required.extend(
                    schema.get("required").and_then(Value::as_array).into_iter().flatten().cloned(),
                );
            }
        }
    }
    let params = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });

    let content = operation
        .pointer("/responses/200/content")
        .and_then(Value::as_object)
        .ok_or_else(|| at("no 200 response"))?;
    let reply = if let Some(media) = content.get("application/json") {
        reply(spec, fixtures, media.get("schema").unwrap_or(&Value::Null))
    } else if content.contains_key("application/pdf") {
        Reply::Pdf
    } else {
        return Err(at("a 200 response that is neither JSON nor PDF"));
    };
    let echo_id = match (&reply, template.rsplit('/').next()) {
        (Reply::Object(object), Some(last)) if object.get("id").is_some() => {
            last.starts_with('{')
                || owns_last_param(
                    template,
                    object.get("object").and_then(Value::as_str).unwrap_or(""),
                )
        }
        _ => false,
    };
    Ok(Route {
        method: method.to_owned(),
        template: template.to_owned(),
        segments,
        params,
        multipart,
        reply,
        echo_id,
    })
}

/// `/v1/payment_intents/{intent}/confirm` returns the `payment_intent` whose id is `{intent}`: the
/// literal segment before the last parameter names the returned object's type.
fn owns_last_param(template: &str, object: &str) -> bool {
    let segments: Vec<&str> = template.split('/').collect();
    let Some(last_param) = segments.iter().rposition(|segment| segment.starts_with('{')) else {
        return false;
    };
    let Some(collection) = last_param.checked_sub(1).and_then(|at| segments.get(at)) else {
        return false;
    };
    let singular = object.rsplit('.').next().unwrap_or(object);
    let plural = match singular.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{singular}s"),
    };
    !singular.is_empty()
        && (*collection == singular
            || *collection == plural
            || *collection == format!("{singular}es"))
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..16 {
        let Some(pointer) = value.get("$ref").and_then(Value::as_str) else { break };
        match pointer.strip_prefix('#').and_then(|pointer| spec.pointer(pointer)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

fn reply(spec: &Value, fixtures: &Map<String, Value>, schema: &Value) -> Reply {
    let resolved = resolve(spec, schema);
    if let Some(first) =
        resolved.get("anyOf").and_then(Value::as_array).and_then(|branches| branches.first())
    {
        return reply(spec, fixtures, first);
    }
    let list_object = resolved
        .pointer("/properties/object/enum/0")
        .and_then(Value::as_str)
        .filter(|object| *object == "list" || *object == "search_result");
    if let (Some(object), Some(items), None) =
        (list_object, resolved.pointer("/properties/data/items"), resolved.get("x-resourceId"))
    {
        return Reply::List { object: object.to_owned(), item: example(spec, fixtures, items, 0) };
    }
    Reply::Object(example(spec, fixtures, schema, 0))
}

/// The fixture of a resource schema, or else a minimal object built from the schema: required
/// fields with placeholder values.
pub fn example(spec: &Value, fixtures: &Map<String, Value>, schema: &Value, depth: usize) -> Value {
    let resolved = resolve(spec, schema);
    if let Some(fixture) =
        resolved.get("x-resourceId").and_then(Value::as_str).and_then(|id| fixtures.get(id))
    {
        return fixture.clone();
    }
    if depth > 8 {
        return Value::Null;
    }
    if let Some(first) =
        resolved.get("anyOf").and_then(Value::as_array).and_then(|branches| branches.first())
    {
        // Expandable fields: `anyOf: [string, $ref]` are answered with the id.
        return example(spec, fixtures, first, depth + 1);
    }
    if let Some(first) =
        resolved.get("enum").and_then(Value::as_array).and_then(|options| options.first())
    {
        return first.clone();
    }
    if resolved.get("nullable").and_then(Value::as_bool) == Some(true) && depth > 0 {
        return Value::Null;
    }
    match resolved.get("type").and_then(Value::as_str) {
        Some("string") => Value::from("placeholder"),
        Some("integer") => Value::from(0),
        Some("number") => Value::from(0.0),
        Some("boolean") => Value::from(false),
        Some("array") => json!([]),
        Some("object") => {
            let mut object = Map::new();
            let properties = resolved.get("properties").and_then(Value::as_object);
            for name in resolved
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let property =
                    properties.and_then(|properties| properties.get(name)).unwrap_or(&Value::Null);
                object.insert(name.to_owned(), example(spec, fixtures, property, depth + 1));
            }
            Value::Object(object)
        }
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_api() -> Api {
        let ok =
            |schema: Value| json!({"200": {"content": {"application/json": {"schema": schema}}}});
        let spec = json!({
            "paths": {
                "/v1/things/{thing}": {"get": {"responses": ok(json!({"$ref": "#/components/schemas/thing"}))}},
                "/v1/things/special": {"get": {"responses": ok(json!({"$ref": "#/components/schemas/summary"}))}},
            },
            "components": {"schemas": {
                "thing": {"type": "object", "x-resourceId": "thing", "properties": {"id": {"type": "string"}}},
                "summary": {
                    "type": "object",
                    "required": ["count", "kind", "parts", "owner", "note"],
                    "properties": {
                        "count": {"type": "integer"},
                        "kind": {"type": "string", "enum": ["a", "b"]},
                        "parts": {"type": "array", "items": {"type": "string"}},
                        "owner": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/thing"}]},
                        "note": {"type": "string", "nullable": true},
                        "optional": {"type": "string"},
                    },
                },
            }},
        });
        let fixtures = json!({"thing": {"id": "th_1", "object": "thing"}});
        Api::new(spec, fixtures.as_object().cloned().unwrap_or_default())
            .expect("a valid tiny spec")
    }

    #[test]
    fn literal_segments_win_and_objects_without_fixtures_are_built() {
        let api = tiny_api();
        let Routing::Found(special) = api.route("GET", "/v1/things/special") else {
            panic!("routed")
        };
        assert_eq!(special.route.template, "/v1/things/special");
        let Reply::Object(summary) = &special.route.reply else { panic!("an object") };
        assert_eq!(
            summary,
            &json!({"count": 0, "kind": "a", "parts": [], "owner": "placeholder", "note": null})
        );
        let Routing::Found(thing) = api.route("GET", "/v1/things/th_2") else { panic!("routed") };
        assert_eq!(thing.path_params, vec![("thing".to_owned(), "th_2".to_owned())]);
        assert!(thing.route.echo_id);
        assert!(matches!(api.route("POST", "/v1/things/th_2"), Routing::NotFound));
        assert!(
            matches!(api.route("GET", "/v1/things/"), Routing::EmptyParam(name) if name == "thing")
        );
    }
}
