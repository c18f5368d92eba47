//! Operations: every path and method of the spec becomes a method on the type it returns, with a
//! parameters struct for its query or form parameters.
//!
//! Naming, from the path alone:
//! - a path ending in a parameter: `retrieve` (GET), `update` (POST), `delete` (DELETE);
//! - `…/search` (GET): `search`;
//! - a path ending in the collection of the returned type (`/v1/customers`, `/v1/accounts/{account}/login_links`):
//!   `list` (GET of a list), `retrieve` (other GET), `create` (POST), `delete` (DELETE);
//! - any other path ends in an action (`/v1/invoices/{invoice}/pay`): its segments after the last
//!   parameter, joined with `_` (`pay`, `shipping_deliver`).
//!
//! Operations whose path names a resource are owned and named by the rule of `official_names`
//! (the official SDKs' names); this module places the others by their response, and tells apart
//! methods that would share a name on one type (`resolve_collisions`).

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, ObjectType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema,
    SchemaKind, StatusCode, Type,
};

use crate::error::{Error, Result};
use crate::ir::{Doc, Home, HttpMethod, Operation, Response, TypeId, TypeKind, TypeRef};
use crate::load::escape;
use crate::names;

use super::schema::unbox;
use super::{official_names, Converter, Ctx, Share, SCHEMA_PREFIX};

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
const JSON: &str = "application/json";
/// The name of the file part of a multipart upload where the spec does not mark it `binary`.
const FILE_PART: &str = "file";

/// One operation as read from the spec, before names are final.
struct Raw<'s> {
    method: HttpMethod,
    path: &'s str,
    pointer: String,
    operation: &'s openapiv3::Operation,
    owner: TypeId,
    name: String,
    /// Whether `owner` was made for this operation's inline response (see [`response_owner`]).
    own_response: bool,
    /// Whether owner and name come from the naming rule of [`official_names`] (not from the
    /// response): such a name wins a collision with one placed by its response.
    by_rule: bool,
}

pub(super) fn convert(converter: &mut Converter, spec: &OpenAPI) -> Result<Vec<Operation>> {
    // By path (then in method order), whatever the spec's order of paths.
    let mut found = crate::view::operations(spec)?;
    found.sort_by(|a, b| a.path.cmp(b.path));
    let mut raws: Vec<Raw> = found
        .into_iter()
        .map(|found| Raw {
            method: found.method,
            path: found.path,
            pointer: found.pointer,
            operation: found.operation,
            owner: TypeId(0),
            name: String::new(),
            own_response: false,
            by_rule: false,
        })
        .collect();
    for index in 0..raws.len() {
        let raw = &raws[index];
        let official = official_names::owner_and_name(
            converter,
            raw.method,
            raw.path,
            raw.operation,
            response_shape(raw),
        );
        let by_rule = official.is_some();
        let (owner, name) = match official {
            Some(found) => found,
            None => {
                let owner = owner(converter, &mut raws, index)?;
                (owner, method_name(converter, &raws[index], owner))
            }
        };
        raws[index].owner = owner;
        raws[index].name = name;
        raws[index].by_rule = by_rule;
    }
    yield_to_rule(&mut raws);
    resolve_collisions(&mut raws);
    unique_names(&mut raws);
    // Operations on a resource's own collection first (`POST /v1/subscriptions` before
    // `POST /v1/customers/{customer}/subscriptions`), so that a type they share is named after
    // the canonical one, whatever the order of the paths.
    let mut order: Vec<usize> = (0..raws.len()).collect();
    order.sort_by_key(|&index| !is_canonical(converter, &raws[index]));
    let mut operations: Vec<Option<Operation>> = (0..raws.len()).map(|_| None).collect();
    for index in order {
        operations[index] = Some(operation(converter, &raws[index])?);
    }
    Ok(operations.into_iter().flatten().collect())
}

/// Whether an operation works on its resource's own collection: the path reaches a segment that
/// names the resource's collection before any path parameter (`/v1/subscriptions/{id}` for a
/// subscription; not `/v1/customers/{customer}/subscriptions`).
fn is_canonical(converter: &Converter, raw: &Raw) -> bool {
    let Some(schema) = converter.component_name_of(raw.owner) else { return false };
    segments(raw.path)
        .iter()
        .take_while(|segment| !is_param(segment))
        .any(|segment| matches_collection(segment, schema))
}

