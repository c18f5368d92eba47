//! Names of the types the conversion creates: unique in their namespace, inline types named after
//! where they are used, identical inline shapes shared.

use std::collections::{HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use crate::ir::{Doc, Home, TypeId, TypeKind, TypeRef};
use crate::names;

use super::{Converter, Ctx, Pending, Share};

impl<'a> Converter<'a> {
    /// The component schema a type was made for.
    pub(super) fn component_name_of(&self, id: TypeId) -> Option<&'a str> {
        self.components.iter().find(|(_, component)| **component == id).map(|(name, _)| *name)
    }

    /// The naming context of a request schema, where the rule for shared types changes it:
    /// a specific title names the type (`RangeQuerySpecs`), and every use of that shape is one
    /// type; a type that operations of several resources share is named from the parameter down
    /// (`Address`), without any one operation's name.
    pub(super) fn request_naming(&self, schema: &Schema, ctx: &Ctx) -> Option<Ctx> {
        if !ctx.request {
            return None;
        }
        if let Some(title) = schema.schema_data.title.as_ref().filter(|t| self.titles.contains(*t))
        {
            let name = names::type_name(title);
            return Some(Ctx {
                hint: name.clone(),
                local_hint: name,
                share: Share::Title(title.clone()),
                ..ctx.clone()
            });
        }
        if self.shared.contains(&ctx.pointer) && !ctx.local_hint.is_empty() {
            return Some(Ctx { hint: ctx.local_hint.clone(), ..ctx.clone() });
        }
        None
    }

    /// Notes that the request type `id` is used at `ctx` (for the first pass).
    pub(super) fn note_use(&mut self, id: TypeId, ctx: &Ctx) {
        if let Some(owner) = ctx.owner {
            let (owners, pointers) = self.uses.entry(id).or_default();
            owners.insert(owner);
            pointers.push(ctx.pointer.clone());
        }
    }

    /// The pointers of request schemas whose type operations of several resources use.
    pub(super) fn shared_pointers(&self) -> HashSet<String> {
        self.uses
            .values()
            .filter(|(owners, _)| owners.len() > 1)
            .flat_map(|(_, pointers)| pointers.iter().cloned())
            .collect()
    }

    /// Whether a type was made for an inline schema (not a component of the spec).
    pub(super) fn is_inline(&self, id: TypeId) -> bool {
        self.component_name_of(id).is_none()
    }

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
        let key = (ctx.share.clone(), kind);
        if let Some(&id) = self.shapes.get(&key) {
            self.deduplicated += 1;
            self.note_use(id, ctx);
            return id;
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
        self.note_use(id, ctx);
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
        TypeRef::I64 => "Integer".to_owned(),
        TypeRef::Timestamp => "Timestamp".to_owned(),
        TypeRef::Id(_) => "Id".to_owned(),
        TypeRef::Currency => "Currency".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::F64 => "Number".to_owned(),
        TypeRef::Vec(_) => "List".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Named(id) => match &converter.pending[id.0].kind {
            Some(TypeKind::Struct(_)) if converter.is_inline(*id) => "Object".to_owned(),
            _ => converter.pending[id.0].name.clone(),
        },
        _ => "Value".to_owned(),
    }
}

/// Titles of request schemas that name one shape in the whole spec: every schema with that title
/// is the same once descriptions and limits are set aside (`range_query_specs`,
/// `optional_fields_address`). A title that several shapes carry (`param`, 11 shapes in v524)
/// names none of them.
pub(super) fn specific_titles(spec: &OpenAPI) -> HashSet<String> {
    let mut shapes: HashMap<String, HashSet<String>> = HashMap::new();
    if let Ok(paths) = serde_json::to_value(&spec.paths) {
        collect_titles(&paths, &mut shapes);
    }
    shapes.into_iter().filter(|(_, shapes)| shapes.len() == 1).map(|(title, _)| title).collect()
}

fn collect_titles(value: &Value, shapes: &mut HashMap<String, HashSet<String>>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(title)) = map.get("title") {
                let shape = without_prose(value).to_string();
                shapes.entry(title.clone()).or_default().insert(shape);
            }
            map.values().for_each(|value| collect_titles(value, shapes));
        }
        Value::Array(items) => items.iter().for_each(|value| collect_titles(value, shapes)),
        _ => {}
    }
}

/// A schema without what does not change the type it makes (descriptions, titles, limits).
fn without_prose(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| {
                    !matches!(key.as_str(), "description" | "title" | "maxLength")
                        && !key.starts_with("x-")
                })
                .map(|(key, value)| (key.clone(), without_prose(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_prose).collect()),
        other => other.clone(),
    }
}
