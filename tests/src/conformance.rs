//! The conformance runner's pieces: the generated table of operations (`operations.rs`) calls each
//! generated SDK method through these helpers, and [`example`] builds parameter values from the
//! spec: only the required ones, or every one (nested objects and arrays filled, enums taken from
//! the spec, fields that can be unset sent as unset).

use std::future::Future;
use std::pin::Pin;

use codegen::view::{self, Node};
use openapiv3::{OpenAPI, Schema};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// A call in flight: `Ok` when the SDK sent the request and decoded the response.
pub type Call<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>;

/// One operation of the spec and how to call it through its generated method.
pub struct Operation {
    pub operation_id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub call: for<'a> fn(&'a stripe_sdk::Client, &'a [String], Value) -> Call<'a>,
}

/// Builds the operation's parameters type from JSON.
pub fn params<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|err| format!("building parameters: {err}"))
}

/// Checks that an operation without parameters was given none.
pub fn no_params(value: Value) -> Result<(), String> {
    match value {
        Value::Null => Ok(()),
        Value::Object(map) if map.is_empty() => Ok(()),
        other => Err(format!("the operation takes no parameters, but got {other}")),
    }
}

/// The path argument at `index`.
pub fn arg(path: &[String], index: usize) -> Result<&str, String> {
    path.get(index).map(String::as_str).ok_or_else(|| format!("missing path argument {index}"))
}

/// `Ok` if the SDK call succeeded, else the error as text.
pub fn outcome<T>(result: Result<T, stripe_sdk::Error>) -> Result<(), String> {
    result.map(|_| ()).map_err(|err| err.to_string())
}

/// How many parameters to fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Only the required ones.
    Required,
    /// Every one, with unset-able fields unset.
    All,
}

/// Limits the depth of examples, in case a request schema refers to itself.
const MAX_DEPTH: usize = 24;

/// An example value for a schema of `spec`.
pub fn example(spec: &OpenAPI, schema: Node<'_>, fill: Fill) -> Value {
    example_at(spec, schema, fill, 0)
}

fn example_at(spec: &OpenAPI, schema: Node<'_>, fill: Fill, depth: usize) -> Value {
    let Some(schema) = schema.resolve(spec) else { return json!({}) };
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let branches = match view::any_of(schema) {
        [] => view::one_of(schema),
        any_of => any_of,
    };
    if !branches.is_empty() {
        let is_unset = |branch: &Node<'_>| branch.inline().is_some_and(view::is_unset_marker);
        let mut branches = branches.iter().map(Node::from);
        if fill == Fill::All && branches.clone().any(|branch| is_unset(&branch)) {
            return json!("");
        }
        return match branches.find(|branch| !is_unset(branch)) {
            Some(branch) => example_at(spec, branch, fill, depth + 1),
            None => json!(""),
        };
    }
    let values = view::enum_values(schema);
    if !values.is_empty() {
        return values.into_iter().find(|v| v.as_str() != Some("")).unwrap_or(Value::Null);
    }
    match view::ty(schema) {
        Some("string") => match view::format(schema) {
            Some("decimal") => json!("1.5"),
            Some("date-time") => json!("2026-01-28T09:30:00.000Z"),
            Some("currency") => json!("usd"),
            _ => json!("x"),
        },
        Some("integer") => match view::format(schema) {
            Some("unix-time") => json!(1_700_000_000),
            _ => json!(1),
        },
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => match view::items(schema) {
            Some(items) => json!([example_at(spec, items, fill, depth + 1)]),
            None => json!([]),
        },
        _ => object_example(spec, schema, fill, depth),
    }
}

fn object_example(spec: &OpenAPI, schema: &Schema, fill: Fill, depth: usize) -> Value {
    let required = view::required(schema);
    let mut object = Map::new();
    for (name, property) in view::properties(schema) {
        if fill == Fill::All || required.iter().any(|r| r == name) {
            let value = example_at(spec, property, fill, depth + 1);
            if !value.is_null() {
                object.insert(name.to_owned(), value);
            }
        }
    }
    // A map (`additionalProperties`) gets one entry: with every parameter, and when the map is
    // required (a meter event's `payload`), since an empty map is not sent at all.
    if let Some(values) = view::additional_properties(schema) {
        if object.is_empty() {
            object.insert("key".to_owned(), example_at(spec, values, fill, depth + 1));
        }
    }
    // An empty object cannot be form-encoded, so a required object without required properties
    // gets its first property, to be sent at all.
    if object.is_empty() {
        if let Some((name, property)) = view::properties(schema).next() {
            object.insert(name.to_owned(), example_at(spec, property, fill, depth + 1));
        }
    }
    Value::Object(object)
}