fn success<'s>(raw: &Raw<'s>) -> Result<&'s openapiv3::Response> {
    match raw.operation.responses.responses.get(&StatusCode::Code(200)) {
        Some(ReferenceOr::Item(response)) => Ok(response),
        _ => Err(Error::unsupported(
            &format!("{}/responses", raw.pointer),
            "no inline `200` response",
        )),
    }
}

/// Whether an operation answers a list, an object or bytes (for [`official_names`]).
fn response_shape(raw: &Raw) -> official_names::ResponseShape {
    use official_names::ResponseShape;
    match success(raw).ok().and_then(json_schema) {
        None => ResponseShape::Bytes,
        Some(ReferenceOr::Item(schema)) => match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if object.properties.contains_key("data") => {
                ResponseShape::List
            }
            _ => ResponseShape::Object,
        },
        Some(ReferenceOr::Reference { .. }) => ResponseShape::Object,
    }
}

fn json_schema(response: &openapiv3::Response) -> Option<&ReferenceOr<Schema>> {
    response.content.get(JSON).and_then(|media: &MediaType| media.schema.as_ref())
}

/// The type an operation's method hangs on: the resource it returns (or lists); for a non-JSON
/// response, the type returned by GET on the path up to its last parameter; for an inline object
/// that names no schema (`POST /v2/billing/meter_event_stream` answers `{}`), a type of its own
/// named after the path (see [`response_owner`]).
fn owner(converter: &mut Converter, raws: &mut [Raw], index: usize) -> Result<TypeId> {
    let raw = &raws[index];
    let response = success(raw)?;
    let Some(schema) = json_schema(response) else {
        let parent = parent_path(raw.path);
        let get =
            raws.iter().position(|other| other.method == HttpMethod::Get && other.path == parent);
        return match get {
            Some(get) if get != index => owner(converter, raws, get),
            _ => Err(Error::unsupported(
                &raw.pointer,
                format!("a non-JSON response and no GET on `{parent}` to attach it to"),
            )),
        };
    };
    let collection = collection_segment(raw.path);
    let refs = response_refs(schema);
    if refs.is_empty() {
        let id = response_owner(converter, raw, schema)?;
        raws[index].own_response = true;
        return Ok(id);
    }
    // A generic deleted object (`v2.deleted_object`) belongs to the resource of the collection.
    if let [only] = refs.as_slice() {
        if only.rsplit('.').next() == Some("deleted_object") {
            if let Some(id) = collection_component(converter, raw.path, collection) {
                return Ok(id);
            }
        }
    }
    let chosen = refs
        .iter()
        .find(|name| matches_collection(collection, name))
        .or_else(|| refs.first())
        .ok_or_else(|| {
            Error::unsupported(
                &raw.pointer,
                "a response that is neither a `$ref`, a list of them nor an `anyOf` of them",
            )
        })?;
    // A deleted object's operations belong to the object (`Customer::delete`, not `DeletedCustomer::delete`).
    let chosen = match chosen.strip_prefix("deleted_") {
        Some(live) if converter.components.contains_key(live) => live.to_owned(),
        _ => chosen.clone(),
    };
    converter
        .components
        .get(chosen.as_str())
        .copied()
        .ok_or_else(|| Error::unsupported(&raw.pointer, format!("unknown schema `{chosen}`")))
}

/// The component of the same API version (`v2.` for `/v2/…` paths) whose name matches a path's
/// collection (`v2.core.account_person` for `/v2/core/accounts/{account_id}/persons/{id}`).
fn collection_component(converter: &Converter, path: &str, collection: &str) -> Option<TypeId> {
    let version = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let prefix = if version == "v1" { String::new() } else { format!("{version}.") };
    converter
        .components
        .iter()
        .filter(|(name, _)| prefix.is_empty() || name.starts_with(&prefix))
        .filter(|(name, _)| !name.contains("deleted_"))
        .find(|(name, _)| matches_collection(collection, name))
        .map(|(_, id)| *id)
}

