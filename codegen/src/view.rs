//! The typed view of the spec that every reader walks (`convert`, the mock's data, `diff`'s shapes,
//! the conformance runner): every operation of every path, its methods in one order
//! ([`HttpMethod::ALL`]), each with the JSON pointer its errors name; one resolver of schema
//! `$ref`s ([`Node::resolve`]); and one reading of the schema keywords that openapiv3 keeps in a
//! different place for each kind of schema ([`ty`], [`format`], [`enum_values`], [`properties`],
//! …).

use openapiv3::{
    AdditionalProperties, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, PathItem,
    ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::HttpMethod;
use crate::load::escape;

/// Where a schema `$ref` points: the spec's component schemas.
pub const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How many `$ref`s in a row [`schema`] follows (a cycle in a broken spec ends there).
const MAX_REFS: usize = 16;

/// One operation of the spec.
pub struct SpecOperation<'s> {
    pub method: HttpMethod,
    /// The path template (`/v1/customers/{customer}`).
    pub path: &'s str,
    /// The operation's JSON pointer (`#/paths/~1v1~1customers/post`).
    pub pointer: String,
    pub operation: &'s Operation,
}

/// The spec's operations, path by path in the spec's order. A path item that is a `$ref`, or
/// that has parameters of its own, is refused with its pointer.
pub fn operations(spec: &OpenAPI) -> Result<Vec<SpecOperation<'_>>> {
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let pointer = format!("#/paths/{}", escape(path));
        let ReferenceOr::Item(item) = item else {
            return Err(Error::unsupported(&pointer, "a path item that is a `$ref`"));
        };
        if !item.parameters.is_empty() {
            return Err(Error::unsupported(&pointer, "path-level `parameters` are not supported"));
        }
        for (method, operation) in methods(item) {
            operations.push(SpecOperation {
                method,
                path,
                pointer: format!("{pointer}/{}", method.as_str().to_ascii_lowercase()),
                operation,
            });
        }
    }
    Ok(operations)
}

/// The operations of a path item, in the order of [`HttpMethod::ALL`].
fn methods(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &Operation)> {
    let all = [
        &item.get,
        &item.post,
        &item.delete,
        &item.put,
        &item.patch,
        &item.head,
        &item.options,
        &item.trace,
    ];
    HttpMethod::ALL
        .into_iter()
        .zip(all)
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
}

/// A schema where the spec writes one (a component, a property, an array's items, a union's
/// branch, a parameter): inline, or a `$ref` to a component schema.
#[derive(Clone, Copy, Debug)]
pub enum Node<'s> {
    /// `{"$ref": "#/components/schemas/customer"}`: the reference as written.
    Ref(&'s str),
    Inline(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for Node<'s> {
    fn from(schema: &'s ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for Node<'s> {
    fn from(schema: &'s ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Inline(schema),
        }
    }
}

impl<'s> Node<'s> {
    /// The component a reference names (`customer`), for any `$ref` (its last segment).
    pub fn ref_name(self) -> Option<&'s str> {
        match self {
            Node::Ref(reference) => reference.rsplit('/').next(),
            Node::Inline(_) => None,
        }
    }

    /// The schema itself, or the one its chain of references ends at; `None` when a target is
    /// missing (or the chain is longer than a spec would write).
    pub fn resolve(self, spec: &'s OpenAPI) -> Option<&'s Schema> {
        let mut node = self;
        for _ in 0..MAX_REFS {
            match node {
                Node::Inline(schema) => return Some(schema),
                Node::Ref(reference) => {
                    let name = reference.strip_prefix(SCHEMA_PREFIX)?;
                    node = spec.components.as_ref()?.schemas.get(name)?.into();
                }
            }
        }
        None
    }

    /// The inline schema, if this is not a reference.
    pub fn inline(self) -> Option<&'s Schema> {
        match self {
            Node::Inline(schema) => Some(schema),
            Node::Ref(_) => None,
        }
    }
}

// ---- a schema's keywords, wherever openapiv3 keeps them for its kind ----

/// The `type` keyword (`string`, `object`, …); `None` for a union or a schema without one.
pub fn ty(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Object(_)) => Some("object"),
        SchemaKind::Type(Type::Array(_)) => Some("array"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        SchemaKind::Any(any) => any.typ.as_deref(),
        _ => None,
    }
}

/// The `format` keyword as the spec writes it (`date-time`, `unix-time`, `decimal`).
pub fn format(schema: &Schema) -> Option<&str> {
    fn name<T>(
        format: &VariantOrUnknownOrEmpty<T>,
        known: impl Fn(&T) -> &'static str,
    ) -> Option<&str> {
        match format {
            VariantOrUnknownOrEmpty::Item(format) => Some(known(format)),
            VariantOrUnknownOrEmpty::Unknown(format) => Some(format),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }
    use openapiv3::{IntegerFormat, NumberFormat};
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => name(&string.format, string_format),
        SchemaKind::Type(Type::Number(number)) => name(&number.format, |format| match format {
            NumberFormat::Float => "float",
            NumberFormat::Double => "double",
        }),
        SchemaKind::Type(Type::Integer(integer)) => name(&integer.format, |format| match format {
            IntegerFormat::Int32 => "int32",
            IntegerFormat::Int64 => "int64",
        }),
        SchemaKind::Any(any) => any.format.as_deref(),
        _ => None,
    }
}

