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
    /// Inline schemas that were found identical to an already emitted type and reused.
    pub deduplicated: usize,
}

impl Ir {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

#[derive(Debug)]
pub struct TypeDef {
    /// Rust name, unique within its namespace.
    pub name: String,
    pub home: Home,
    pub doc: Option<String>,
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
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// The constant value of the `object` field, if the schema has one.
    pub object_tag: Option<String>,
    /// Whether this is a deleted object (`deleted: true`).
    pub deleted: bool,
}

impl Struct {
    /// Whether the struct has a required, non-null string `id`.
    pub fn has_id(&self) -> bool {
        self.fields.iter().any(|f| f.wire == "id" && f.presence == Presence::Required && f.ty == TypeRef::String)
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
    /// Arbitrary JSON.
    Json,
    Named(TypeId),
    Vec(Box<TypeRef>),
    /// String keys to values (`additionalProperties`).
    Map(Box<TypeRef>),
    Expandable(Box<TypeRef>),
    List(Box<TypeRef>),
    SearchList(Box<TypeRef>),
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// Named types that this reference contains by value (not behind a `Vec`, map, `Box` or
    /// `Expandable`): the edges along which a type would contain itself.
    pub fn direct_target(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }
}