/// The type of an inline response object that names no schema: a struct of its properties, named
/// and placed as a schema with the path's literal segments for its id would be
/// (`/v2/billing/meter_event_stream` → `v2.billing.meter_event_stream`).
fn response_owner(
    converter: &mut Converter,
    raw: &Raw,
    schema: &ReferenceOr<Schema>,
) -> Result<TypeId> {
    let pointer = format!("{}/responses/200", raw.pointer);
    let ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(object)), .. }) =
        schema
    else {
        return Err(Error::unsupported(
            &pointer,
            "a response that is neither a `$ref`, a list of them, an `anyOf` of them nor an object",
        ));
    };
    let id: Vec<&str> =
        raw.path.trim_start_matches('/').split('/').filter(|s| !is_param(s)).collect();
    let id = match id.split_first() {
        Some((&"v1", rest)) => rest.join("."),
        _ => id.join("."),
    };
    let location = names::location(&id);
    let home = Home { namespace: location.namespace, file: location.file, public: true };
    let ctx = Ctx {
        pointer,
        hint: location.type_name.clone(),
        local_hint: String::new(),
        owner: None,
        share: Share::Field(String::new()),
        home: home.clone(),
        request: false,
    };
    let kind = TypeKind::Struct(converter.object_struct(object, &ctx)?);
    let doc = Doc::Generated(format!("The answer of `{} {}`.", raw.method.as_str(), raw.path));
    Ok(converter.named(location.type_name, &home, Some(doc), kind))
}

/// Component names a response is made of: the `$ref`, the list item's `$ref`s, or the `anyOf` `$ref`s.
fn response_refs(schema: &ReferenceOr<Schema>) -> Vec<String> {
    let refs = |branches: &[ReferenceOr<Schema>]| -> Vec<String> {
        branches
            .iter()
            .filter_map(|b| match b {
                ReferenceOr::Reference { reference } => Some(reference.clone()),
                ReferenceOr::Item(_) => None,
            })
            .collect()
    };
    let references: Vec<String> = match schema {
        ReferenceOr::Reference { reference } => vec![reference.clone()],
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::AnyOf { any_of } => refs(any_of),
            SchemaKind::Type(Type::Object(object)) => {
                match object.properties.get("data").map(unbox) {
                    Some(ReferenceOr::Item(Schema {
                        schema_kind: SchemaKind::Type(Type::Array(array)),
                        ..
                    })) => match array.items.as_ref().map(unbox) {
                        Some(ReferenceOr::Reference { reference }) => vec![reference],
                        Some(ReferenceOr::Item(Schema {
                            schema_kind: SchemaKind::AnyOf { any_of },
                            ..
                        })) => refs(&any_of),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        },
    };
    references
        .into_iter()
        .filter_map(|r| r.strip_prefix(SCHEMA_PREFIX).map(str::to_owned))
        .collect()
}

fn segments(path: &str) -> Vec<&str> {
    path.trim_start_matches('/').split('/').skip(1).collect()
}

pub(super) fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// The path up to and including its last parameter.
fn parent_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let end = parts.iter().rposition(|s| is_param(s)).map_or(parts.len(), |i| i + 1);
    parts[..end].join("/")
}

/// The segment naming the collection: the last literal one, or the one before a final parameter.
fn collection_segment(path: &str) -> &str {
    let segments = segments(path);
    segments.iter().rev().find(|s| !is_param(s)).copied().unwrap_or("")
}

/// Whether a path segment is the collection of a schema: `customers` for `customer`,
/// `readers` for `terminal.reader`, `invoiceitems` for `invoiceitem`, `entries` for `entry`,
/// `refunds` for `fee_refund`, `domains` for `apple_pay_domain`.
fn matches_collection(segment: &str, schema: &str) -> bool {
    let name = schema.rsplit('.').next().unwrap_or(schema);
    let name = name.strip_prefix("deleted_").unwrap_or(name);
    let singular = names::singular(segment);
    name == segment
        || name == singular
        || name.replace('_', "") == singular.replace('_', "")
        || name.ends_with(&format!("_{singular}"))
}

fn method_name(converter: &Converter, raw: &Raw, owner: TypeId) -> String {
    let segments = segments(raw.path);
    let last_param = segments.iter().rposition(|s| is_param(s));
    let tail: Vec<&str> = match last_param {
        Some(index) => segments[index + 1..].to_vec(),
        None => segments.clone(),
    };
    let owner_schema = converter.component_name_of(owner).unwrap_or("");
    let is_list = success(raw).ok().and_then(json_schema).is_some_and(|schema| {
        matches!(schema, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.contains_key("data")))
    });
    match tail.last() {
        // The path is the collection of a type made for its answer.
        Some(_) if raw.own_response => raw.method.collection_verb(is_list).to_owned(),
        None => raw.method.object_verb().to_owned(),
        Some(&"search") if raw.method == HttpMethod::Get => "search".to_owned(),
        Some(last) if matches_collection(last, owner_schema) => {
            raw.method.collection_verb(is_list).to_owned()
        }
        Some(_) if last_param.is_none() && tail.len() > 1 => {
            names::field_name(&tail[1..].join("_"))
        }
        Some(_) => names::field_name(&tail.join("_")),
    }
}

