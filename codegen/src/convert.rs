//! From OpenAPI schemas to the intermediate form: every component and inline schema becomes a
//! [`TypeDef`], identical inline schemas are emitted once, and cycles are broken with `Box`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, OpenAPI, ReferenceOr, Schema,
    SchemaData, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::*;
use crate::load::escape;
use crate::names;

mod boxing;
mod events;
mod operations;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Converts every component schema of the spec into the intermediate form.
pub fn convert(spec: &OpenAPI) -> Result<Ir> {
    let schemas: BTreeMap<&str, &ReferenceOr<Schema>> = spec
        .components
        .as_ref()
        .map(|c| c.schemas.iter().map(|(name, schema)| (name.as_str(), schema)).collect())
        .unwrap_or_default();
    let mut converter = Converter::new(&schemas)?;
    for (name, schema) in &schemas {
        converter.convert_component(name, schema)?;
    }
    let operations = operations::convert(&mut converter, spec)?;
    events::add(&mut converter)?;
    let mut ir = converter.finish(spec.info.version.clone(), operations)?;
    break_cycles(&mut ir);
    boxing::box_large(&mut ir);
    Ok(ir)
}

/// Where the schema being converted sits: its spec location, the name its inline types start
/// with, the JSON name of the field it belongs to, and the file its inline types go to.
#[derive(Clone)]
struct Ctx {
    pointer: String,
    hint: String,
    field: String,
    home: Home,
    /// Whether the schema describes request parameters rather than a response object.
    request: bool,
}

impl Ctx {
    fn property(&self, wire: &str) -> Ctx {
        Ctx {
            pointer: format!("{}/properties/{}", self.pointer, escape(wire)),
            hint: format!("{}{}", self.hint, names::type_name(wire)),
            field: wire.to_owned(),
            home: self.home.clone(),
            request: self.request,
        }
    }

    fn at(&self, segment: &str) -> Ctx {
        Ctx { pointer: format!("{}/{}", self.pointer, segment), ..self.clone() }
    }
}

/// A type whose name and place are fixed and whose body is being converted.
struct Slot {
    name: String,
    home: Home,
    doc: Option<Doc>,
    origin: String,
    kind: Option<TypeKind>,
}

struct Converter<'a> {
    schemas: &'a BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    slots: Vec<Slot>,
    components: BTreeMap<&'a str, TypeId>,
    resources: Vec<(String, TypeId)>,
    /// The types webhook events are read with (see `events`).
    event_roots: Vec<TypeId>,
    taken: HashMap<Option<String>, HashSet<String>>,
    /// Inline types by (field name, shape): identical inline schemas reuse one type.
    shapes: HashMap<(String, TypeKind), TypeId>,
    deduplicated: usize,
}

