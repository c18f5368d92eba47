//! From OpenAPI schemas to the intermediate form: every component and inline schema becomes a
//! [`TypeDef`], identical inline schemas are emitted once, and cycles are broken with `Box`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, OpenAPI, ReferenceOr, Schema,
    SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::{
    Doc, Field, Home, Ir, Operation, Presence, Struct, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::load::escape;
use crate::names;
use crate::view::SCHEMA_PREFIX;
use schema::{
    check_namespaces, component_item, component_name, component_pointer, is_empty_any,
    is_true_constant, single_string_enum, string_enum, unbox,
};

mod boxing;
mod cycles;
mod events;
mod naming;
mod official_names;
mod operations;
mod schema;
mod unions;
mod v2_errors;

/// Converts every component schema of the spec into the intermediate form.
pub fn convert(spec: &OpenAPI) -> Result<Ir> {
    let schemas: BTreeMap<&str, &ReferenceOr<Schema>> = spec
        .components
        .as_ref()
        .map(|c| c.schemas.iter().map(|(name, schema)| (name.as_str(), schema)).collect())
        .unwrap_or_default();
    // Names of shared request types depend on who shares them, which is known only once every
    // operation has been read: a first pass finds out, the second names (see `naming`).
    let titles = naming::specific_titles(spec);
    let none = HashSet::new();
    let shared = convert_operations(spec, &schemas, &titles, &none)?.0.shared_pointers();
    let (mut converter, operations) = convert_operations(spec, &schemas, &titles, &shared)?;
    events::add(&mut converter)?;
    let v2_error_code = v2_errors::add(&mut converter)?;
    let mut ir = converter.finish(spec.info.version.clone(), operations)?;
    ir.v2_error_code = v2_error_code;
    typed_ids(&mut ir);
    cycles::break_cycles(&mut ir);
    boxing::box_large(&mut ir);
    Ok(ir)
}

/// Each object's required `id` becomes its typed id (`Id<Customer>`), and each live object gets an
/// alias beside it (`CustomerId`), unless its module has a type of that name already. A deleted
/// object's id is the live object's (`DeletedCustomer.id` is a `CustomerId`: the customer that
/// was deleted), where the spec has the live object.
fn typed_ids(ir: &mut Ir) {
    let mut taken: HashSet<(Option<String>, String)> =
        ir.types.iter().map(|def| (def.home.namespace.clone(), def.name.clone())).collect();
    let objects: BTreeMap<String, TypeId> =
        ir.resources.iter().chain(&ir.objects).cloned().collect();
    let has_id =
        |ir: &Ir, id: TypeId| matches!(&ir.types[id.0].kind, TypeKind::Struct(s) if s.has_id());
    for (name, &id) in &objects {
        let live = match name.strip_prefix("deleted_").and_then(|live| objects.get(live)) {
            Some(&live) if has_id(ir, live) => live,
            _ => id,
        };
        let def = &mut ir.types[id.0];
        let TypeKind::Struct(s) = &mut def.kind else { continue };
        let Some(field) = s.fields.iter_mut().find(|f| {
            f.wire == "id" && f.presence == Presence::Required && f.ty == TypeRef::String
        }) else {
            continue;
        };
        field.ty = TypeRef::Id(live);
        let alias = format!("{}Id", def.name);
        if live != id || s.deleted || names::RESERVED_TYPE_NAMES.contains(&alias.as_str()) {
            continue;
        }
        if taken.insert((def.home.namespace.clone(), alias.clone())) {
            ir.id_aliases.insert(id, alias);
        }
    }
}

/// Converts the components and the operations' parameters and responses.
fn convert_operations<'a>(
    spec: &OpenAPI,
    schemas: &'a BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    titles: &'a HashSet<String>,
    shared: &'a HashSet<String>,
) -> Result<(Converter<'a>, Vec<Operation>)> {
    let mut converter = Converter::new(schemas, titles, shared)?;
    for (name, schema) in schemas {
        converter.convert_component(name, schema)?;
    }
    let operations = operations::convert(&mut converter, spec)?;
    Ok((converter, operations))
}

/// What makes identical inline shapes one type: the field name they are met at (`address`), or the
/// title of a request schema that every use shares ([`Converter::request_naming`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Share {
    Field(String),
    Title(String),
}