/// A name taken by an operation named by the rule (`financial_connections::Account::retrieve`
/// for `/v1/financial_connections/accounts/{account}`) stays with it; one placed by its response
/// on the same type (the older alias `/v1/linked_accounts/{account}`) adds its own path words
/// (`retrieve_linked_accounts`).
fn yield_to_rule(raws: &mut [Raw]) {
    let mut groups: BTreeMap<(TypeId, String), Vec<usize>> = BTreeMap::new();
    for (index, raw) in raws.iter().enumerate() {
        groups.entry((raw.owner, raw.name.clone())).or_default().push(index);
    }
    for ((_, name), members) in groups {
        let ruled: Vec<usize> = members.iter().copied().filter(|&i| raws[i].by_rule).collect();
        let [winner] = ruled.as_slice() else { continue };
        let own: Vec<&str> =
            segments(raws[*winner].path).into_iter().filter(|s| !is_param(s)).collect();
        for &index in members.iter().filter(|&&i| i != *winner) {
            let distinct: Vec<&str> = segments(raws[index].path)
                .into_iter()
                .filter(|s| !is_param(s) && !own.contains(s))
                .collect();
            if !distinct.is_empty() {
                raws[index].name = names::field_name(&format!("{name}_{}", distinct.join("_")));
            }
        }
    }
}

/// Methods sharing a name on one type are told apart: by verb when their HTTP methods differ
/// (`list_refunds`, `create_refunds`), else by the path segments they do not share
/// (`retrieve_bank_accounts`, `retrieve_external_accounts`; a path with nothing of its own keeps
/// the plain name), and as a last resort by operation id.
fn resolve_collisions(raws: &mut [Raw]) {
    for round in 0..3 {
        let mut groups: BTreeMap<(TypeId, String), Vec<usize>> = BTreeMap::new();
        for (index, raw) in raws.iter().enumerate() {
            groups.entry((raw.owner, raw.name.clone())).or_default().push(index);
        }
        for ((_, name), members) in groups {
            if members.len() < 2 {
                continue;
            }
            let literals: Vec<Vec<&str>> = members
                .iter()
                .map(|&i| segments(raws[i].path).into_iter().filter(|s| !is_param(s)).collect())
                .collect();
            let methods: Vec<HttpMethod> = members.iter().map(|&i| raws[i].method).collect();
            let plain_paths = literals
                .iter()
                .filter(|own| own.iter().all(|s| literals.iter().all(|other| other.contains(s))))
                .count();
            for (position, &index) in members.iter().enumerate() {
                let raw = &mut raws[index];
                let distinct: Vec<&str> = literals[position]
                    .iter()
                    .copied()
                    .filter(|s| !literals.iter().all(|other| other.contains(s)))
                    .collect();
                let unique_method = methods.iter().filter(|m| **m == raw.method).count() == 1;
                raw.name = match round {
                    0 if unique_method => {
                        let verb = raw.method.collection_verb(true);
                        format!("{verb}_{name}")
                    }
                    0 | 1 if !distinct.is_empty() => {
                        names::field_name(&format!("{name}_{}", distinct.join("_")))
                    }
                    // The one path with nothing of its own (`/v1/refunds` beside
                    // `/v1/charges/{charge}/refunds`) keeps the plain name.
                    0 | 1 if plain_paths == 1 => name.clone(),
                    _ => {
                        names::field_name(raw.operation.operation_id.as_deref().unwrap_or(raw.path))
                    }
                };
            }
        }
    }
}

/// Whatever [`resolve_collisions`] left, made unique per type: a method and its `_paginated`
/// twin take their names in one scope per owner.
fn unique_names(raws: &mut [Raw]) {
    let mut scopes: BTreeMap<TypeId, names::Scope> = BTreeMap::new();
    for raw in raws.iter_mut() {
        let scope = scopes.entry(raw.owner).or_default();
        raw.name = scope.claim(&raw.name);
        scope.claim(&format!("{}_paginated", raw.name));
    }
}