/// Example parameters for an operation of `spec` (`pointer` names it in errors): query
/// parameters, or the form body's properties.
pub fn operation_params(
    spec: &OpenAPI,
    operation: &openapiv3::Operation,
    pointer: &str,
    fill: Fill,
) -> Result<Value, String> {
    let mut params = Map::new();
    let parameters = view::parameters(operation, pointer).map_err(|err| err.to_string())?;
    for parameter in parameters.into_iter().filter(|parameter| parameter.location == "query") {
        let Some(schema) = parameter.schema else { continue };
        if parameter.required || fill == Fill::All {
            params.insert(parameter.name.to_owned(), example(spec, schema, fill));
        }
    }
    for (_, schema) in view::body_schemas(operation) {
        if let Value::Object(body) = example(spec, schema, fill) {
            params.extend(body);
        }
    }
    Ok(Value::Object(params))
}

/// What a conformance run found.
#[derive(Debug, Default)]
pub struct Report {
    pub passed: usize,
    /// One line per failed call.
    pub failures: Vec<String>,
    /// Expansion paths sent.
    pub expansions_sent: usize,
    /// Expanded values checked in the responses (objects that decode as their resource's type).
    pub expansions_checked: usize,
    /// Expandable fields of the spec, and how many of them the run expanded.
    pub expandable_fields: usize,
    pub expanded_fields: usize,
}

/// Calls every operation of [`crate::operations::OPERATIONS`] twice through `client`: with only
/// the required parameters, then with every parameter and valid expansions (see
/// [`crate::expansions`]). With `mock` (the server `client` talks to), each expansion is checked in
/// the response the mock logged.
pub async fn run(
    client: &stripe_sdk::Client,
    spec: &OpenAPI,
    mock: Option<&stripe_sdk_mock::Handle>,
) -> Report {
    let mut report = Report::default();
    let all_fields = crate::expansions::all_fields(spec);
    let mut covered = std::collections::BTreeSet::new();
    let spec_operations = match view::operations(spec) {
        Ok(operations) => operations,
        Err(err) => {
            report.failures.push(err.to_string());
            return report;
        }
    };
    for operation in crate::operations::OPERATIONS {
        let Some(spec_operation) = spec_operations.iter().find(|spec_operation| {
            spec_operation.path == operation.path
                && spec_operation.method.as_str().eq_ignore_ascii_case(operation.method)
        }) else {
            report
                .failures
                .push(format!("{} {}: not in the spec", operation.method, operation.path));
            continue;
        };
        let path_args = path_arguments(operation.path);
        for fill in [Fill::Required, Fill::All] {
            let params =
                operation_params(spec, spec_operation.operation, &spec_operation.pointer, fill);
            let mut params = match params {
                Ok(params) => params,
                Err(err) => {
                    report.failures.push(err);
                    continue;
                }
            };
            if let Some(fields) = params.as_object_mut() {
                if operation.path.ends_with("/search") {
                    // A valid query of Stripe's search language, and no page token of our own.
                    fields.insert("query".to_owned(), json!("created>0"));
                    fields.remove("page");
                }
                if fill == Fill::Required {
                    // Expansions go with every parameter, below.
                    fields.remove("expand");
                }
            }
            let expand = match (fill, params.as_object_mut()) {
                (Fill::All, Some(fields)) if fields.contains_key("expand") => {
                    let response = view::json_response(spec_operation.operation);
                    let paths = response
                        .map(|response| crate::expansions::plan(spec, response, &mut covered))
                        .unwrap_or_default();
                    if paths.is_empty() {
                        fields.remove("expand");
                    } else {
                        fields.insert("expand".to_owned(), json!(paths));
                    }
                    paths
                }
                _ => Vec::new(),
            };
            let label = format!("{} {} ({fill:?})", operation.method, operation.path);
            if let Err(err) = (operation.call)(client, &path_args, params).await {
                report.failures.push(format!("{label}: {err}"));
                continue;
            }
            report.expansions_sent += expand.len();
            match check_expansions(mock, &expand) {
                Ok(checked) => {
                    report.expansions_checked += checked;
                    report.passed += 1;
                }
                Err(err) => report.failures.push(format!("{label}: {err}")),
            }
        }
    }
    report.expandable_fields = all_fields.len();
    report.expanded_fields = covered.intersection(&all_fields).count();
    report
}

/// Checks the expansions in the last response the mock logged.
fn check_expansions(
    mock: Option<&stripe_sdk_mock::Handle>,
    paths: &[String],
) -> Result<usize, String> {
    let Some(mock) = mock else { return Ok(0) };
    let requests = mock.requests();
    mock.clear_requests();
    if paths.is_empty() {
        return Ok(0);
    }
    let response = requests
        .last()
        .and_then(stripe_sdk_mock::LoggedRequest::response_json)
        .ok_or("the mock logged no JSON response")?;
    crate::expansions::check(&response, paths)
}

/// An id for each path parameter, such as `customer_1` for `{customer}`.
fn path_arguments(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| format!("{name}_1"))
        .collect()
}
