//! Operation owners and names as Stripe's official SDKs give them, derived from the path, the
//! HTTP method, the response and the operation's `summary` (README, "Operation names").
//!
//! The owner is the resource of the path's collection: for v1 the first one
//! (`/v1/customers/{customer}/tax_ids` → `Customer`), for v2 the last one
//! (`/v2/core/accounts/{account_id}/persons` → `v2.core.account_person`), after the namespace
//! segments (`checkout`, `v2/core`; `test_helpers` goes too, so test helpers are methods of the
//! resource they act on). The name, from what follows the collection:
//! - nothing: `list` (a list) or `retrieve`, `create` (`update` when the summary says "Update"),
//!   `delete`; after the id: `retrieve`, `update`, `delete` (`cancel` when the summary says
//!   "Cancel": subscriptions);
//! - `search`: `search`; another word after the collection, without an id (`create_preview`, `find`):
//!   that word;
//! - a nested collection after the id (`persons`): `list_persons`, `create_person` (a `POST`
//!   whose answer is one object of that collection), and with its id `retrieve_person`,
//!   `update_person`, `delete_person`; `lines` is spelt `line_items`, as Stripe's docs say;
//! - a word after the id (`finalize`, `capture`) or a non-JSON answer (`pdf`): that word; a
//!   `GET` of a nested object (`cash_balance`): `retrieve_cash_balance`, a `POST` whose summary
//!   says "Update": `update_cash_balance`;
//! - an action on a nested object (`sources/{id}/verify`): `verify_source`;
//!   several words after the id (`shipping/deliver`): the last one.
//!
//! Where the official name cannot be reached by rule, [`OVERRIDES`] has it, with the reason.

use std::collections::HashSet;

use openapiv3::{ReferenceOr, SchemaKind, Type};

use crate::ir::{HttpMethod, TypeId};
use crate::names;

use super::operations::is_param;
use super::schema::single_string_enum;
use super::Converter;
use crate::names::singular;

/// `(METHOD, path, name, why)`: official names the rule above does not give.
const OVERRIDES: &[(&str, &str, &str, &str)] = &[
    // The official SDKs keep the object in these action names (legacy names kept for
    // compatibility), while the same verbs elsewhere (`cancel`, `capture`, `expire`) go without.
    ("POST", "/v1/invoices/{invoice}/finalize", "finalize_invoice", "legacy name with the object"),
    ("POST", "/v1/invoices/{invoice}/send", "send_invoice", "legacy name with the object"),
    ("POST", "/v1/invoices/{invoice}/void", "void_invoice", "legacy name with the object"),
    ("POST", "/v1/quotes/{quote}/finalize", "finalize_quote", "legacy name with the object"),
    ("POST", "/v1/credit_notes/{id}/void", "void_credit_note", "legacy name with the object"),
    ("POST", "/v1/billing/credit_grants/{id}/void", "void_grant", "legacy name with the object"),
    (
        "POST",
        "/v1/test_helpers/issuing/cards/{card}/shipping/deliver",
        "deliver_card",
        "named with the object",
    ),
    (
        "POST",
        "/v1/test_helpers/issuing/cards/{card}/shipping/fail",
        "fail_card",
        "named with the object",
    ),
    (
        "POST",
        "/v1/test_helpers/issuing/cards/{card}/shipping/return",
        "return_card",
        "named with the object",
    ),
    (
        "POST",
        "/v1/test_helpers/issuing/cards/{card}/shipping/ship",
        "ship_card",
        "named with the object",
    ),
    (
        "POST",
        "/v1/test_helpers/issuing/cards/{card}/shipping/submit",
        "submit_card",
        "named with the object",
    ),
    (
        "POST",
        "/v1/test_helpers/treasury/inbound_transfers/{id}/return",
        "return_inbound_transfer",
        "named with the object",
    ),
    (
        "POST",
        "/v1/test_helpers/treasury/outbound_payments/{id}/return",
        "return_outbound_payment",
        "named with the object",
    ),
    (
        "POST",
        "/v1/test_helpers/treasury/outbound_transfers/{outbound_transfer}/return",
        "return_outbound_transfer",
        "named with the object",
    ),
    // Paths whose last word is not the official one.
    (
        "GET",
        "/v1/account",
        "retrieve_current",
        "the account of the API key, beside `retrieve` of `/v1/accounts/{account}`",
    ),
    (
        "POST",
        "/v1/apps/secrets/delete",
        "delete_where",
        "a POST that deletes by name and scope, not by id",
    ),
    (
        "GET",
        "/v1/credit_notes/preview/lines",
        "list_preview_line_items",
        "the line items of a preview",
    ),
    (
        "POST",
        "/v1/customers/{customer}/funding_instructions",
        "create_funding_instructions",
        "one object called by a plural noun",
    ),
];

