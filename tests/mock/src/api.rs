//! The routes of the API: for each operation, its path template, the schema of its parameters, its
//! response schema, the example it answers with, and what it does to the stored objects.
//!
//! Everything comes from `data/stripe.json`, generated from the pinned spec and fixtures by
//! `cargo xtask generate` and embedded in the crate, so the mock reads no file at run time.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::Error;

/// The generated data: routes, trimmed component schemas and fixtures.
const DATA: &str = include_str!("../data/stripe.json");

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

/// What an operation does to the stored objects of one resource (`x-resourceId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `POST /v1/customers`: stores a new object with a fresh id.
    Create(String),
    /// `GET /v1/customers/{customer}`.
    Retrieve(String),
    /// `POST /v1/customers/{customer}`: merges the parameters into the stored object.
    Update(String),
    /// `DELETE /v1/customers/{customer}`.
    Delete(String),
    /// `GET /v1/customers`: the stored objects, newest first, with cursors.
    List(String),
    /// `GET /v1/customers/search`.
    Search(String),
    /// `POST /v1/payment_intents/{intent}/confirm`: an action on a stored object, answered with it.
    Action(String),
    /// Everything else: the example object, with the request's values reflected into it.
    Generic,
}

impl Kind {
    /// The resource this operation keeps state for, if any.
    pub fn resource(&self) -> Option<&str> {
        match self {
            Kind::Create(r)
            | Kind::Retrieve(r)
            | Kind::Update(r)
            | Kind::Delete(r)
            | Kind::List(r)
            | Kind::Search(r)
            | Kind::Action(r) => Some(r),
            Kind::Generic => None,
        }
    }
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Route {
    pub method: String,
    pub template: String,
    /// Stripe's operation id, such as `PostCustomers`.
    pub operation: String,
    pub segments: Vec<Segment>,
    /// An object schema of every parameter: query parameters and request-body properties.
    pub params: Value,
    /// Whether the request body is `multipart/form-data`.
    pub multipart: bool,
    /// The response schema (`Value::Null` for a PDF).
    pub response: Value,
    pub reply: Reply,
    /// Whether the last path parameter is the id of the returned object.
    pub echo_id: bool,
    pub kind: Kind,
}

/// The loaded data and its routes.
#[derive(Debug)]
pub struct Api {
    /// The generated document: `components.schemas` (what `$ref`s point into) and `fixtures`.
    pub data: Value,
    /// The API version of the spec the data was generated from.
    pub version: String,
    pub routes: Vec<Route>,
    /// The v1 event types the spec lists (the values of a webhook endpoint's `enabled_events`,
    /// written into the data by the generator).
    pub event_types: std::collections::BTreeSet<String>,
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

impl Api {
    /// The data embedded in this crate, parsed once per process.
    pub fn embedded() -> Result<&'static Api, Error> {
        static API: OnceLock<Result<Api, String>> = OnceLock::new();
        API.get_or_init(|| Api::from_json(DATA).map_err(|err| err.to_string()))
            .as_ref()
            .map_err(|message| Error::Data(message.clone()))
    }

    /// Parses data in the format of `data/stripe.json`.
    pub fn from_json(text: &str) -> Result<Api, Error> {
        let data: Value =
            serde_json::from_str(text).map_err(|err| Error::Data(format!("not JSON: {err}")))?;
        Api::new(data)
    }

    pub fn new(data: Value) -> Result<Api, Error> {
        let version = data.get("version").and_then(Value::as_str).unwrap_or("").to_owned();
        let mut routes = Vec::new();
        for entry in data.get("routes").and_then(Value::as_array).into_iter().flatten() {
            routes.push(route(&data, entry)?);
        }
        if routes.is_empty() {
            return Err(Error::Data("no routes".to_owned()));
        }
        classify(&mut routes);
        let event_types = data
            .get("event_types")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        Ok(Api { data, version, routes, event_types })
    }

    /// Follows `$ref`s into `components.schemas`.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        resolve(&self.data, schema)
    }

    /// The fixture of a resource (`customer`), if the data has one.
    pub fn fixture(&self, resource: &str) -> Option<&Value> {
        self.data.get("fixtures").and_then(|fixtures| fixtures.get(resource))
    }

    /// The component schema of a resource (`x-resourceId`), if there is one.
    pub fn resource_schema(&self, resource: &str) -> Option<&Value> {
        let schemas = self.data.pointer("/components/schemas").and_then(Value::as_object)?;
        schemas
            .get(resource)
            .filter(|schema| is_resource(schema, resource))
            .or_else(|| schemas.values().find(|schema| is_resource(schema, resource)))
    }

    /// An example object of `schema`: its fixture, or required fields with placeholder values.
    pub fn example(&self, schema: &Value) -> Value {
        example(&self.data, schema, 0)
    }