/// The name the spec writes for a string format openapiv3 knows.
pub fn string_format(format: &StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

/// The `enum` keyword's values (`null` where the spec lists `null`); empty when there is none.
pub fn enum_values(schema: &Schema) -> Vec<Value> {
    fn values<T: Clone + Into<Value>>(values: &[Option<T>]) -> Vec<Value> {
        values.iter().map(|value| value.clone().map_or(Value::Null, Into::into)).collect()
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => values(&string.enumeration),
        SchemaKind::Type(Type::Number(number)) => values(&number.enumeration),
        SchemaKind::Type(Type::Integer(integer)) => values(&integer.enumeration),
        SchemaKind::Type(Type::Boolean(boolean)) => values(&boolean.enumeration),
        SchemaKind::Any(any) => any.enumeration.clone(),
        _ => Vec::new(),
    }
}

/// Stripe's `enum: [""]` branch: the parameter can be sent empty to unset it.
pub fn is_unset_marker(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(string))
        if matches!(string.enumeration.as_slice(), [Some(value)] if value.is_empty()))
}

/// The properties of an object schema (with or without `type: object`), in the spec's order.
pub fn properties(schema: &Schema) -> impl Iterator<Item = (&str, Node<'_>)> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(&object.properties),
        SchemaKind::Any(any) => Some(&any.properties),
        _ => None,
    };
    properties.into_iter().flatten().map(|(name, property)| (name.as_str(), property.into()))
}

/// One property of an object schema.
pub fn property<'s>(schema: &'s Schema, name: &str) -> Option<Node<'s>> {
    properties(schema).find(|(property, _)| *property == name).map(|(_, node)| node)
}

/// The `required` keyword of an object schema.
pub fn required(schema: &Schema) -> &[String] {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.required,
        SchemaKind::Any(any) => &any.required,
        _ => &[],
    }
}

/// The `additionalProperties` schema of a map (not `additionalProperties: true` or `false`).
pub fn additional_properties(schema: &Schema) -> Option<Node<'_>> {
    let additional = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.additional_properties.as_ref(),
        SchemaKind::Any(any) => any.additional_properties.as_ref(),
        _ => None,
    };
    match additional? {
        AdditionalProperties::Schema(schema) => Some(schema.as_ref().into()),
        AdditionalProperties::Any(_) => None,
    }
}

/// The `items` of an array schema.
pub fn items(schema: &Schema) -> Option<Node<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.items.as_ref().map(Node::from),
        SchemaKind::Any(any) => any.items.as_ref().map(Node::from),
        _ => None,
    }
}

/// The branches of `anyOf`.
pub fn any_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AnyOf { any_of } => any_of,
        SchemaKind::Any(any) => &any.any_of,
        _ => &[],
    }
}

/// The branches of `oneOf`.
pub fn one_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => one_of,
        SchemaKind::Any(any) => &any.one_of,
        _ => &[],
    }
}

/// The branches of a union: `anyOf`'s, then `oneOf`'s.
pub fn branches(schema: &Schema) -> impl Iterator<Item = Node<'_>> {
    any_of(schema).iter().chain(one_of(schema)).map(Node::from)
}

/// A vendor extension of a schema (`x-resourceId`, `x-expandableFields`).
pub fn extension<'s>(schema: &'s Schema, name: &str) -> Option<&'s Value> {
    schema.schema_data.extensions.get(name)
}

/// The strings of an array-valued extension (`x-expandableFields`).
pub fn extension_strings<'s>(schema: &'s Schema, name: &str) -> impl Iterator<Item = &'s str> {
    extension(schema, name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

// ---- an operation's parameters, bodies and responses ----

/// A parameter of an operation, wherever it goes (path, query, header, cookie).
pub struct SpecParameter<'s> {
    pub name: &'s str,
    /// `query`, `path`, `header` or `cookie`.
    pub location: &'static str,
    pub required: bool,
    /// Its schema; `None` for a parameter described by `content` instead.
    pub schema: Option<Node<'s>>,
}

