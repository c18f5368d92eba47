//! Names of the types the conversion creates: unique in their namespace, inline types named after
//! where they are used, identical inline shapes shared.

use super::*;

impl Converter<'_> {
    /// Takes `name` in `namespace`; false if it is already taken.
    pub(super) fn claim(&mut self, namespace: &Option<String>, name: &str) -> bool {
        let taken = self.taken.entry(namespace.clone()).or_insert_with(|| {
            names::RESERVED_TYPE_NAMES.iter().map(|name| (*name).to_owned()).collect()
        });
        taken.insert(name.to_owned())
    }

    /// Adds a type under `name` (or, if taken, `name` with a number) that is never shared.
    pub(super) fn named(
        &mut self,
        name: String,
        home: &Home,
        doc: Option<Doc>,
        kind: TypeKind,
    ) -> TypeId {
        let mut unique = name.clone();
        let mut suffix = 2;
        while !self.claim(&home.namespace, &unique) {
            unique = format!("{name}{suffix}");
            suffix += 1;
        }
        let id = TypeId(self.pending.len());
        self.pending.push(Pending {
            name: unique,
            home: home.clone(),
            doc,
            origin: String::new(),
            kind: Some(kind),
        });
        id
    }

    /// Adds an inline type, or reuses an identical one met before for a field of the same name.
    pub(super) fn inline(&mut self, kind: TypeKind, doc: Option<Doc>, ctx: &Ctx) -> TypeId {
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
        let id = TypeId(self.pending.len());
        self.pending.push(Pending {
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

/// The name of one alternative of a request parameter: its schema's `title`, the referenced
/// type's name, or the kind of value.
pub(super) fn request_variant_name(
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
        TypeRef::Named(id) => converter.pending[id.0].name.clone(),
        _ => "Value".to_owned(),
    }
}