/// Where the schema being converted sits: its spec location, the name its inline types start
/// with, what its inline shapes are shared by, and the file its inline types go to.
#[derive(Clone)]
struct Ctx {
    pointer: String,
    hint: String,
    /// The hint from the operation's parameters down, without the operation (`Address`,
    /// `ShippingAddress`): the name of a type that several resources' operations share.
    local_hint: String,
    /// For request parameters: the type whose operation they belong to.
    owner: Option<TypeId>,
    /// What identical inline shapes met here are shared by.
    share: Share,
    home: Home,
    /// Whether the schema describes request parameters rather than a response object.
    request: bool,
}

impl Ctx {
    fn property(&self, wire: &str) -> Ctx {
        Ctx {
            pointer: format!("{}/properties/{}", self.pointer, escape(wire)),
            hint: format!("{}{}", self.hint, names::type_name(wire)),
            local_hint: format!("{}{}", self.local_hint, names::type_name(wire)),
            owner: self.owner,
            share: Share::Field(wire.to_owned()),
            home: self.home.clone(),
            request: self.request,
        }
    }

    fn at(&self, segment: &str) -> Ctx {
        Ctx { pointer: format!("{}/{}", self.pointer, segment), ..self.clone() }
    }
}

/// A type whose name and place are fixed and whose body is being converted.
struct Pending {
    name: String,
    home: Home,
    doc: Option<Doc>,
    origin: String,
    kind: Option<TypeKind>,
}

struct Converter<'a> {
    schemas: &'a BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    pending: Vec<Pending>,
    components: BTreeMap<&'a str, TypeId>,
    resources: Vec<(String, TypeId)>,
    /// The types webhook events are read with (see `events`).
    event_roots: Vec<TypeId>,
    taken: HashMap<Option<String>, HashSet<String>>,
    /// Inline types by (field name, shape): identical inline schemas reuse one type.
    shapes: HashMap<(Share, TypeKind), TypeId>,
    deduplicated: usize,
    /// Request parameter titles that name one shape in the whole spec (see `naming`).
    titles: &'a HashSet<String>,
    /// Pointers of request schemas whose type operations of several resources share.
    shared: &'a HashSet<String>,
    /// For each inline request type: the resources whose operations use it, and where.
    uses: HashMap<TypeId, (BTreeSet<TypeId>, Vec<String>)>,
    /// String formats this generator does not know, read as plain strings (see `schema::string_type`).
    plain_formats: BTreeSet<String>,
}

impl<'a> Converter<'a> {
    /// Registers every component up front, so that names are assigned once and references resolve
    /// in any order.
    fn new(
        schemas: &'a BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
        titles: &'a HashSet<String>,
        shared: &'a HashSet<String>,
    ) -> Result<Self> {
        let mut converter = Converter {
            titles,
            shared,
            uses: HashMap::new(),
            schemas,
            pending: Vec::new(),
            components: BTreeMap::new(),
            resources: Vec::new(),
            event_roots: Vec::new(),
            taken: HashMap::new(),
            shapes: HashMap::new(),
            deduplicated: 0,
            plain_formats: BTreeSet::new(),
        };
        let mut files: BTreeMap<(Option<String>, String), &str> = BTreeMap::new();
        let ids = schemas.iter().map(|(name, schema)| match schema {
            ReferenceOr::Item(schema) => schema
                .schema_data
                .extensions
                .get("x-resourceId")
                .and_then(Value::as_str)
                .unwrap_or(name),
            ReferenceOr::Reference { .. } => name,
        });
        let nested = names::nested_namespaces(ids);
        for (name, schema) in schemas {
            let pointer = component_pointer(name);
            let schema = component_item(schema, &pointer)?;
            let resource_id =
                schema.schema_data.extensions.get("x-resourceId").and_then(Value::as_str);
            let mut location = names::location_in(resource_id.unwrap_or(name), &nested);
            if names::RESERVED_TYPE_NAMES.contains(&location.type_name.as_str()) {
                // A schema named like a runtime type (`error`) becomes `ErrorObject`.
                location.type_name.push_str("Object");
            }
            if let Some(other) =
                files.insert((location.namespace.clone(), location.file.clone()), name)
            {
                return Err(Error::unsupported(
                    &pointer,
                    format!(
                        "schemas `{other}` and `{name}` map to the same module `{}`",
                        location.file
                    ),
                ));
            }
            if !converter.claim(&location.namespace, &location.type_name) {
                return Err(Error::unsupported(
                    &pointer,
                    format!("type name `{}` is already taken in its module", location.type_name),
                ));
            }
            let id = TypeId(converter.pending.len());
            converter.pending.push(Pending {
                name: location.type_name,
                home: Home {
                    namespace: location.namespace,
                    file: location.file,
                    public: resource_id.is_some(),
                },
                doc: schema.schema_data.description.clone().map(Doc::Spec),
                origin: pointer,
                kind: None,
            });
            converter.components.insert(name, id);
            if let Some(resource_id) = resource_id {
                converter.resources.push((resource_id.to_owned(), id));
            }
        }
        check_namespaces(&files)?;
        converter.resources.sort();
        Ok(converter)
    }