impl<'a> Converter<'a> {
    /// Registers every component up front, so that names are assigned once and references resolve
    /// in any order.
    fn new(schemas: &'a BTreeMap<&'a str, &'a ReferenceOr<Schema>>) -> Result<Self> {
        let mut converter = Converter {
            schemas,
            slots: Vec::new(),
            components: BTreeMap::new(),
            resources: Vec::new(),
            event_roots: Vec::new(),
            taken: HashMap::new(),
            shapes: HashMap::new(),
            deduplicated: 0,
        };
        let mut files: BTreeMap<(Option<String>, String), &str> = BTreeMap::new();
        for (name, schema) in schemas {
            let pointer = component_pointer(name);
            let schema = component_item(schema, &pointer)?;
            let resource_id =
                schema.schema_data.extensions.get("x-resourceId").and_then(Value::as_str);
            let mut location = names::location(resource_id.unwrap_or(name));
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
            let id = TypeId(converter.slots.len());
            converter.slots.push(Slot {
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

    /// Takes `name` in `namespace`; false if it is already taken.
    fn claim(&mut self, namespace: &Option<String>, name: &str) -> bool {
        let taken = self.taken.entry(namespace.clone()).or_insert_with(|| {
            names::RESERVED_TYPE_NAMES.iter().map(|name| (*name).to_owned()).collect()
        });
        taken.insert(name.to_owned())
    }

    fn finish(self, api_version: String, operations: Vec<Operation>) -> Result<Ir> {
        let mut types = Vec::with_capacity(self.slots.len());
        for slot in self.slots {
            let Some(kind) = slot.kind else {
                return Err(Error::unsupported(
                    &slot.origin,
                    "schema was registered but never converted",
                ));
            };
            types.push(TypeDef { name: slot.name, home: slot.home, doc: slot.doc, kind });
        }
        Ok(Ir {
            api_version,
            types,
            resources: self.resources,
            operations,
            event_roots: self.event_roots,
            deduplicated: self.deduplicated,
        })
    }

    fn convert_component(&mut self, name: &str, schema: &ReferenceOr<Schema>) -> Result<()> {
        let id = self.components[name];
        let pointer = component_pointer(name);
        let schema = component_item(schema, &pointer)?;
        let slot = &self.slots[id.0];
        let ctx = Ctx {
            pointer,
            hint: slot.name.clone(),
            field: name.to_owned(),
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
        self.slots[id.0].kind = Some(kind);
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
            SchemaKind::Type(Type::String(string)) => string_type(&string.format, ctx)?,
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
                if nullable {
                    return Err(Error::unsupported(
                        &ctx.pointer,
                        "maps with nullable values are not supported",
                    ));
                }
                TypeRef::Map(Box::new(ty))
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Json)),
            Some(AdditionalProperties::Any(false)) | None => TypeRef::Json,
        })
    }

    /// Stripe's list (`object: list`) and search result (`object: search_result`) envelopes.
    fn list_type(&mut self, object: &ObjectType, ctx: &Ctx) -> Result<Option<TypeRef>> {
        let tag = object.properties.get("object").and_then(single_string_enum);
        type Wrap = fn(Box<TypeRef>) -> TypeRef;
        let (allowed, wrap): (&[&str], Wrap) = match tag.as_deref() {
            Some("list") => (&["data", "has_more", "object", "url"], TypeRef::List),
            Some("search_result") => (
                &["data", "has_more", "next_page", "object", "total_count", "url"],
                TypeRef::SearchList,
            ),
            _ => return Ok(None),
        };
        if !object.properties.keys().all(|key| allowed.contains(&key.as_str())) {
            return Ok(None);
        }
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

    fn any_of(
        &mut self,
        schema: &Schema,
        branches: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<(TypeRef, bool)> {
        if let Some(expansion) = schema.schema_data.extensions.get("x-expansionResources") {
            return Ok((
                self.expandable(expansion, branches, schema.schema_data.description.clone(), ctx)?,
                false,
            ));
        }
        if let [branch] = branches {
            return self.type_ref(branch, &ctx.at("anyOf/0"));
        }
        let variants = self.union_variants(branches, ctx)?;
        Ok((
            TypeRef::Named(self.union(
                variants,
                schema.schema_data.description.clone().map(Doc::Spec),
                ctx,
            )),
            false,
        ))
    }

    /// Adds an inline polymorphic type. One of up to three variants is named after them
    /// (`CustomerOrDeletedCustomer`) and kept beside its first variant, since many fields share
    /// it; a larger one is named after its field.
    fn union(&mut self, variants: Vec<Variant>, doc: Option<Doc>, ctx: &Ctx) -> TypeId {
        let first = variants.first().and_then(|v| v.ty.direct_target());
        match first {
            Some(first) if variants.len() <= 3 && variants.iter().all(|v| !v.tags.is_empty()) => {
                let name: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                let home = self.slots[first.0].home.clone();
                let ctx = Ctx {
                    hint: name.join("Or"),
                    field: String::new(),
                    home,
                    pointer: ctx.pointer.clone(),
                    request: ctx.request,
                };
                let doc = Some(Doc::Generated(format!(
                    "One of {}.",
                    name.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                )));
                self.inline(TypeKind::Union(variants), doc, &ctx)
            }
            _ => self.inline(TypeKind::Union(variants), doc, ctx),
        }
    }

    /// A request parameter with alternatives: `{enum: [""]}` branches make it [`TypeRef::Unsettable`];
    /// several remaining branches make a [`TypeKind::RequestUnion`].
    fn request_any_of(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        doc: Option<String>,
        ctx: &Ctx,
    ) -> Result<TypeRef> {
        let is_unset = |branch: &ReferenceOr<Schema>| {
            matches!(branch, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(s)), .. })
                if s.enumeration == [Some(String::new())])
        };
        let unsettable = branches.iter().any(is_unset);
        let rest: Vec<(usize, &ReferenceOr<Schema>)> =
            branches.iter().enumerate().filter(|(_, b)| !is_unset(b)).collect();
        let ty = match rest.as_slice() {
            [] => {
                return Err(Error::unsupported(
                    &ctx.pointer,
                    "`anyOf` with only empty-string branches",
                ))
            }
            [(index, branch)] => self.type_ref(branch, &ctx.at(&format!("anyOf/{index}")))?.0,
            _ => {
                let mut variants: Vec<(String, TypeRef)> = Vec::with_capacity(rest.len());
                let mut scope = names::Scope::default();
                for (index, branch) in &rest {
                    // An inline alternative is named after the parameter and its title
                    // (`…CreatedRangeQuerySpecs`), leaving the parameter's name to the union.
                    let mut branch_ctx = ctx.at(&format!("anyOf/{index}"));
                    if let ReferenceOr::Item(Schema {
                        schema_data: SchemaData { title: Some(title), .. },
                        ..
                    }) = branch
                    {
                        branch_ctx.hint = format!("{}{}", ctx.hint, names::type_name(title));
                    }
                    let (ty, _) = self.type_ref(branch, &branch_ctx)?;
                    let name = scope.claim(&request_variant_name(branch, &ty, self));
                    variants.push((name, ty));
                }
                TypeRef::Named(self.inline(
                    TypeKind::RequestUnion(variants),
                    doc.map(Doc::Spec),
                    ctx,
                ))
            }
        };
        Ok(if unsettable { TypeRef::Unsettable(Box::new(ty)) } else { ty })
    }