    /// An example of a resource, by `x-resourceId`.
    pub fn example_of(&self, resource: &str) -> Value {
        match (self.fixture(resource), self.resource_schema(resource)) {
            (Some(fixture), _) => fixture.clone(),
            (None, Some(schema)) => self.example(schema),
            (None, None) => json!({ "object": resource }),
        }
    }

    /// The route of an operation, by operation id (`PostCustomers`) or `METHOD /path`
    /// (`POST /v1/customers`).
    pub fn operation(&self, name: &str) -> Option<&Route> {
        let name = name.trim();
        if let Some((method, path)) = name.split_once(' ') {
            let method = method.to_ascii_lowercase();
            return self
                .routes
                .iter()
                .find(|route| route.method == method && route.template == path.trim());
        }
        self.routes.iter().find(|route| route.operation == name)
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
                            Some((name.clone(), crate::form::decode_segment(actual)))
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

fn is_resource(schema: &Value, resource: &str) -> bool {
    schema.get("x-resourceId").and_then(Value::as_str) == Some(resource)
}

fn route(data: &Value, entry: &Value) -> Result<Route, Error> {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Error::Data(format!("a route without `{key}`: {entry}")))
    };
    let (method, template, operation) = (text("method")?, text("path")?, text("operation")?);
    let segments = template
        .trim_start_matches('/')
        .split('/')
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => Segment::Param(name.to_owned()),
            None => Segment::Literal(segment.to_owned()),
        })
        .collect();
    let response = entry.get("response").cloned().unwrap_or(Value::Null);
    let (reply, response) = if response == "pdf" {
        (Reply::Pdf, Value::Null)
    } else {
        (reply(data, &response), response)
    };
    Ok(Route {
        method,
        template,
        operation,
        segments,
        params: entry.get("params").cloned().unwrap_or_else(|| json!({"type": "object"})),
        multipart: entry.get("multipart").and_then(Value::as_bool).unwrap_or(false),
        response,
        reply,
        echo_id: entry.get("echo_id").and_then(Value::as_bool).unwrap_or(false),
        kind: Kind::from_entry(entry)?,
    })
}

impl Kind {
    /// The generator's decision (`"kind": "create", "resource": "customer"`; no `kind`: generic).
    fn from_entry(entry: &Value) -> Result<Kind, Error> {
        let Some(kind) = entry.get("kind").and_then(Value::as_str) else {
            return Ok(Kind::Generic);
        };
        let resource = entry.get("resource").and_then(Value::as_str).map(str::to_owned);
        let resource = resource
            .ok_or_else(|| Error::Data(format!("a route of kind `{kind}` without `resource`")))?;
        Ok(match kind {
            "create" => Kind::Create(resource),
            "retrieve" => Kind::Retrieve(resource),
            "update" => Kind::Update(resource),
            "delete" => Kind::Delete(resource),
            "list" => Kind::List(resource),
            "search" => Kind::Search(resource),
            "action" => Kind::Action(resource),
            other => return Err(Error::Data(format!("a route of unknown kind `{other}`"))),
        })
    }
}

/// Which resources keep state: the generator decides what each route does (`codegen`'s
/// `mock_routes`), and a resource keeps state only if the API can create it (or, for `event`, the
/// mock does). The routes of the other resources (balance transactions, …) are answered with
/// examples, as nothing would ever be found.
fn classify(routes: &mut [Route]) {
    let creatable: std::collections::HashSet<String> = routes
        .iter()
        .filter_map(|route| match &route.kind {
            Kind::Create(resource) => Some(resource.clone()),
            _ => None,
        })
        .chain(["event".to_owned(), crate::engine::THIN_EVENT.to_owned()])
        .collect();
    for route in routes {
        if route.kind.resource().is_some_and(|resource| !creatable.contains(resource)) {
            route.kind = Kind::Generic;
        }
    }
}