fn operation(converter: &mut Converter, raw: &Raw) -> Result<Operation> {
    let owner = &converter.pending[raw.owner.0];
    let home = owner.home.clone();
    let hint = params_hint(&raw.name, &owner.name);
    let Parameters { path: path_params, fields, pointer, multipart, json } = parameters(raw)?;
    let ctx = Ctx {
        pointer,
        hint: hint.clone(),
        local_hint: String::new(),
        owner: Some(raw.owner),
        share: Share::Field(String::new()),
        home: home.clone(),
        request: true,
    };
    let params = if fields.properties.is_empty() {
        None
    } else {
        let params = converter.object_struct(&fields, &ctx)?;
        let doc =
            format!("Parameters of [`{}::{}`].", converter.pending[raw.owner.0].name, raw.name);
        Some(converter.named(
            format!("{hint}Params"),
            &home,
            Some(Doc::Generated(doc)),
            TypeKind::Struct(params),
        ))
    };
    let multipart_file = match (multipart, params) {
        (true, Some(id)) => Some(file_field(converter, id, raw)?),
        (true, None) => {
            return Err(Error::unsupported(&raw.pointer, "a multipart body without parameters"))
        }
        (false, _) => None,
    };
    let response = success(raw)?;
    let response = match json_schema(response) {
        Some(_) if raw.own_response => Response::Json(TypeRef::Named(raw.owner)),
        Some(schema) => {
            let ctx = Ctx {
                local_hint: String::new(),
                owner: None,
                pointer: format!("{}/responses/200", raw.pointer),
                hint: format!("{hint}Response"),
                share: Share::Field(String::new()),
                home,
                request: false,
            };
            Response::Json(converter.type_ref(schema, &ctx)?.0)
        }
        None if !response.content.is_empty() => Response::Bytes,
        None => {
            return Err(Error::unsupported(
                &format!("{}/responses/200", raw.pointer),
                "a response without content",
            ))
        }
    };
    // Binary downloads (the quote PDF) are served by the files host, like uploads.
    let files_host = raw.operation.servers.iter().any(|server| server.url.contains("://files."))
        || matches!(response, Response::Bytes);
    Ok(Operation {
        operation_id: raw.operation.operation_id.clone().unwrap_or_default(),
        method: raw.method,
        path: raw.path.to_owned(),
        owner: raw.owner,
        name: raw.name.clone(),
        doc: operation_doc(raw.operation),
        path_params,
        params,
        response,
        files_host,
        multipart_file,
        json_body: json,
    })
}

/// The name its parameters type starts with: the method, then the owner (`Customer::create` →
/// `CreateCustomer`, `Invoice::pay` → `PayInvoice`; `Invoice::finalize_invoice` →
/// `FinalizeInvoice`), except that a nested collection's verb goes first
/// (`Customer::list_tax_ids` → `ListCustomerTaxIds`, `Account::create_person` →
/// `CreateAccountPerson`).
fn params_hint(method: &str, owner: &str) -> String {
    const VERBS: &[&str] = &["list", "create", "retrieve", "update", "delete"];
    match method.split_once('_') {
        Some((verb, rest)) if VERBS.contains(&verb) => {
            format!("{}{owner}{}", names::type_name(verb), names::type_name(rest))
        }
        _ => {
            let method = names::type_name(method);
            match method.strip_suffix(owner) {
                Some(_) => method,
                None => format!("{method}{owner}"),
            }
        }
    }
}

fn operation_doc(operation: &openapiv3::Operation) -> Option<String> {
    [&operation.description, &operation.summary]
        .into_iter()
        .flatten()
        .find(|text| !text.trim().is_empty())
        .cloned()
}

/// An operation's parameters as the spec gives them.
struct Parameters {
    /// Path parameters in template order: (Rust name, name in the template).
    path: Vec<(String, String)>,
    /// Query parameters or form body properties, as one object schema.
    fields: ObjectType,
    /// Where `fields` come from in the spec.
    pointer: String,
    multipart: bool,
    /// The body is `application/json` (the v2 API).
    json: bool,
}

