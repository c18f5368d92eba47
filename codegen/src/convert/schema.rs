//! Reading schemas: component names and pointers, string formats and enums, constants.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

use crate::error::{Error, Result};
use crate::ir::{EnumValue, TypeRef};
use crate::load::escape;
use crate::names;

use super::{Converter, Ctx, SCHEMA_PREFIX};

pub(super) fn component_pointer(name: &str) -> String {
    format!("{SCHEMA_PREFIX}{}", escape(name))
}

pub(super) fn component_item<'s>(
    schema: &'s ReferenceOr<Schema>,
    pointer: &str,
) -> Result<&'s Schema> {
    match schema {
        ReferenceOr::Item(schema) => Ok(schema),
        ReferenceOr::Reference { .. } => {
            Err(Error::unsupported(pointer, "a component schema that is only a `$ref`"))
        }
    }
}

pub(super) fn component_name<'r>(reference: &'r str, pointer: &str) -> Result<&'r str> {
    reference.strip_prefix(SCHEMA_PREFIX).ok_or_else(|| {
        Error::unsupported(pointer, format!("`$ref` outside {SCHEMA_PREFIX}: `{reference}`"))
    })
}

/// A namespace module must not share its name with a file at the crate root.
pub(super) fn check_namespaces(files: &BTreeMap<(Option<String>, String), &str>) -> Result<()> {
    for ((namespace, _), schema) in files {
        if let Some(namespace) = namespace {
            // `v2::core` is the module `core` of `v2`; `billing_portal` the module of the root.
            let (parent, module) = match namespace.rsplit_once("::") {
                Some((parent, module)) => (Some(parent.to_owned()), module),
                None => (None, namespace.as_str()),
            };
            if let Some(root) = files.get(&(parent, module.to_owned())) {
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

pub(super) fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => {
            ReferenceOr::Reference { reference: reference.clone() }
        }
        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
    }
}

impl Converter<'_> {
    /// The type of a string schema by its `format`. A format this generator does not know is a
    /// string's annotation, not its structure: the value reads as a plain string, and the format
    /// is noted for `cargo xtask generate` to report.
    pub(super) fn string_type(
        &mut self,
        format: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>,
        ctx: &Ctx,
    ) -> Result<TypeRef> {
        use openapiv3::StringFormat;
        Ok(match format {
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary) if ctx.request => TypeRef::File,
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
            VariantOrUnknownOrEmpty::Unknown(format) if format == "currency" => TypeRef::Currency,
            // Decimal numbers travel as strings so that no precision is lost.
            VariantOrUnknownOrEmpty::Unknown(format) if format == "decimal" => TypeRef::String,
            VariantOrUnknownOrEmpty::Empty => TypeRef::String,
            // A file in a response (`binary`, `byte`), a date, a password: text on the wire.
            VariantOrUnknownOrEmpty::Item(format) => {
                self.plain_formats.insert(crate::view::string_format(format).to_owned());
                TypeRef::String
            }
            VariantOrUnknownOrEmpty::Unknown(format) => {
                self.plain_formats.insert(format.clone());
                TypeRef::String
            }
        })
    }
}

pub(super) fn string_enum(values: &[Option<String>], ctx: &Ctx) -> Result<Vec<EnumValue>> {
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
pub(super) fn single_string_enum(schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
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
pub(super) fn is_true_constant(schema: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(schema, ReferenceOr::Item(schema) if matches!(&schema.schema_kind,
        SchemaKind::Type(Type::Boolean(boolean)) if boolean.enumeration == [Some(true)]))
}

pub(super) fn is_empty_any(any: &openapiv3::AnySchema) -> bool {
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