    fn finish(self, api_version: String, operations: Vec<Operation>) -> Result<Ir> {
        let mut types = Vec::with_capacity(self.pending.len());
        for slot in self.pending {
            let Some(kind) = slot.kind else {
                return Err(Error::unsupported(
                    &slot.origin,
                    "schema was registered but never converted",
                ));
            };
            types.push(TypeDef { name: slot.name, home: slot.home, doc: slot.doc, kind });
        }
        let resource_types: HashSet<TypeId> = self.resources.iter().map(|(_, id)| *id).collect();
        let objects = self
            .components
            .iter()
            .filter(|(_, id)| !resource_types.contains(id))
            .filter(|(_, id)| {
                matches!(&types[id.0].kind, TypeKind::Struct(s) if s.object_tag.is_some())
            })
            .map(|(name, id)| ((*name).to_owned(), *id))
            .collect();
        Ok(Ir {
            api_version,
            types,
            resources: self.resources,
            objects,
            operations,
            event_roots: self.event_roots,
            deduplicated: self.deduplicated,
            plain_formats: self.plain_formats,
            id_aliases: BTreeMap::new(),
            v2_error_code: None,
        })
    }

    fn convert_component(&mut self, name: &str, schema: &ReferenceOr<Schema>) -> Result<()> {
        let id = self.components[name];
        let pointer = component_pointer(name);
        let schema = component_item(schema, &pointer)?;
        let slot = &self.pending[id.0];
        let ctx = Ctx {
            pointer,
            hint: slot.name.clone(),
            local_hint: String::new(),
            owner: None,
            share: Share::Field(name.to_owned()),
            home: slot.home.clone(),
            request: false,
        };
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                TypeKind::Struct(self.object_struct(object, &ctx)?)
            }
            SchemaKind::AnyOf { any_of: branches } | SchemaKind::OneOf { one_of: branches } => {
                TypeKind::Union(self.union_variants(branches, &ctx)?)
            }
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                TypeKind::StringEnum(string_enum(&string.enumeration, &ctx)?)
            }
            _ => TypeKind::Alias(self.type_ref(&ReferenceOr::Item(schema.clone()), &ctx)?.0),
        };
        self.pending[id.0].kind = Some(kind);
        Ok(())
    }

    /// The type of a schema, and whether the schema allows `null`.
    fn type_ref(&mut self, schema: &ReferenceOr<Schema>, ctx: &Ctx) -> Result<(TypeRef, bool)> {
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                return Ok((TypeRef::Named(self.component(reference, ctx)?), false))
            }
            ReferenceOr::Item(schema) => schema,
        };
        let named_ctx = self.request_naming(schema, ctx);
        let ctx = named_ctx.as_ref().unwrap_or(ctx);
        let nullable = schema.schema_data.nullable;
        let description = schema.schema_data.description.clone();
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let values = string_enum(&string.enumeration, ctx)?;
                TypeRef::Named(self.inline(
                    TypeKind::StringEnum(values),
                    description.map(Doc::Spec),
                    ctx,
                ))
            }
            SchemaKind::Type(Type::String(string)) => self.string_type(&string.format, ctx)?,
            SchemaKind::Type(Type::Integer(integer)) => {
                if !integer.enumeration.is_empty() {
                    return Err(Error::unsupported(
                        &ctx.pointer,
                        "integer enums are not supported",
                    ));
                }
                match &integer.format {
                    VariantOrUnknownOrEmpty::Unknown(format) if format == "unix-time" => {
                        TypeRef::Timestamp
                    }
                    VariantOrUnknownOrEmpty::Empty
                    | VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32 | IntegerFormat::Int64) => {
                        TypeRef::I64
                    }
                    VariantOrUnknownOrEmpty::Unknown(format) => {
                        return Err(Error::unsupported(
                            &ctx.pointer,
                            format!("integer format `{format}` is not supported"),
                        ))
                    }
                }
            }
            SchemaKind::Type(Type::Number(number)) => match &number.format {
                VariantOrUnknownOrEmpty::Empty
                | VariantOrUnknownOrEmpty::Item(NumberFormat::Float | NumberFormat::Double) => {
                    TypeRef::F64
                }
                VariantOrUnknownOrEmpty::Unknown(format) => {
                    return Err(Error::unsupported(
                        &ctx.pointer,
                        format!("number format `{format}` is not supported"),
                    ))
                }
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(array)) => {
                let Some(items) = &array.items else {
                    return Err(Error::unsupported(&ctx.pointer, "an array without `items`"));
                };
                TypeRef::Vec(Box::new(self.item_type(items, &ctx.at("items"))?))
            }
            SchemaKind::Type(Type::Object(object)) => self.object_type(object, description, ctx)?,
            SchemaKind::AnyOf { any_of: branches } | SchemaKind::OneOf { one_of: branches }
                if ctx.request =>
            {
                return Ok((self.request_any_of(branches, description, ctx)?, nullable));
            }
            SchemaKind::AnyOf { any_of: branches } | SchemaKind::OneOf { one_of: branches } => {
                let (ty, branch_nullable) = self.any_of(schema, branches, ctx)?;
                return Ok((ty, nullable || branch_nullable));
            }
            SchemaKind::Any(any) if is_empty_any(any) => TypeRef::Json,
            SchemaKind::Any(_) => {
                return Err(Error::unsupported(
                    &ctx.pointer,
                    "a schema without `type` that is not a plain JSON value",
                ))
            }
            SchemaKind::AllOf { .. } => {
                return Err(Error::unsupported(&ctx.pointer, "`allOf` is not supported"))
            }
            SchemaKind::Not { .. } => {
                return Err(Error::unsupported(&ctx.pointer, "`not` is not supported"))
            }
        };
        Ok((ty, nullable))
    }

    fn item_type(&mut self, items: &ReferenceOr<Box<Schema>>, ctx: &Ctx) -> Result<TypeRef> {
        let (ty, nullable) = self.type_ref(&unbox(items), ctx)?;
        if nullable {
            return Err(Error::unsupported(&ctx.pointer, "nullable array items are not supported"));
        }
        Ok(ty)
    }

    fn object_type(
        &mut self,
        object: &ObjectType,
        doc: Option<String>,
        ctx: &Ctx,
    ) -> Result<TypeRef> {
        if !object.properties.is_empty() {
            if object.additional_properties.is_some() {
                return Err(Error::unsupported(
                    &ctx.pointer,
                    "an object with both `properties` and `additionalProperties`",
                ));
            }
            if !ctx.request {
                if let Some(list) = self.list_type(object, ctx)? {
                    return Ok(list);
                }
            }
            let fields = self.object_struct(object, ctx)?;
            return Ok(TypeRef::Named(self.inline(
                TypeKind::Struct(fields),
                doc.map(Doc::Spec),
                ctx,
            )));
        }
        Ok(match &object.additional_properties {
            Some(AdditionalProperties::Schema(values)) => {
                let (ty, nullable) = self.type_ref(values, &ctx.at("additionalProperties"))?;
                match (nullable, ctx.request) {
                    (false, _) => TypeRef::Map(Box::new(ty)),
                    (true, true) => TypeRef::Map(Box::new(TypeRef::Nullable(Box::new(ty)))),
                    (true, false) => {
                        return Err(Error::unsupported(
                            &ctx.pointer,
                            "maps with nullable values are supported in requests only",
                        ))
                    }
                }
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Json)),
            Some(AdditionalProperties::Any(false)) | None => TypeRef::Json,
        })
    }

    /// Stripe's list, search result and v2 list envelopes (see [`Envelope`]).
    fn list_type(&mut self, object: &ObjectType, ctx: &Ctx) -> Result<Option<TypeRef>> {
        let wrap: fn(Box<TypeRef>) -> TypeRef = match Envelope::of(object) {
            Some(Envelope::List) => TypeRef::List,
            Some(Envelope::SearchResult) => TypeRef::SearchList,
            Some(Envelope::V2List) => TypeRef::V2List,
            None => return Ok(None),
        };
        let data_ctx = ctx.property("data");
        let Some(data) = object.properties.get("data") else {
            return Err(Error::unsupported(&data_ctx.pointer, "a list without `data`"));
        };
        let items = match &unbox(data) {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::Array(array)), ..
            }) => array.items.clone(),
            _ => None,
        };
        let Some(items) = items else {
            return Err(Error::unsupported(
                &data_ctx.pointer,
                "list `data` must be an array with `items`",
            ));
        };
        let item_ctx = Ctx { hint: ctx.hint.clone(), ..data_ctx.at("items") };
        Ok(Some(wrap(Box::new(self.item_type(&items, &item_ctx)?))))
    }

    fn object_struct(&mut self, object: &ObjectType, ctx: &Ctx) -> Result<Struct> {
        let mut fields = Vec::with_capacity(object.properties.len());
        let mut field_names = names::Scope::default();
        let mut object_tag = None;
        let mut deleted = false;
        for (wire, property) in &object.properties {
            let property_ctx = ctx.property(wire);
            let required = object.required.contains(wire);
            let doc = match property {
                ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            let (ty, nullable) = match (wire.as_str(), single_string_enum(property)) {
                ("object", Some(tag)) => {
                    object_tag = Some(tag);
                    (TypeRef::String, false)
                }
                _ => self.type_ref(&unbox(property), &property_ctx)?,
            };
            deleted |= wire == "deleted" && is_true_constant(property);
            let presence = match (nullable && !ctx.request, required) {
                (true, _) => Presence::Nullable,
                (false, true) => Presence::Required,
                (false, false) => Presence::Optional,
            };
            fields.push(Field {
                name: field_names.claim(&names::field_name(wire)),
                wire: wire.clone(),
                doc,
                ty,
                presence,
            });
        }
        Ok(Struct { fields, object_tag, deleted, request: ctx.request })
    }

    fn component(&self, reference: &str, ctx: &Ctx) -> Result<TypeId> {
        let name = component_name(reference, &ctx.pointer)?;
        self.components.get(name).copied().ok_or_else(|| {
            Error::unsupported(&ctx.pointer, format!("`$ref` to unknown schema `{reference}`"))
        })
    }
}