    /// A field that is either an id or one of the objects in `x-expansionResources`.
    fn expandable(
        &mut self,
        expansion: &Value,
        branches: &[ReferenceOr<Schema>],
        doc: Option<String>,
        ctx: &Ctx,
    ) -> Result<TypeRef> {
        let pointer = format!("{}/x-expansionResources", ctx.pointer);
        let refs: Vec<ReferenceOr<Schema>> = expansion
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|branch| match branch.get("$ref").and_then(Value::as_str) {
                Some(reference) => Ok(ReferenceOr::Reference { reference: reference.to_owned() }),
                None => {
                    Err(Error::unsupported(&pointer, "expected `oneOf` with only `$ref` entries"))
                }
            })
            .collect::<Result<_>>()?;
        if refs.is_empty() {
            return Err(Error::unsupported(&pointer, "expected `oneOf` with at least one `$ref`"));
        }
        for (index, branch) in branches.iter().enumerate() {
            let is_id = matches!(branch, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(s)), .. }) if s.enumeration.is_empty());
            if !is_id && !refs.contains(branch) {
                return Err(Error::unsupported(
                    &format!("{}/anyOf/{index}", ctx.pointer),
                    "an expandable field's branches must be an id string or one of its x-expansionResources",
                ));
            }
        }
        let object = match refs.as_slice() {
            [single] => self.type_ref(single, ctx)?.0,
            _ => {
                let variants = self.union_variants(&refs, ctx)?;
                TypeRef::Named(self.union(variants, doc.map(Doc::Spec), ctx))
            }
        };
        Ok(TypeRef::Expandable(Box::new(object)))
    }

    /// Variants of a polymorphic object, each a `$ref`, told apart by `object` and `deleted`.
    fn union_variants(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Vec<Variant>> {
        let mut variants = Vec::with_capacity(branches.len());
        let mut scope = names::Scope::with_reserved(&["Unknown"]);
        let mut seen: BTreeMap<(String, bool), String> = BTreeMap::new();
        for (index, branch) in branches.iter().enumerate() {
            let pointer = format!("{}/anyOf/{index}", ctx.pointer);
            let ReferenceOr::Reference { reference } = branch else {
                return Err(Error::unsupported(
                    &pointer,
                    "a polymorphic object's branches must be `$ref`s",
                ));
            };
            let name = component_name(reference, &pointer)?;
            let tags = self.tags(name, &pointer)?;
            for tag in &tags {
                if let Some(other) = seen.insert(tag.clone(), name.to_owned()) {
                    return Err(Error::unsupported(
                        &pointer,
                        format!("`{other}` and `{name}` both decode from object `{}`", tag.0),
                    ));
                }
            }
            let ty = TypeRef::Named(self.component(reference, ctx)?);
            variants.push(Variant { name: scope.claim(&names::type_name(name)), ty, tags });
        }
        // Either every variant has an `object` tag, or none has and each is an object, told apart
        // by its fields.
        let untagged = variants.iter().filter(|v| v.tags.is_empty()).count();
        if untagged > 0 && untagged < variants.len() {
            return Err(Error::unsupported(
                &ctx.pointer,
                "a polymorphic object mixing variants with and without an `object` field",
            ));
        }
        if untagged > 0 {
            for (index, branch) in branches.iter().enumerate() {
                let is_object = matches!(branch, ReferenceOr::Reference { reference }
                    if matches!(self.schemas.get(component_name(reference, &ctx.pointer)?),
                        Some(ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(_)), .. }))));
                if !is_object {
                    return Err(Error::unsupported(
                        &format!("{}/anyOf/{index}", ctx.pointer),
                        "a polymorphic variant without an `object` field must be an object schema",
                    ));
                }
            }
        }
        Ok(variants)
    }

    /// The `(object, deleted)` values that identify a component, read from the spec.
    fn tags(&self, name: &str, pointer: &str) -> Result<BTreeSet<(String, bool)>> {
        let Some(ReferenceOr::Item(schema)) = self.schemas.get(name) else {
            return Err(Error::unsupported(pointer, format!("unknown schema `{name}`")));
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                let deleted = object.properties.get("deleted").is_some_and(is_true_constant);
                Ok(object
                    .properties
                    .get("object")
                    .and_then(single_string_enum)
                    .map(|tag| (tag, deleted))
                    .into_iter()
                    .collect())
            }
            SchemaKind::AnyOf { any_of: branches } | SchemaKind::OneOf { one_of: branches } => {
                let mut tags = BTreeSet::new();
                for branch in branches {
                    if let ReferenceOr::Reference { reference } = branch {
                        tags.extend(self.tags(component_name(reference, pointer)?, pointer)?);
                    }
                }
                Ok(tags)
            }
            _ => Ok(BTreeSet::new()),
        }
    }

    fn component(&self, reference: &str, ctx: &Ctx) -> Result<TypeId> {
        let name = component_name(reference, &ctx.pointer)?;
        self.components.get(name).copied().ok_or_else(|| {
            Error::unsupported(&ctx.pointer, format!("`$ref` to unknown schema `{reference}`"))
        })
    }

    /// Adds a type under `name` (or, if taken, `name` with a number) that is never shared.
    fn named(&mut self, name: String, home: &Home, doc: Option<Doc>, kind: TypeKind) -> TypeId {
        let mut unique = name.clone();
        let mut suffix = 2;
        while !self.claim(&home.namespace, &unique) {
            unique = format!("{name}{suffix}");
            suffix += 1;
        }
        let id = TypeId(self.slots.len());
        self.slots.push(Slot {
            name: unique,
            home: home.clone(),
            doc,
            origin: String::new(),
            kind: Some(kind),
        });
        id
    }

    /// Adds an inline type, or reuses an identical one met before for a field of the same name.
    fn inline(&mut self, kind: TypeKind, doc: Option<Doc>, ctx: &Ctx) -> TypeId {
        let key = (ctx.field.clone(), kind);
        if let Some(id) = self.shapes.get(&key) {
            self.deduplicated += 1;
            return *id;
        }
        // A taken name gets the kind of type appended, then a number.
        let kind_suffix = match &key.1 {
            TypeKind::Struct(_) => "Object",
            TypeKind::StringEnum(_) => "Enum",
            TypeKind::Union(_) => "Union",
            TypeKind::Alias(_) => "Alias",
            TypeKind::RequestUnion(_) => "Union",
        };
        let mut name = ctx.hint.clone();
        let mut suffix = 1;
        while !self.claim(&ctx.home.namespace, &name) {
            name = match suffix {
                1 => format!("{}{kind_suffix}", ctx.hint),
                n => format!("{}{kind_suffix}{n}", ctx.hint),
            };
            suffix += 1;
        }
        let id = TypeId(self.slots.len());
        self.slots.push(Slot {
            name,
            home: ctx.home.clone(),
            doc,
            origin: ctx.pointer.clone(),
            kind: Some(key.1.clone()),
        });
        self.shapes.insert(key, id);
        id
    }
}

