//! The leaf of the emit stage: identifiers, type tokens and paths, doc and `cfg` attributes, and
//! the [`FileTokens`] every emitter produces.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::docs;
use crate::ir::{Home, Ir, TypeId, TypeRef};

/// A generated file: its items as tokens, before formatting.
pub struct FileTokens {
    pub path: String,
    pub tokens: TokenStream,
    /// Items formatted by the generator: each replaces the placeholder `VERBATIM!(index);`.
    pub verbatim: Vec<String>,
}

/// `#[cfg(...)]` compiling an item when any of the features named by `terms` is on.
pub(crate) fn cfg_attr(terms: &[&str]) -> TokenStream {
    match terms {
        [one] => quote!(#[cfg(feature = #one)]),
        _ => quote!(#[cfg(any(#(feature = #terms),*))]),
    }
}

/// The Rust type of a reference, written from inside the file of `from`.
pub(crate) fn type_tokens(ir: &Ir, ty: &TypeRef, from: &Home) -> TokenStream {
    path_tokens(&type_source(ir, ty, from))
}

/// [`type_tokens`] as Rust source (`crate::Expandable<crate::Customer>`), for the items the
/// generator formats itself.
pub(crate) fn type_source(ir: &Ir, ty: &TypeRef, from: &Home) -> String {
    let inner = |inner: &TypeRef| type_source(ir, inner, from);
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Timestamp => "crate::Timestamp".to_owned(),
        TypeRef::Id(object) => match ir.id_aliases.get(object) {
            Some(alias) if &ir.get(*object).home == from => alias.clone(),
            Some(alias) => match &ir.get(*object).home.namespace {
                Some(namespace) => format!("crate::{namespace}::{alias}"),
                None => format!("crate::{alias}"),
            },
            None => format!("crate::Id<{}>", inner(&TypeRef::Named(*object))),
        },
        TypeRef::Currency => "crate::Currency".to_owned(),
        TypeRef::DateTime => "crate::DateTime".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Named(id) if &ir.get(*id).home == from => ir.get(*id).name.clone(),
        TypeRef::Named(id) => ir.path(*id, "crate"),
        TypeRef::Vec(item) => format!("Vec<{}>", inner(item)),
        TypeRef::Map(value) if **value == TypeRef::String => "crate::Metadata".to_owned(),
        TypeRef::Map(value) => format!("std::collections::BTreeMap<String, {}>", inner(value)),
        TypeRef::Expandable(object) => format!("crate::Expandable<{}>", inner(object)),
        TypeRef::List(item) => format!("crate::List<{}>", inner(item)),
        TypeRef::SearchList(item) => format!("crate::SearchList<{}>", inner(item)),
        TypeRef::Nullable(value) => format!("Option<{}>", inner(value)),
        TypeRef::V2List(item) => format!("crate::V2List<{}>", inner(item)),
        TypeRef::Boxed(value) => format!("Box<{}>", inner(value)),
        TypeRef::Unsettable(value) => format!("crate::Unsettable<{}>", inner(value)),
        TypeRef::File => "crate::FileUpload".to_owned(),
    }
}

pub(crate) fn public_path(ir: &Ir, id: TypeId) -> TokenStream {
    path_tokens(&ir.path(id, "stripe_sdk"))
}

/// Tokens of a path or type made of identifiers, `::` and angle brackets, which always lexes.
fn path_tokens(source: &str) -> TokenStream {
    source.parse().unwrap_or_else(|_| quote!(compile_error!(#source)))
}

/// Doc attributes for a description from the spec, made safe for rustdoc.
pub(crate) fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else { return TokenStream::new() };
    generated_doc_attrs(&docs::sanitize(doc))
}

/// Doc attributes for text that is rustdoc already.
pub(crate) fn generated_doc_attrs(text: &str) -> TokenStream {
    let lines =
        text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote!(#(#[doc = #lines])*)
}

pub(crate) fn ident(name: &str) -> Ident {
    format_ident!("{}", name, span = Span::call_site())
}
