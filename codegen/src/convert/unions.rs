//! Schemas that are one of several: polymorphic objects (`anyOf` of `$ref`s, told apart by
//! their `object` tag or by their fields), request parameters that take several shapes, and
//! expandable fields.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema, SchemaData, SchemaKind, Type};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::{Doc, RequestValue, RequestVariant, TypeId, TypeKind, TypeRef, Variant};
use crate::names;

use super::schema::{component_name, is_true_constant, single_string_enum};
use super::{naming, Converter, Ctx, Share};

impl Converter<'_> {
    pub(super) fn any_of(
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
    pub(super) fn union(&mut self, variants: Vec<Variant>, doc: Option<Doc>, ctx: &Ctx) -> TypeId {
        let first = variants.first().and_then(|v| v.ty.direct_target());
        match first {
            Some(first) if variants.len() <= 3 && variants.iter().all(|v| !v.tags.is_empty()) => {
                let name: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                let home = self.pending[first.0].home.clone();
                let ctx = Ctx {
                    hint: name.join("Or"),
                    local_hint: String::new(),
                    owner: None,
                    share: Share::Field(String::new()),
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
    pub(super) fn request_any_of(
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
                let mut variants: Vec<RequestVariant> = Vec::with_capacity(rest.len());
                let mut scope = names::Scope::default();
                for (index, branch) in &rest {
                    // The values of a string enum are variants of their own (`TrialEnd::Now`).
                    if let Some(values) = string_values(branch) {
                        for wire in values {
                            let name = scope.claim(&names::variant_name(&wire));
                            variants.push(RequestVariant { name, value: RequestValue::Unit(wire) });
                        }
                        continue;
                    }
                    // An inline alternative is named after the parameter and its title
                    // (`…CreatedRangeQuerySpecs`), leaving the parameter's name to the union.
                    let mut branch_ctx = ctx.at(&format!("anyOf/{index}"));
                    if let ReferenceOr::Item(Schema {
                        schema_data: SchemaData { title: Some(title), .. },
                        ..
                    }) = branch
                    {
                        branch_ctx.hint = format!("{}{}", ctx.hint, names::type_name(title));
                    } else if matches!(branch, ReferenceOr::Item(_)) {
                        branch_ctx.hint = format!("{}Object", ctx.hint);
                    }
                    let (ty, _) = self.type_ref(branch, &branch_ctx)?;
                    let name = scope.claim(&naming::request_variant_name(branch, &ty, self));
                    variants.push(RequestVariant { name, value: RequestValue::Type(ty) });
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
    pub(super) fn expandable(
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
    pub(super) fn union_variants(
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
    pub(super) fn tags(&self, name: &str, pointer: &str) -> Result<BTreeSet<(String, bool)>> {
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
}

/// The values of a string enum branch (`{type: string, enum: [now]}`), without the empty string.
fn string_values(branch: &ReferenceOr<Schema>) -> Option<Vec<String>> {
    let ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(string)), .. }) =
        branch
    else {
        return None;
    };
    if string.enumeration.is_empty() {
        return None;
    }
    Some(string.enumeration.iter().flatten().filter(|v| !v.is_empty()).cloned().collect())
}
