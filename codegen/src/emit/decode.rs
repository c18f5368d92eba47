//! Decoding of response types: the small, non-generic code that `stripe-sdk/src/runtime/de/`
//! drives (see its module docs for why not serde's derive).
//!
//! A response struct gets a `decode_struct!` invocation (its builder, one `Option` slot per field,
//! its `Debug`, and `Serialize` with the `serialize` feature), written here as text, one field per
//! line, and put in place after prettyplease has formatted the rest (see `crate::render`); request
//! parameters are encoded instead (`super::params`).
//! Polymorphic objects implement `Tagged` (by `object` and `deleted`) or `Untagged` (by fields).
//! Every type also implements `serde::Deserialize` through the runtime's bridge.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{defaults, Ir, Presence, Struct, TypeId, TypeKind, TypeRef, Variant};

use super::tokens::{ident, type_source};

/// The decoding of a response struct: a `decode_struct!` invocation with one line per field
/// (`name: Type = "wire" => required | or_default | nullable | optional,`; the type inside the
/// `Option` for a nullable or optional field), as text. prettyplease writes
/// macro bodies on as few lines as fit, which is unreadable for a field list, so the invocation
/// is formatted here and put in place of a placeholder by [`crate::render`].
pub(crate) fn struct_decode(ir: &Ir, defaultable: &[bool], id: TypeId, s: &Struct) -> String {
    let def = ir.get(id);
    let mut text = format!(
        "crate::runtime::de::decode_struct! {{\n    {} = {:?} {{\n",
        def.name,
        ir.path(id, "stripe_sdk")
    );
    for field in &s.fields {
        let take = match field.presence {
            Presence::Required if defaults(&field.ty, defaultable) => "or_default",
            Presence::Required => "required",
            Presence::Nullable => "nullable",
            Presence::Optional => "optional",
        };
        let line = format!(
            "        {}: {} = {:?} => {take},\n",
            ident(&field.name),
            type_source(ir, &field.ty, &def.home),
            field.wire
        );
        text.push_str(&line);
    }
    text.push_str("    }\n}\n");
    text
}

/// The decoding items of a polymorphic object.
pub(crate) fn union_decode(ir: &Ir, id: TypeId, variants: &[Variant]) -> Vec<TokenStream> {
    let name = &ident(&ir.get(id).name);
    let path = ir.path(id, "stripe_sdk");
    let untagged = variants.iter().all(|v| v.tags.is_empty());
    let (builder, body) = if untagged {
        (quote!(UntaggedBuilder), untagged_impl(ir, name, variants))
    } else {
        (quote!(TaggedBuilder), tagged_impl(name, variants))
    };
    vec![
        quote! {
            impl crate::runtime::de::Object for #name {
                type Builder = crate::runtime::de::#builder<Self>;

                #[inline]
                fn type_name(out: &mut String) {
                    out.push_str(#path)
                }
            }
        },
        quote! { #body },
        quote! { crate::runtime::de::impl_deserialize!(#name); },
    ]
}

/// The variant for each `(object, deleted)`: when both a live and a deleted variant decode from
/// one `object`, `deleted` must be read first; otherwise `object` decides alone (a `deleted`
/// flag that contradicts it is then not looked for).
fn tagged_impl(name: &proc_macro2::Ident, variants: &[Variant]) -> TokenStream {
    let mut by_object: BTreeMap<&str, BTreeMap<bool, &str>> = BTreeMap::new();
    for variant in variants {
        for (object, deleted) in &variant.tags {
            by_object.entry(object).or_default().insert(*deleted, &variant.name);
        }
    }
    let arms = by_object.iter().map(|(object, by_deleted)| {
        let choose = |name: &str| {
            let variant = ident(name);
            quote!(crate::runtime::de::variant(Self::#variant))
        };
        match (by_deleted.get(&false), by_deleted.get(&true)) {
            (Some(live), Some(deleted)) => {
                let (live, deleted) = (choose(live), choose(deleted));
                quote! {
                    (#object, None) => crate::runtime::de::Choice::NeedDeleted,
                    (#object, Some(false)) => #live,
                    (#object, Some(true)) => #deleted,
                }
            }
            (Some(live), None) => {
                let live = choose(live);
                quote!((#object, None | Some(false)) => #live,)
            }
            (None, Some(deleted)) => {
                let deleted = choose(deleted);
                quote! {
                    (#object, None) => crate::runtime::de::Choice::NeedDeleted,
                    (#object, Some(true)) => #deleted,
                }
            }
            (None, None) => quote!(),
        }
    });
    quote! {
        impl crate::runtime::de::Tagged for #name {
            #[inline]
            fn variant(object: &str, deleted: Option<bool>) -> crate::runtime::de::Choice<Self> {
                match (object, deleted) {
                    #(#arms)*
                    _ => crate::runtime::de::Choice::Unknown,
                }
            }

            #[inline]
            fn unknown(value: serde_json::Value) -> Self {
                Self::Unknown(value)
            }
        }
    }
}

/// Objects without an `object` field: told apart by their fields.
fn untagged_impl(ir: &Ir, name: &proc_macro2::Ident, variants: &[Variant]) -> TokenStream {
    let fields = variants.iter().map(|variant| {
        let wires = variant_fields(ir, &variant.ty);
        quote!(&[#(#wires),*])
    });
    let arms = variants.iter().enumerate().map(|(index, variant)| {
        let variant = ident(&variant.name);
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(#index => crate::runtime::de::from_map(entries).map(Self::#variant),)
    });
    quote! {
        impl crate::runtime::de::Untagged for #name {
            const FIELDS: &'static [&'static [&'static str]] = &[#(#fields),*];

            #[inline]
            fn variant(index: usize, entries: &mut dyn crate::runtime::de::MapReader) -> crate::runtime::de::Result<Self> {
                match index {
                    #(#arms)*
                    _ => Err(crate::runtime::de::DeError::new("no such variant")),
                }
            }

            #[inline]
            fn unknown(value: serde_json::Value) -> Self {
                Self::Unknown(value)
            }
        }
    }
}

fn variant_fields<'a>(ir: &'a Ir, ty: &TypeRef) -> Vec<&'a str> {
    match ty {
        TypeRef::Named(id) => match &ir.get(*id).kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.wire.as_str()).collect(),
            _ => Vec::new(),
        },
        TypeRef::Boxed(inner) => variant_fields(ir, inner),
        _ => Vec::new(),
    }
}