/// Stripe's list envelopes: a list (`object: list`), a search result (`object: search_result`),
/// and a v2 list (`data`, `next_page_url`, `previous_page_url`, untagged); each has these keys
/// and no others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Envelope {
    List,
    SearchResult,
    V2List,
}

impl Envelope {
    /// The envelope an object schema is, if it is one.
    pub(crate) fn of(object: &ObjectType) -> Option<Envelope> {
        const V2_LIST: &[&str] = &["data", "next_page_url", "previous_page_url"];
        let tag = object.properties.get("object").and_then(single_string_enum);
        let (envelope, allowed): (Envelope, &[&str]) = match tag.as_deref() {
            Some("list") => (Envelope::List, &["data", "has_more", "object", "url"]),
            Some("search_result") => (
                Envelope::SearchResult,
                &["data", "has_more", "next_page", "object", "total_count", "url"],
            ),
            None if V2_LIST.iter().all(|key| object.properties.contains_key(*key)) => {
                (Envelope::V2List, V2_LIST)
            }
            _ => return None,
        };
        object.properties.keys().all(|key| allowed.contains(&key.as_str())).then_some(envelope)
    }

    /// The `object` of its JSON (`list`, `search_result`; `v2_list` for the untagged v2 page).
    pub(crate) fn object(self) -> &'static str {
        match self {
            Envelope::List => "list",
            Envelope::SearchResult => "search_result",
            Envelope::V2List => "v2_list",
        }
    }
}
