//! The public surface of a generation: every Rust item a user of the generated crate can name
//! (types, their fields and variants, operations), as paths. Comparing the surfaces of two
//! generations tells which items a spec change renamed or removed.

use std::collections::BTreeSet;

use crate::ir::{type_has_id, Ir, Response, TypeId, TypeKind, TypeRef};

/// Every public item, as a path: `stripe_sdk::billing_portal::Session` (a type),
/// `stripe_sdk::billing_portal::Session.url` (a field), `stripe_sdk::billing_portal::SessionLocale::FrCa`
/// (a variant), `stripe_sdk::billing_portal::Session::create` (an operation).
pub fn public_items(ir: &Ir) -> BTreeSet<String> {
    let mut items = BTreeSet::new();
    for (index, def) in ir.types.iter().enumerate() {
        let path = type_path(ir, TypeId(index));
        match &def.kind {
            TypeKind::Struct(s) => {
                items.extend(s.fields.iter().map(|field| format!("{path}.{}", field.name)));
            }
            TypeKind::StringEnum(values) => {
                items.extend(values.iter().map(|value| format!("{path}::{}", value.variant)));
            }
            TypeKind::Union(variants) => {
                items.extend(variants.iter().map(|variant| format!("{path}::{}", variant.name)));
            }
            TypeKind::RequestUnion(variants) => {
                items.extend(variants.iter().map(|variant| format!("{path}::{}", variant.name)));
            }
            TypeKind::Alias(_) => {}
        }
        items.insert(path);
    }
    for (id, alias) in &ir.id_aliases {
        let path = type_path(ir, *id);
        let module = path.rsplit_once("::").map_or("stripe_sdk", |(module, _)| module);
        items.insert(format!("{module}::{alias}"));
    }
    for operation in &ir.operations {
        let owner = type_path(ir, operation.owner);
        items.insert(format!("{owner}::{}", operation.name));
        if let Response::Json(
            TypeRef::List(item) | TypeRef::SearchList(item) | TypeRef::V2List(item),
        ) = &operation.response
        {
            if type_has_id(ir, item) {
                items.insert(format!("{owner}::{}_paginated", operation.name));
            }
        }
    }
    items
}

pub(crate) fn type_path(ir: &Ir, id: TypeId) -> String {
    ir.path(id, "stripe_sdk")
}

/// The Rust method of every operation (`billing_portal::Session::create`), by `(path, METHOD)`.
pub fn operation_names(ir: &Ir) -> std::collections::BTreeMap<(String, String), String> {
    ir.operations
        .iter()
        .map(|operation| {
            let owner = type_path(ir, operation.owner);
            let owner = owner.strip_prefix("stripe_sdk::").unwrap_or(&owner);
            let key = (operation.path.clone(), operation.method.as_str().to_owned());
            (key, format!("{owner}::{}", operation.name))
        })
        .collect()
}

/// The operations as text, one a line (`DELETE /v1/subscriptions/{subscription_exposed_id}
/// Subscription::cancel`): the committed list (`spec/operations.txt`) that the next generation's
/// renamed methods are found against.
pub fn operations_to_text(names: &std::collections::BTreeMap<(String, String), String>) -> String {
    names.iter().map(|((path, method), name)| format!("{method} {path} {name}\n")).collect()
}

/// [`operations_to_text`] read back; lines that are not three words are skipped.
pub fn operations_from_text(text: &str) -> std::collections::BTreeMap<(String, String), String> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            match (words.next(), words.next(), words.next(), words.next()) {
                (Some(method), Some(path), Some(name), None) => {
                    Some(((path.to_owned(), method.to_owned()), name.to_owned()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Methods of operations that both lists have under another name: `(old, new)`, in path order.
pub fn renamed_methods(
    old: &std::collections::BTreeMap<(String, String), String>,
    new: &std::collections::BTreeMap<(String, String), String>,
) -> Vec<(String, String)> {
    old.iter()
        .filter_map(|(key, old_name)| match new.get(key) {
            Some(new_name) if new_name != old_name => Some((old_name.clone(), new_name.clone())),
            _ => None,
        })
        .collect()
}