/// The official name of an operation, if the overrides have it.
fn overridden(method: HttpMethod, path: &str) -> Option<&'static str> {
    OVERRIDES
        .iter()
        .find(|(m, p, _, _)| *m == method.as_str() && *p == path)
        .map(|(_, _, name, _)| *name)
}

/// The owner and the name of an operation by the rule, or `None` when no schema is the resource
/// of the path's collection (the caller then places it by its response).
pub(super) fn owner_and_name(
    converter: &Converter,
    method: HttpMethod,
    path: &str,
    operation: &openapiv3::Operation,
    shape: ResponseShape,
) -> Option<(TypeId, String)> {
    let (owner, rest) = split(converter, path)?;
    let name = match overridden(method, path) {
        Some(name) => name.to_owned(),
        None => name(method, &rest, operation, shape),
    };
    Some((owner, name))
}

/// What an operation answers, as the naming rule needs it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ResponseShape {
    List,
    Object,
    /// Not JSON (a PDF).
    Bytes,
}

/// The resource of the path's collection, and the segments after it.
fn split<'p>(converter: &Converter, path: &'p str) -> Option<(TypeId, Vec<&'p str>)> {
    let mut segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let version = segments.remove(0);
    let namespaces = namespaces(converter);
    let mut namespace = Vec::new();
    let mut index = 0;
    while index + 1 < segments.len()
        && namespaces.contains(segments[index])
        && !is_param(segments[index + 1])
    {
        namespace.push(segments[index]);
        index += 1;
    }
    // The resource of the literal at `i` (or of it and the next word: `apple_pay/domains` is
    // `apple_pay_domain`), with where the rest starts.
    let at = |i: usize| -> Option<(TypeId, usize)> {
        let segment = segments[i];
        if is_param(segment) {
            return None;
        }
        if let Some(owner) = resource_in(converter, version, &namespace, segment) {
            return Some((owner, i + 1));
        }
        let next = segments.get(i + 1).filter(|s| !is_param(s))?;
        resource_in(converter, version, &namespace, &format!("{segment}_{next}"))
            .map(|owner| (owner, i + 2))
    };
    // v1: the first collection; v2: the last one (nested resources are resources of their own).
    let (owner, start) =
        if version == "v1" { at(index)? } else { (index..segments.len()).rev().find_map(at)? };
    Some((owner, segments[start..].to_vec()))
}

/// Path words that are namespaces: the dotted prefixes of the component names (`checkout`,
/// `core` of `v2.core.account`), and `test_helpers`.
fn namespaces<'a>(converter: &Converter<'a>) -> HashSet<&'a str> {
    let mut out: HashSet<&str> = HashSet::from(["test_helpers"]);
    for name in converter.components.keys() {
        // Without the API version of `v2.core.account`.
        let name = match name.split_once('.') {
            Some((version, rest)) if names::is_api_version(version) => rest,
            _ => name,
        };
        if let Some((prefix, _)) = name.rsplit_once('.') {
            out.extend(prefix.split('.'));
        }
    }
    out
}

/// [`resource_of`] in the namespace, or, for `test_helpers/customers`, outside `test_helpers`.
fn resource_in(
    converter: &Converter,
    version: &str,
    namespace: &[&str],
    segment: &str,
) -> Option<TypeId> {
    resource_of(converter, version, namespace, segment).or_else(|| {
        let outer: Vec<&str> = namespace.iter().copied().filter(|n| *n != "test_helpers").collect();
        (outer.len() != namespace.len())
            .then(|| resource_of(converter, version, &outer, segment))
            .flatten()
    })
}