fn component_pointer(name: &str) -> String {
    format!("{SCHEMA_PREFIX}{}", escape(name))
}

fn component_item<'s>(schema: &'s ReferenceOr<Schema>, pointer: &str) -> Result<&'s Schema> {
    match schema {
        ReferenceOr::Item(schema) => Ok(schema),
        ReferenceOr::Reference { .. } => {
            Err(Error::unsupported(pointer, "a component schema that is only a `$ref`"))
        }
    }
}

fn component_name<'r>(reference: &'r str, pointer: &str) -> Result<&'r str> {
    reference.strip_prefix(SCHEMA_PREFIX).ok_or_else(|| {
        Error::unsupported(pointer, format!("`$ref` outside {SCHEMA_PREFIX}: `{reference}`"))
    })
}

/// A namespace module must not share its name with a file at the crate root.
fn check_namespaces(files: &BTreeMap<(Option<String>, String), &str>) -> Result<()> {
    for ((namespace, _), schema) in files {
        if let Some(namespace) = namespace {
            if let Some(root) = files.get(&(None, namespace.clone())) {
                return Err(Error::unsupported(
                    &component_pointer(root),
                    format!(
                        "module `{namespace}` is both this schema and the namespace of `{schema}`"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => {
            ReferenceOr::Reference { reference: reference.clone() }
        }
        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
    }
}

fn string_type(
    format: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>,
    ctx: &Ctx,
) -> Result<TypeRef> {
    match format {
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) if ctx.request => {
            Ok(TypeRef::File)
        }
        VariantOrUnknownOrEmpty::Empty => Ok(TypeRef::String),
        // Decimal numbers travel as strings so that no precision is lost.
        VariantOrUnknownOrEmpty::Unknown(format) if format == "decimal" => Ok(TypeRef::String),
        VariantOrUnknownOrEmpty::Item(format) => Err(Error::unsupported(
            &ctx.pointer,
            format!("string format `{format:?}` is not supported in objects"),
        )),
        VariantOrUnknownOrEmpty::Unknown(format) => Err(Error::unsupported(
            &ctx.pointer,
            format!("string format `{format}` is not supported"),
        )),
    }
}

fn string_enum(values: &[Option<String>], ctx: &Ctx) -> Result<Vec<EnumValue>> {
    let mut variants: Vec<EnumValue> = Vec::with_capacity(values.len());
    let mut scope = names::Scope::with_reserved(&["Unknown"]);
    for value in values {
        let Some(wire) = value else {
            return Err(Error::unsupported(
                &ctx.pointer,
                "`null` inside `enum` is not supported; use `nullable`",
            ));
        };
        if variants.iter().any(|v| &v.wire == wire) {
            continue;
        }
        // `unknown` is a value of many Stripe enums; `Unknown(String)` holds values we do not know.
        let base = names::variant_name(wire);
        let base = if base == "Unknown" { "UnknownValue".to_owned() } else { base };
        variants.push(EnumValue { variant: scope.claim(&base), wire: wire.clone() });
    }
    Ok(variants)
}

/// The value of a string enum with exactly one value (`object: {enum: [customer]}`).
fn single_string_enum(schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
    match schema {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
                [Some(value)] => Some(value.clone()),
                _ => None,
            },
            _ => None,
        },
        ReferenceOr::Reference { .. } => None,
    }
}

/// `{type: boolean, enum: [true]}`, as the `deleted` field of deleted objects.
fn is_true_constant(schema: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(schema, ReferenceOr::Item(schema) if matches!(&schema.schema_kind,
        SchemaKind::Type(Type::Boolean(boolean)) if boolean.enumeration == [Some(true)]))
}

fn is_empty_any(any: &openapiv3::AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.format.is_none()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
}

/// Boxes every by-value reference between types of one strongly connected component, so that no
/// type contains itself without indirection.
fn break_cycles(ir: &mut Ir) {
    let edges: Vec<Vec<TypeId>> = ir
        .types
        .iter()
        .map(|def| def.kind.children().into_iter().filter_map(TypeRef::direct_target).collect())
        .collect();
    let component = strongly_connected(&edges);
    for (index, def) in ir.types.iter_mut().enumerate() {
        // Aliases are not boxed: an alias cycle is refused when it is resolved.
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        for ty in def.kind.children_mut() {
            if let Some(target) = ty.direct_target() {
                if component[target.0] == component[index] {
                    *ty = TypeRef::Boxed(Box::new(ty.clone()));
                }
            }
        }
    }
}

/// Tarjan's algorithm (iterative): the strongly connected component of each node.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(edge).map(|t| t.0) {
                work.push((node, edge + 1));
                if index[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

/// The name of one alternative of a request parameter: its schema's `title`, the referenced
/// type's name, or the kind of value.
fn request_variant_name(
    branch: &ReferenceOr<Schema>,
    ty: &TypeRef,
    converter: &Converter,
) -> String {
    if let ReferenceOr::Item(schema) = branch {
        if let Some(title) = &schema.schema_data.title {
            return names::type_name(title);
        }
    }
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::I64 | TypeRef::Timestamp => "Integer".to_owned(),
        TypeRef::F64 => "Number".to_owned(),
        TypeRef::Vec(_) => "List".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Named(id) => converter.slots[id.0].name.clone(),
        _ => "Value".to_owned(),
    }
}
