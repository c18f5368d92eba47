//! The generator's own intermediate form: every type keyed by a [`TypeId`], named once, placed once.

use std::collections::BTreeSet;

/// Index of a type in [`Ir::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Where a type is emitted: `generated/<namespace>/<file>.rs`, or `generated/<file>.rs` at the root.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Home {
    pub namespace: Option<String>,
    pub file: String,
    /// Whether the file's module is public (resources) or only re-exported (everything else).
    pub public: bool,
}

#[derive(Debug)]
pub struct Ir {
    pub api_version: String,
    pub types: Vec<TypeDef>,
    /// Resources (`x-resourceId`) in id order, each with its type.
    pub resources: Vec<(String, TypeId)>,
    /// Component schemas of objects (an `object` tag) that are not resources, by component name
    /// (`deleted_price`, `application`): the fixtures have examples of some.
    pub objects: Vec<(String, TypeId)>,
    /// Every operation of the spec, in path and method order.
    pub operations: Vec<Operation>,
    /// The types the webhook module reads events with: `EventType`, `EventObject` and `event`.
    pub event_roots: Vec<TypeId>,
    /// Inline schemas that were found identical to an already emitted type and reused.
    pub deduplicated: usize,
    /// String formats the generator does not know, met in the spec and read as plain strings.
    pub plain_formats: std::collections::BTreeSet<String>,
    /// The alias of each typed id (`CustomerId` for `Customer`), in the type's module.
    pub id_aliases: std::collections::BTreeMap<TypeId, String>,
    /// The enum of the v2 errors' codes (`v2::error::Code`), when the spec has typed v2 errors.
    pub v2_error_code: Option<TypeId>,
}

impl Ir {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The path of a type from a crate root: `{krate}::billing_portal::Session`, `{krate}::Customer`.
    pub fn path(&self, id: TypeId, krate: &str) -> String {
        let def = self.get(id);
        match &def.home.namespace {
            Some(namespace) => format!("{krate}::{namespace}::{}", def.name),
            None => format!("{krate}::{}", def.name),
        }
    }
}

/// Documentation of a type: the spec's description (Markdown to make safe for rustdoc), or text
/// the generator writes (already rustdoc, intra-doc links included).
#[derive(Clone, Debug)]
pub enum Doc {
    Spec(String),
    Generated(String),
}

#[derive(Debug)]
pub struct TypeDef {
    /// Rust name, unique within its namespace.
    pub name: String,
    pub home: Home,
    pub doc: Option<Doc>,
    pub kind: TypeKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; the generated type keeps unknown values.
    StringEnum(Vec<EnumValue>),
    /// One of several object types, told apart by their `object` field (and `deleted`).
    Union(Vec<Variant>),
    /// Another name for a type (a component schema that is not an object).
    Alias(TypeRef),
    /// A request parameter that may take one of several shapes, sent as whichever it holds.
    RequestUnion(Vec<RequestVariant>),
}

impl TypeKind {
    /// The type references a definition holds directly (fields, variants, the aliased type), in
    /// declaration order: the one traversal every pass over the type graph uses.
    pub fn children(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|field| &field.ty).collect(),
            TypeKind::StringEnum(_) => Vec::new(),
            TypeKind::Union(variants) => variants.iter().map(|variant| &variant.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::RequestUnion(variants) => {
                variants.iter().filter_map(|variant| variant.value.as_type()).collect()
            }
        }
    }

    /// [`TypeKind::children`], to rewrite them (boxing).
    pub fn children_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter_mut().map(|field| &mut field.ty).collect(),
            TypeKind::StringEnum(_) => Vec::new(),
            TypeKind::Union(variants) => {
                variants.iter_mut().map(|variant| &mut variant.ty).collect()
            }
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::RequestUnion(variants) => variants
                .iter_mut()
                .filter_map(|variant| match &mut variant.value {
                    RequestValue::Type(ty) => Some(ty),
                    RequestValue::Unit(_) => None,
                })
                .collect(),
        }
    }
}

/// One alternative of a request parameter that takes several shapes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestVariant {
    pub name: String,
    pub value: RequestValue,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RequestValue {
    /// One value of a string enum, a variant without data sent as that string (`TrialEnd::Now`).
    Unit(String),
    /// A value of this type (`TrialEnd::Timestamp(i64)`).
    Type(TypeRef),
}

