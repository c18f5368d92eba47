//! The leaf of the emit stage: identifiers, type tokens and paths, doc and `cfg` attributes, and
//! the [`FileTokens`] every emitter produces.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::docs;
use crate::ir::*;

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
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Timestamp => quote!(crate::Timestamp),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(id) => {
            let def = ir.get(*id);
            if &def.home == from {
                let name = ident(&def.name);
                quote!(#name)
            } else {
                type_path(ir, *id, quote!(crate))
            }
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(ir, inner, from);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) if **inner == TypeRef::String => quote!(crate::Metadata),
        TypeRef::Map(inner) => {
            let inner = type_tokens(ir, inner, from);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Expandable(inner) => {
            let inner = type_tokens(ir, inner, from);
            quote!(crate::Expandable<#inner>)
        }
        TypeRef::List(inner) => {
            let inner = type_tokens(ir, inner, from);
            quote!(crate::List<#inner>)
        }
        TypeRef::SearchList(inner) => {
            let inner = type_tokens(ir, inner, from);
            quote!(crate::SearchList<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(ir, inner, from);
            quote!(Box<#inner>)
        }
        TypeRef::Unsettable(inner) => {
            let inner = type_tokens(ir, inner, from);
            quote!(crate::Unsettable<#inner>)
        }
        TypeRef::File => quote!(crate::FileUpload),
    }
}

pub(crate) fn type_path(ir: &Ir, id: TypeId, krate: TokenStream) -> TokenStream {
    let def = ir.get(id);
    let name = ident(&def.name);
    match &def.home.namespace {
        Some(namespace) => {
            let namespace = ident(namespace);
            quote!(#krate::#namespace::#name)
        }
        None => quote!(#krate::#name),
    }
}

pub(crate) fn public_path(ir: &Ir, id: TypeId) -> TokenStream {
    type_path(ir, id, quote!(stripe_sdk))
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