/// The parameters an operation lists, in the spec's order. A `$ref` to a shared parameter is
/// refused with the operation's pointer (Stripe's spec writes none).
pub fn parameters<'s>(operation: &'s Operation, pointer: &str) -> Result<Vec<SpecParameter<'s>>> {
    let mut out = Vec::new();
    for (index, parameter) in operation.parameters.iter().enumerate() {
        let ReferenceOr::Item(parameter) = parameter else {
            let pointer = format!("{pointer}/parameters/{index}");
            return Err(Error::unsupported(&pointer, "a parameter that is a `$ref`"));
        };
        let (location, data) = match parameter {
            Parameter::Query { parameter_data, .. } => ("query", parameter_data),
            Parameter::Path { parameter_data, .. } => ("path", parameter_data),
            Parameter::Header { parameter_data, .. } => ("header", parameter_data),
            Parameter::Cookie { parameter_data, .. } => ("cookie", parameter_data),
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => Some(schema.into()),
            ParameterSchemaOrContent::Content(_) => None,
        };
        out.push(SpecParameter { name: &data.name, location, required: data.required, schema });
    }
    Ok(out)
}

/// The schemas of an operation's request body, one per media type, in the spec's order (Stripe's
/// bodies are form-encoded or multipart; each lists the same parameters). A body that is a `$ref`
/// has none here: `convert`, which every generation runs first, refuses it with its pointer.
pub fn body_schemas(operation: &Operation) -> impl Iterator<Item = (&str, Node<'_>)> {
    let body = match &operation.request_body {
        Some(ReferenceOr::Item(body)) => Some(&body.content),
        _ => None,
    };
    body.into_iter().flatten().filter_map(|(media, content)| {
        content.schema.as_ref().map(|schema| (media.as_str(), Node::from(schema)))
    })
}

/// The JSON schema of an operation's `200` response (`None` for a PDF, or a response that is a
/// `$ref`, which `convert` refuses).
pub fn json_response(operation: &Operation) -> Option<Node<'_>> {
    match operation.responses.responses.get(&StatusCode::Code(200))? {
        ReferenceOr::Item(response) => {
            response.content.get("application/json")?.schema.as_ref().map(Node::from)
        }
        ReferenceOr::Reference { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use openapiv3::{OpenAPI, ReferenceOr, Schema};
    use serde_json::json;

    use super::*;

    fn spec(schemas: serde_json::Value) -> OpenAPI {
        serde_json::from_value(json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas},
        }))
        .expect("a spec")
    }

    #[test]
    fn resolves_chains_and_reads_keywords() {
        let spec = spec(json!({
            "a": {"$ref": "#/components/schemas/b"},
            "b": {
                "type": "object",
                "required": ["id", "object"],
                "x-expandableFields": ["customer", 3],
                "properties": {"id": {"type": "string", "enum": [""]}, "object": {"type": "string"}},
            },
            "c": {"$ref": "#/components/schemas/c"},
        }));
        let reference: ReferenceOr<Schema> =
            ReferenceOr::Reference { reference: "#/components/schemas/a".to_owned() };
        let node = Node::from(&reference);
        assert_eq!(node.ref_name(), Some("a"));
        let target = node.resolve(&spec).expect("the chain ends at `b`");
        assert_eq!(ty(target), Some("object"));
        assert_eq!(required(target), ["id", "object"]);
        assert_eq!(
            extension_strings(target, "x-expandableFields").collect::<Vec<_>>(),
            ["customer"]
        );
        let id = property(target, "id").and_then(Node::inline).expect("an inline property");
        assert!(is_unset_marker(id));
        assert_eq!(enum_values(id), [json!("")]);
        assert_eq!(properties(target).map(|(name, _)| name).collect::<Vec<_>>(), ["id", "object"]);
        assert!(Node::Ref("#/components/schemas/none").resolve(&spec).is_none());
        assert!(Node::Ref("#/components/schemas/c").resolve(&spec).is_none(), "a cycle ends");
    }

    #[test]
    fn reads_formats_items_maps_and_unions_of_every_kind() {
        let schema = |value| serde_json::from_value::<Schema>(value).expect("a schema");
        let time = schema(json!({"type": "integer", "format": "unix-time"}));
        assert_eq!((ty(&time), format(&time)), (Some("integer"), Some("unix-time")));
        let date = schema(json!({"type": "string", "format": "date-time"}));
        assert_eq!(format(&date), Some("date-time"));
        let list = schema(json!({"type": "array", "items": {"$ref": "#/components/schemas/x"}}));
        assert_eq!(items(&list).and_then(Node::ref_name), Some("x"));
        let map = schema(json!({"type": "object", "additionalProperties": {"type": "string"}}));
        assert!(additional_properties(&map).and_then(Node::inline).is_some());
        let closed = schema(json!({"type": "object", "additionalProperties": false}));
        assert!(additional_properties(&closed).is_none());
        let union = schema(json!({"anyOf": [{"type": "string"}, {"$ref": "#/x/y"}]}));
        assert_eq!(branches(&union).count(), 2);
        assert_eq!(ty(&union), None);
        // No `type`, but properties: openapiv3's "any" kind, read alike.
        let untyped = schema(json!({"properties": {"a": {"type": "boolean"}}, "required": ["a"]}));
        assert_eq!(required(&untyped), ["a"]);
        assert!(property(&untyped, "a").is_some());
    }
}