fn parameters(raw: &Raw) -> Result<Parameters> {
    let mut path_params = Vec::new();
    let mut arguments = names::Scope::with_reserved(&["client", "params"]);
    let mut fields = ObjectType::default();
    let mut pointer = format!("{}/parameters", raw.pointer);
    for (index, parameter) in raw.operation.parameters.iter().enumerate() {
        let parameter_pointer = format!("{}/parameters/{index}", raw.pointer);
        let ReferenceOr::Item(parameter) = parameter else {
            return Err(Error::unsupported(&parameter_pointer, "a `$ref` parameter"));
        };
        match parameter {
            Parameter::Path { parameter_data, .. } => {
                // Arguments beside `client` and `params`, the generated method's own.
                // `{subscription_exposed_id}` reads as `subscription`.
                let wire = parameter_data.name.as_str();
                let natural = wire.strip_suffix("_exposed_id").unwrap_or(wire);
                let name = arguments.claim(&names::argument_name(natural));
                path_params.push((name, parameter_data.name.clone()));
            }
            Parameter::Query { parameter_data, .. } => {
                let ParameterSchemaOrContent::Schema(schema) = &parameter_data.format else {
                    return Err(Error::unsupported(
                        &parameter_pointer,
                        "a parameter with `content` instead of `schema`",
                    ));
                };
                let mut schema = schema.clone();
                if let ReferenceOr::Item(schema) = &mut schema {
                    if schema.schema_data.description.is_none() {
                        schema.schema_data.description = parameter_data.description.clone();
                    }
                }
                if parameter_data.required {
                    fields.required.push(parameter_data.name.clone());
                }
                fields.properties.insert(parameter_data.name.clone(), boxed(schema));
            }
            Parameter::Header { .. } | Parameter::Cookie { .. } => {
                return Err(Error::unsupported(
                    &parameter_pointer,
                    "header and cookie parameters are not supported",
                ));
            }
        }
    }
    // Arguments follow the order of the template, whatever the order of declaration.
    let template: Vec<&str> = segments(raw.path)
        .into_iter()
        .filter(|s| is_param(s))
        .map(|s| s.trim_matches(['{', '}']))
        .collect();
    let mut declared: Vec<&str> = path_params.iter().map(|(_, wire)| wire.as_str()).collect();
    declared.sort_by_key(|wire| template.iter().position(|t| t == wire));
    if template != declared {
        return Err(Error::unsupported(
            &raw.pointer,
            format!("path parameters {declared:?} do not match the template {template:?}"),
        ));
    }
    path_params.sort_by_key(|(_, wire)| template.iter().position(|t| t == wire));
    let mut multipart = false;
    // The v2 API takes JSON, also where an operation declares no body (`POST …/enable`).
    let mut json = raw.path.starts_with("/v2/");
    if let Some(body) = &raw.operation.request_body {
        let ReferenceOr::Item(body) = body else {
            return Err(Error::unsupported(
                &format!("{}/requestBody", raw.pointer),
                "a `$ref` request body",
            ));
        };
        for (content_type, media) in &body.content {
            let media_pointer =
                format!("{}/requestBody/content/{}/schema", raw.pointer, escape(content_type));
            if content_type != FORM && content_type != MULTIPART && content_type != JSON {
                return Err(Error::unsupported(
                    &media_pointer,
                    format!("request body type `{content_type}` is not supported"),
                ));
            }
            let properties = match &media.schema {
                Some(ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::Type(Type::Object(object)),
                    ..
                })) => object,
                None => continue,
                Some(_) => {
                    return Err(Error::unsupported(
                        &media_pointer,
                        "a request body that is not an inline object",
                    ))
                }
            };
            if properties.properties.is_empty() {
                continue;
            }
            if !fields.properties.is_empty() {
                return Err(Error::unsupported(&media_pointer, "both query and body parameters"));
            }
            multipart = content_type == MULTIPART;
            json = content_type == JSON;
            fields = properties.clone();
            pointer = media_pointer;
        }
    }
    Ok(Parameters { path: path_params, fields, pointer, multipart, json })
}

fn boxed(schema: ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
    }
}

/// The JSON name of the one file part of a multipart body: its `format: binary` property, or,
/// in releases that declare none (Stripe's spec before 2023 describes the upload of
/// `POST /v1/files` as a plain string), its string property named `file`, which then becomes the
/// file part. Anything else fails naming the operation.
fn file_field(converter: &mut Converter, params: TypeId, raw: &Raw) -> Result<String> {
    let Some(TypeKind::Struct(s)) = &mut converter.pending[params.0].kind else {
        return Err(Error::unsupported(&raw.pointer, "multipart parameters must be an object"));
    };
    let binary: Vec<usize> =
        (0..s.fields.len()).filter(|&i| s.fields[i].ty == TypeRef::File).collect();
    let named_file =
        || s.fields.iter().position(|f| f.wire == FILE_PART && f.ty == TypeRef::String);
    let index = match binary.as_slice() {
        [index] => *index,
        [] => named_file().ok_or_else(|| {
            Error::unsupported(
                &raw.pointer,
                "a multipart body needs one `format: binary` property or a string property `file`",
            )
        })?,
        _ => {
            return Err(Error::unsupported(
                &raw.pointer,
                "a multipart body with several `format: binary` properties",
            ))
        }
    };
    s.fields[index].ty = TypeRef::File;
    Ok(s.fields[index].wire.clone())
}