/// Follows `$ref`s (`#/components/schemas/...`) in `data`.
pub fn resolve<'a>(data: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..16 {
        let Some(pointer) = value.get("$ref").and_then(Value::as_str) else { break };
        match pointer.strip_prefix('#').and_then(|pointer| data.pointer(pointer)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

fn reply(data: &Value, schema: &Value) -> Reply {
    let resolved = resolve(data, schema);
    if let Some(first) =
        resolved.get("anyOf").and_then(Value::as_array).and_then(|branches| branches.first())
    {
        return reply(data, first);
    }
    if let (Some(object), Some(items)) = (list_object(resolved), list_items(resolved)) {
        return Reply::List { object: object.to_owned(), item: example(data, items, 0) };
    }
    Reply::Object(example(data, schema, 0))
}

/// `list` or `search_result` for a list envelope schema (not a resource); `v2_list` for a v2 page
/// (`data` and `next_page_url`, untagged).
pub fn list_object(schema: &Value) -> Option<&str> {
    if schema.get("x-resourceId").is_some() {
        return None;
    }
    if schema.pointer("/properties/data/items").is_some()
        && schema.pointer("/properties/next_page_url").is_some()
    {
        return Some("v2_list");
    }
    schema
        .pointer("/properties/object/enum/0")
        .and_then(Value::as_str)
        .filter(|object| *object == "list" || *object == "search_result")
}

/// The item schema of a list envelope.
pub fn list_items(schema: &Value) -> Option<&Value> {
    schema.pointer("/properties/data/items")
}

/// The fixture of a resource schema, or else a minimal object built from the schema: required
/// fields with placeholder values.
pub fn example(data: &Value, schema: &Value, depth: usize) -> Value {
    let resolved = resolve(data, schema);
    if let Some(fixture) = resolved
        .get("x-resourceId")
        .and_then(Value::as_str)
        .and_then(|id| data.get("fixtures").and_then(|fixtures| fixtures.get(id)))
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
        return example(data, first, depth + 1);
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
        Some("string") => match resolved.get("format").and_then(Value::as_str) {
            // The v2 API's timestamps: the mock's clock, in RFC 3339.
            Some("date-time") => Value::from(crate::clock::rfc3339(crate::clock::system_now())),
            Some("currency") => Value::from("usd"),
            _ => Value::from("placeholder"),
        },
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
                object.insert(name.to_owned(), example(data, property, depth + 1));
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
        let thing = json!({"$ref": "#/components/schemas/thing"});
        let data = json!({
            "version": "2023-08-16",
            "routes": [
                {"method": "get", "path": "/v1/things/{thing}", "operation": "GetThingsThing", "response": thing,
                 "kind": "retrieve", "resource": "thing", "echo_id": true},
                {"method": "post", "path": "/v1/things", "operation": "PostThings", "response": thing,
                 "kind": "create", "resource": "thing"},
                {"method": "get", "path": "/v1/gadgets/{gadget}", "operation": "GetGadgetsGadget", "response": thing,
                 "kind": "retrieve", "resource": "gadget", "echo_id": true},
                {"method": "get", "path": "/v1/things/special", "operation": "GetSpecial", "response": {"$ref": "#/components/schemas/summary"}},
            ],
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
            "fixtures": {"thing": {"id": "th_1", "object": "thing"}},
        });
        Api::new(data).expect("a valid tiny spec")
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
        assert_eq!(thing.route.kind, Kind::Retrieve("thing".to_owned()));
        assert_eq!(
            api.operation("POST /v1/things").map(|r| &r.kind),
            Some(&Kind::Create("thing".to_owned()))
        );
        assert_eq!(api.operation("GetSpecial").map(|r| &r.kind), Some(&Kind::Generic));
        // `gadget` cannot be created, so it keeps no state: its retrieval answers an example.
        assert_eq!(api.operation("GetGadgetsGadget").map(|r| &r.kind), Some(&Kind::Generic));
        let mut unknown =
            json!({"method": "get", "path": "/v1/x", "operation": "X", "kind": "poke"});
        assert!(Api::new(json!({"routes": [unknown.clone()]})).is_err(), "an unknown kind");
        unknown["kind"] = json!("retrieve");
        assert!(Api::new(json!({"routes": [unknown]})).is_err(), "a kind without a resource");
        assert!(matches!(api.route("POST", "/v1/things/th_2"), Routing::NotFound));
        assert!(
            matches!(api.route("GET", "/v1/things/"), Routing::EmptyParam(name) if name == "thing")
        );
    }

    #[test]
    fn the_embedded_data_loads() {
        let api = Api::embedded().expect("the embedded data parses");
        assert_eq!(api.routes.len(), 617);
        let create = api.operation("POST /v1/customers").expect("a route");
        assert_eq!(create.kind, Kind::Create("customer".to_owned()));
        let delete = api.operation("DeleteCustomersCustomer").expect("a route");
        assert_eq!(delete.kind, Kind::Delete("customer".to_owned()));
        let search = api.operation("GET /v1/customers/search").expect("a route");
        assert_eq!(search.kind, Kind::Search("customer".to_owned()));
        let kind = |name: &str| api.operation(name).map(|route| route.kind.clone());
        assert_eq!(kind("GET /v1/customers/{customer}/sources/{id}"), Some(Kind::Generic));
        assert_eq!(kind("GET /v1/customers/{customer}/sources"), Some(Kind::Generic));
        assert_eq!(kind("GET /v1/customers/{customer}/tax_ids"), Some(Kind::List("tax_id".into())));
        assert_eq!(kind("GET /v1/balance_transactions/{id}"), Some(Kind::Generic));
        assert_eq!(kind("GET /v1/events/{id}"), Some(Kind::Retrieve("event".into())));
        assert_eq!(
            kind("POST /v1/payment_intents/{intent}/confirm"),
            Some(Kind::Action("payment_intent".into()))
        );
    }
}
