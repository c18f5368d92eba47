//! The codes of the v2 API's typed errors: each `v2.error.*` schema fixes `error.code` to one
//! value; together they make one matchable enum (`v2::error::Code::NoMeter`), which
//! `ApiError::v2_code` gives (see `emit`).

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::error::Result;
use crate::ir::{Doc, Home, TypeId, TypeKind};

use super::schema::{single_string_enum, string_enum, unbox};
use super::{Converter, Ctx, Pending, Share, SCHEMA_PREFIX};

/// The prefix of the typed v2 error schemas.
const PREFIX: &str = "v2.error.";
/// The name of the enum, in the namespace of the typed errors.
const CODE: &str = "Code";

/// Adds the enum when the spec has typed v2 errors; returns its id.
pub(super) fn add(converter: &mut Converter) -> Result<Option<TypeId>> {
    let mut codes: BTreeMap<String, String> = BTreeMap::new();
    let mut home = None;
    for (name, id) in &converter.components {
        if !name.starts_with(PREFIX) {
            continue;
        }
        let Some(code) = fixed_code(converter.schemas.get(name).copied()) else { continue };
        codes.entry(code).or_insert_with(|| (*name).to_owned());
        home.get_or_insert_with(|| converter.pending[id.0].home.clone());
    }
    let Some(home) = home else { return Ok(None) };
    let ctx = Ctx {
        pointer: format!("{SCHEMA_PREFIX}{PREFIX}*/properties/error/properties/code"),
        hint: CODE.to_owned(),
        local_hint: String::new(),
        owner: None,
        share: Share::Field(String::new()),
        home: Home { file: "code".to_owned(), ..home },
        request: false,
    };
    let values: Vec<Option<String>> = codes.keys().cloned().map(Some).collect();
    let values = string_enum(&values, &ctx)?;
    let doc = "The `code` of a v2 error, one variant per typed error of the spec, as \
               `ApiError::v2_code` gives it; a code this SDK does not know is `Unknown`.";
    if !converter.claim(&ctx.home.namespace, CODE) {
        return Ok(None);
    }
    let id = TypeId(converter.pending.len());
    converter.pending.push(Pending {
        name: CODE.to_owned(),
        home: ctx.home.clone(),
        doc: Some(Doc::Generated(doc.to_owned())),
        origin: ctx.pointer.clone(),
        kind: Some(TypeKind::StringEnum(values)),
    });
    Ok(Some(id))
}

/// The one value `error.code` may take in a typed error schema.
fn fixed_code(schema: Option<&ReferenceOr<Schema>>) -> Option<String> {
    let ReferenceOr::Item(schema) = schema? else { return None };
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
    let error = unbox(object.properties.get("error")?);
    let ReferenceOr::Item(error) = error else { return None };
    let SchemaKind::Type(Type::Object(error)) = &error.schema_kind else { return None };
    single_string_enum(error.properties.get("code")?)
}