/// The component that a collection segment holds, in a namespace: the exact singular first
/// (`customers` → `customer`), else one whose name ends with it (`persons` → `account_person`).
fn resource_of(
    converter: &Converter,
    version: &str,
    namespace: &[&str],
    segment: &str,
) -> Option<TypeId> {
    let mut prefix: Vec<&str> = Vec::new();
    if version != "v1" {
        prefix.push(version);
    }
    prefix.extend_from_slice(namespace);
    let prefix = prefix.join(".");
    let in_namespace = |name: &&str| match name.rsplit_once('.') {
        Some((namespace, _)) => namespace == prefix,
        None => prefix.is_empty(),
    };
    let candidates: Vec<(&str, TypeId)> = converter
        .components
        .iter()
        .filter(|(name, _)| in_namespace(name))
        .filter(|(name, _)| !name.rsplit('.').next().unwrap_or("").starts_with("deleted_"))
        .filter(|(name, _)| has_object_tag(converter, name))
        .map(|(name, id)| (*name, *id))
        .collect();
    let base = |name: &str| name.rsplit('.').next().unwrap_or(name).to_owned();
    let wanted = singular(segment);
    candidates
        .iter()
        .find(|(name, _)| base(name) == wanted || base(name) == segment)
        .or_else(|| {
            candidates
                .iter()
                .find(|(name, _)| base(name).replace('_', "") == wanted.replace('_', ""))
        })
        .or_else(|| candidates.iter().find(|(name, _)| base(name).ends_with(&format!("_{wanted}"))))
        .map(|(_, id)| *id)
}

/// Whether a component schema is an object with an `object` tag (a resource, not a sub-shape).
fn has_object_tag(converter: &Converter, name: &str) -> bool {
    match converter.schemas.get(name) {
        Some(ReferenceOr::Item(schema)) => match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                object.properties.get("object").and_then(single_string_enum).is_some()
            }
            _ => false,
        },
        _ => false,
    }
}

fn name(
    method: HttpMethod,
    rest: &[&str],
    operation: &openapiv3::Operation,
    shape: ResponseShape,
) -> String {
    let verb = operation
        .summary
        .as_deref()
        .and_then(|summary| summary.split_whitespace().next())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (id, rest) = match rest.split_first() {
        Some((first, rest)) if is_param(first) => (true, rest),
        _ => (false, rest),
    };
    let rest: Vec<&str> =
        rest.iter().map(|s| if *s == "lines" { "line_items" } else { s }).collect();
    match (rest.as_slice(), id) {
        ([], false) => match method {
            HttpMethod::Get if shape == ResponseShape::List => "list".to_owned(),
            HttpMethod::Post if verb == "update" => "update".to_owned(),
            other => other.collection_verb(false).to_owned(),
        },
        ([], true) => match method {
            HttpMethod::Delete if verb == "cancel" => "cancel".to_owned(),
            other => other.object_verb().to_owned(),
        },
        (["search"], false) if method == HttpMethod::Get => "search".to_owned(),
        ([word], _) if shape == ResponseShape::Bytes => (*word).to_owned(),
        ([word], false) => names::function_name(word),
        ([word], true) => nested(method, word, shape, &verb),
        ([collection, item], true) if is_param(item) => {
            format!("{}_{}", method.object_verb(), singular(collection))
        }
        ([collection, item, action], true) if is_param(item) => match method {
            HttpMethod::Post => format!("{action}_{}", singular(collection)),
            other => format!("{}_{}_{action}", other.object_verb(), singular(collection)),
        },
        (words, _) => words.iter().rev().find(|w| !is_param(w)).map_or_else(
            || method.collection_verb(false).to_owned(),
            |word| names::function_name(word),
        ),
    }
}

/// A word after the owner's id: a nested collection or object, or an action.
fn nested(method: HttpMethod, word: &str, shape: ResponseShape, verb: &str) -> String {
    let plural = singular(word) != word;
    match method {
        HttpMethod::Get if shape == ResponseShape::List => format!("list_{word}"),
        HttpMethod::Get => format!("retrieve_{word}"),
        HttpMethod::Delete => format!("delete_{word}"),
        HttpMethod::Post if plural && matches!(verb, "create" | "add" | "attach") => {
            format!("create_{}", singular(word))
        }
        HttpMethod::Post if verb == "update" => format!("update_{word}"),
        _ => names::function_name(word),
    }
}