impl RequestValue {
    pub fn as_type(&self) -> Option<&TypeRef> {
        match self {
            RequestValue::Type(ty) => Some(ty),
            RequestValue::Unit(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// The constant value of the `object` field, if the schema has one.
    pub object_tag: Option<String>,
    /// Whether this is a deleted object (`deleted: true`).
    pub deleted: bool,
    /// Whether this is request parameters (serialized only, with a `new` constructor).
    pub request: bool,
}

impl Struct {
    /// Whether the struct has a required, non-null string `id`.
    pub fn has_id(&self) -> bool {
        self.fields.iter().any(|f| {
            f.wire == "id"
                && f.presence == Presence::Required
                && matches!(f.ty, TypeRef::String | TypeRef::Id(_))
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// Rust field name.
    pub name: String,
    /// JSON name.
    pub wire: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub presence: Presence,
}

/// How a field appears in the JSON the API sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Required and never null.
    Required,
    /// May be null (`nullable`): `Option`, serialized as `null`.
    Nullable,
    /// Not required and not nullable: `Option`, omitted when `None`.
    Optional,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumValue {
    pub variant: String,
    pub wire: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Variant {
    pub name: String,
    pub ty: TypeRef,
    /// The `(object, deleted)` pairs that select this variant.
    pub tags: BTreeSet<(String, bool)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Bool,
    I64,
    F64,
    Timestamp,
    /// The `id` of an object, typed by the object's type (`crate::CustomerId`).
    Id(TypeId),
    /// A currency code (`format: currency`).
    Currency,
    /// An RFC 3339 timestamp (`format: date-time`, the v2 API's).
    DateTime,
    /// Arbitrary JSON.
    Json,
    Named(TypeId),
    Vec(Box<TypeRef>),
    /// String keys to values (`additionalProperties`).
    Map(Box<TypeRef>),
    Expandable(Box<TypeRef>),
    List(Box<TypeRef>),
    SearchList(Box<TypeRef>),
    /// A request value that may be `null` (the values of v2 metadata: `null` removes a key).
    Nullable(Box<TypeRef>),
    /// A page of a v2 list (`data`, `next_page_url`, `previous_page_url`).
    V2List(Box<TypeRef>),
    Boxed(Box<TypeRef>),
    /// A request parameter that may also be sent as `""` to unset it.
    Unsettable(Box<TypeRef>),
    /// A file sent as a multipart part.
    File,
}

impl TypeRef {
    /// Named types that this reference contains by value (not behind a `Vec`, map, `Box` or
    /// `Expandable`): the edges along which a type would contain itself.
    pub fn direct_target(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Unsettable(inner) => inner.direct_target(),
            _ => None,
        }
    }
}

/// Every HTTP method an OpenAPI path item can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Delete,
    Put,
    Patch,
    Head,
    Options,
    Trace,
}

impl HttpMethod {
    /// In the order the generator reads them from a path item.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Head,
        HttpMethod::Options,
        HttpMethod::Trace,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The runtime's `stripe_sdk::Method` variant.
    pub fn variant(self) -> &'static str {
        match self {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Delete => "Delete",
            HttpMethod::Put => "Put",
            HttpMethod::Patch => "Patch",
            HttpMethod::Head => "Head",
            HttpMethod::Options => "Options",
            HttpMethod::Trace => "Trace",
        }
    }

    /// The operation this method performs on a collection (`GET /v1/customers` lists, `POST`
    /// creates); methods Stripe does not use are named by themselves (`put`).
    pub fn collection_verb(self, is_list: bool) -> &'static str {
        match self {
            HttpMethod::Get if is_list => "list",
            HttpMethod::Get => "retrieve",
            HttpMethod::Post => "create",
            HttpMethod::Delete => "delete",
            HttpMethod::Put => "put",
            HttpMethod::Patch => "patch",
            HttpMethod::Head => "head",
            HttpMethod::Options => "options",
            HttpMethod::Trace => "trace",
        }
    }

    /// The operation this method performs on one object (`POST /v1/customers/{customer}` updates).
    pub fn object_verb(self) -> &'static str {
        match self {
            HttpMethod::Post => "update",
            other => other.collection_verb(false),
        }
    }
}

#[derive(Debug)]
pub struct Operation {
    pub operation_id: String,
    pub method: HttpMethod,
    /// Path template, such as `/v1/customers/{customer}`.
    pub path: String,
    /// The type whose `impl` block holds the method.
    pub owner: TypeId,
    /// Method name, unique on its owner.
    pub name: String,
    pub doc: Option<String>,
    /// Path parameters in path order: (Rust name, name in the template).
    pub path_params: Vec<(String, String)>,
    /// The parameters struct, if the operation takes any parameters besides the path.
    pub params: Option<TypeId>,
    pub response: Response,
    /// Whether the request goes to the files host rather than the API host.
    pub files_host: bool,
    /// For `multipart/form-data` bodies: the JSON name of the file part.
    pub multipart_file: Option<String>,
    /// Whether the parameters travel as a JSON body (the v2 API) rather than form-encoded.
    pub json_body: bool,
}

#[derive(Debug)]
pub enum Response {
    Json(TypeRef),
    /// Raw bytes (a PDF).
    Bytes,
}

// ---- questions about the intermediate form, asked by the emitters ----

impl Ir {
    /// The event types (`customer.created`): the values of `EventType`, without the `*` that
    /// subscribes to all of them.
    pub fn event_types(&self) -> Vec<&str> {
        let values = match self.event_roots.first().map(|id| &self.get(*id).kind) {
            Some(TypeKind::StringEnum(values)) => values.as_slice(),
            _ => &[],
        };
        values.iter().map(|value| value.wire.as_str()).filter(|wire| *wire != "*").collect()
    }

    /// See [`defaultable_of`].
    pub fn defaultable(&self) -> Vec<bool> {
        defaultable_of(self)
    }
}

/// Which types decode from an empty JSON object: structs whose every field is optional, a
/// collection, or itself such a struct. A required field of such a type that the API omits decodes
/// as the type's default instead of failing the whole object.
fn defaultable_of(ir: &Ir) -> Vec<bool> {
    let mut result = vec![false; ir.types.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for (index, def) in ir.types.iter().enumerate() {
            if result[index] {
                continue;
            }
            if let TypeKind::Struct(s) = &def.kind {
                if s.fields
                    .iter()
                    .all(|f| f.presence != Presence::Required || defaults(&f.ty, &result))
                {
                    result[index] = true;
                    changed = true;
                }
            }
        }
    }
    result
}

/// Whether a required field of this type decodes as its default when absent.
pub fn defaults(ty: &TypeRef, defaultable: &[bool]) -> bool {
    match ty {
        TypeRef::Vec(_) | TypeRef::Map(_) => true,
        TypeRef::Named(id) => defaultable[id.0],
        TypeRef::Boxed(inner) => defaults(inner, defaultable),
        _ => false,
    }
}

/// Whether values of this type have an `id` (structs with an `id` field, unions of such).
pub fn type_has_id(ir: &Ir, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => match &ir.get(*id).kind {
            TypeKind::Struct(s) => s.has_id(),
            TypeKind::Union(variants) => variants.iter().all(|v| type_has_id(ir, &v.ty)),
            TypeKind::Alias(ty) => type_has_id(ir, ty),
            TypeKind::StringEnum(_) | TypeKind::RequestUnion(_) => false,
        },
        TypeRef::Boxed(inner) => type_has_id(ir, inner),
        _ => false,
    }
}

/// Small type graphs for the unit tests of the passes over the intermediate form.
#[cfg(test)]
pub mod sample {
    use super::*;

    pub fn def(name: &str, kind: TypeKind) -> TypeDef {
        let home = Home { namespace: None, file: name.to_owned(), public: true };
        TypeDef { name: name.to_owned(), home, doc: None, kind }
    }

    pub fn object(fields: &[(&str, TypeRef)]) -> TypeKind {
        let fields = fields
            .iter()
            .map(|(name, ty)| Field {
                name: (*name).to_owned(),
                wire: (*name).to_owned(),
                doc: None,
                ty: ty.clone(),
                presence: Presence::Optional,
            })
            .collect();
        TypeKind::Struct(Struct { fields, object_tag: None, deleted: false, request: false })
    }

    pub fn ir(types: Vec<TypeDef>) -> Ir {
        Ir {
            api_version: String::new(),
            types,
            resources: Default::default(),
            objects: Vec::new(),
            operations: Vec::new(),
            event_roots: Default::default(),
            deduplicated: 0,
            plain_formats: Default::default(),
            id_aliases: Default::default(),
            v2_error_code: None,
        }
    }
}
