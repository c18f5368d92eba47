//! The items of one type: structs (responses and request parameters), string enums, unions and
//! aliases.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{
    type_has_id, Doc, EnumValue, Ir, Presence, RequestValue, RequestVariant, Struct, TypeDef,
    TypeId, TypeKind, TypeRef, Variant,
};

use super::tokens::{doc_attrs, generated_doc_attrs, ident, type_source, type_tokens};

/// The items of one type, each to be put behind the type's features.
pub(super) struct TypeItems {
    /// Its definition and impls.
    pub(super) items: Vec<TokenStream>,
    /// For response structs: its decoding, formatted (see [`super::decode::struct_decode`]).
    pub(super) verbatim: Option<String>,
}

pub(super) fn type_items(ir: &Ir, defaultable: &[bool], id: TypeId) -> TypeItems {
    let def = ir.get(id);
    let name = ident(&def.name);
    let doc = match &def.doc {
        Some(Doc::Spec(text)) => doc_attrs(Some(text)),
        Some(Doc::Generated(text)) => generated_doc_attrs(text),
        None => TokenStream::new(),
    };
    let items = match &def.kind {
        TypeKind::Struct(s) if !s.request => return struct_item(ir, defaultable, id, s, &doc),
        TypeKind::Struct(s) => return request_struct_item(ir, id, s, &doc),
        TypeKind::StringEnum(values) => {
            string_enum_item(&name, &ir.path(id, "stripe_sdk"), values, &doc)
        }
        TypeKind::Union(variants) => union_item(ir, id, variants, &doc),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ir, ty, &def.home);
            vec![quote! { #doc pub type #name = #ty; }]
        }
        TypeKind::RequestUnion(variants) => return request_union_item(ir, def, variants, &doc),
    };
    TypeItems { items, verbatim: None }
}

/// A request parameter of several shapes: unit variants for string values, the others holding a
/// value; serialized (and deserialized) by `request_union!`.
fn request_union_item(
    ir: &Ir,
    def: &TypeDef,
    variants: &[RequestVariant],
    doc: &TokenStream,
) -> TypeItems {
    let name = ident(&def.name);
    // The `request_union!` invocation, written as text (prettyplease would fill its lines).
    let (mut units, mut holders) = (String::new(), String::new());
    let declarations: Vec<TokenStream> = variants
        .iter()
        .map(|variant| {
            let variant_name = ident(&variant.name);
            match &variant.value {
                RequestValue::Unit(wire) => {
                    units.push_str(&format!("        {} = {wire:?},\n", variant.name));
                    let doc = format!(" `{wire}`");
                    quote!(#[doc = #doc] #variant_name,)
                }
                RequestValue::Type(ty) => {
                    let source = type_source(ir, ty, &def.home);
                    holders.push_str(&format!("        {}({source}),\n", variant.name));
                    let ty = type_tokens(ir, ty, &def.home);
                    quote!(#variant_name(#ty),)
                }
            }
        })
        .collect();
    let item = quote! {
        #doc
        #[derive(Clone, Debug)]
        pub enum #name { #(#declarations)* }
    };
    let invocation = format!(
        "crate::runtime::ser::request_union! {{\n    {} {{\n{units}    }} {{\n{holders}    }}\n}}\n",
        def.name
    );
    TypeItems { items: vec![item], verbatim: Some(invocation) }
}

/// A response struct. Its decoding (and, with the `serialize` feature, its serialization) is
/// implemented by the `decode_struct!` invocation beside it.
fn struct_item(
    ir: &Ir,
    defaultable: &[bool],
    id: TypeId,
    s: &Struct,
    doc: &TokenStream,
) -> TypeItems {
    let def = ir.get(id);
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|field| {
        let doc = doc_attrs(field.doc.as_deref());
        let field_name = ident(&field.name);
        let ty = type_tokens(ir, &field.ty, &def.home);
        let ty = match field.presence {
            Presence::Required => ty,
            Presence::Nullable | Presence::Optional => quote!(Option<#ty>),
        };
        quote! { #doc pub #field_name: #ty, }
    });
    let default = defaultable[id.0].then(|| quote!(Default));
    let mut items = vec![quote! {
        #doc
        #[derive(Clone, #default)]
        pub struct #name { #(#fields)* }
    }];
    if s.has_id() {
        items.push(quote! {
            impl crate::HasId for #name {
                #[inline]
                fn id(&self) -> &str { ::core::convert::AsRef::as_ref(&self.id) }
            }
        });
    }
    if let Some(alias) = ir.id_aliases.get(&id) {
        let alias_ident = ident(alias);
        let doc = format!(" The id of a [`{}`].", def.name);
        items.push(quote! {
            #[doc = #doc]
            pub type #alias_ident = crate::Id<#name>;
        });
    }
    let decode = super::decode::struct_decode(ir, defaultable, id, s);
    TypeItems { items, verbatim: Some(decode) }
}

/// Request parameters: serialized (and `Debug`) through the `params_struct!` invocation beside them,
/// deserialized too with the `deserialize` feature, with a constructor taking the required ones.
fn request_struct_item(ir: &Ir, id: TypeId, s: &Struct, doc: &TokenStream) -> TypeItems {
    let def = ir.get(id);
    let name = ident(&def.name);
    let mut required_args = Vec::new();
    let mut initializers = Vec::new();
    let fields = s
        .fields
        .iter()
        .map(|field| {
            let doc = doc_attrs(field.doc.as_deref());
            let field_name = ident(&field.name);
            let ty = type_tokens(ir, &field.ty, &def.home);
            // Serialization is `params_struct!`'s; these attributes are for the optional `Deserialize`.
            let mut serde = Vec::new();
            if field.name != field.wire {
                let wire = &field.wire;
                serde.push(quote!(rename = #wire));
            }
            let ty = if field.ty == TypeRef::File {
                // A file is not JSON: its key is known, its value ignored (set the field in code).
                serde.push(quote!(
                    default,
                    deserialize_with = "crate::runtime::file::ignore_in_json"
                ));
                ty
            } else if field.presence == Presence::Required {
                ty
            } else {
                quote!(Option<#ty>)
            };
            if field.presence == Presence::Required {
                if matches!(field.ty, TypeRef::String | TypeRef::Currency) {
                    // `"usd"` as readily as `Currency::USD`.
                    required_args.push(quote!(#field_name: impl Into<#ty>));
                    initializers.push(quote!(#field_name: #field_name.into()));
                } else {
                    required_args.push(quote!(#field_name: #ty));
                    initializers.push(quote!(#field_name));
                }
            } else {
                initializers.push(quote!(#field_name: None));
            }
            let serde = (!serde.is_empty())
                .then(|| quote!(#[cfg_attr(feature = "deserialize", serde(#(#serde),*))]));
            quote! { #doc #serde pub #field_name: #ty, }
        })
        .collect::<Vec<_>>();
    let default = required_args.is_empty().then(|| quote!(Default,));
    let items = vec![
        quote! {
            #doc
            #[derive(Clone, #default)]
            #[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
            #[cfg_attr(feature = "deserialize", serde(deny_unknown_fields))]
            pub struct #name { #(#fields)* }
        },
        quote! {
            impl #name {
                /// The required parameters; the optional ones are left out.
                #[inline]
                pub fn new(#(#required_args),*) -> Self {
                    Self { #(#initializers,)* }
                }
            }
        },
    ];
    TypeItems { items, verbatim: Some(super::params::params_struct(&def.name, &s.fields)) }
}

/// A string enum; `path` is its public path, the name decode errors give it.
fn string_enum_item(
    name: &Ident,
    path: &str,
    values: &[EnumValue],
    doc: &TokenStream,
) -> Vec<TokenStream> {
    let variants: Vec<Ident> = values.iter().map(|v| ident(&v.variant)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|wire| format!(" `{wire}`"));
    vec![
        quote! {
            #doc
            #[derive(Clone, Debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#[doc = #variant_docs] #variants,)*
                /// A value this version of the SDK does not know.
                Unknown(String),
            }
        },
        quote! {
        impl #name {
            /// The value as Stripe sends it.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }
        },
        quote! {
        impl From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        },
        quote! { crate::runtime::string_enum::impl_string_enum!(#name = #path); },
    ]
}

fn union_item(ir: &Ir, id: TypeId, variants: &[Variant], doc: &TokenStream) -> Vec<TokenStream> {
    let def = ir.get(id);
    let name = ident(&def.name);
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let types = variants.iter().map(|v| type_tokens(ir, &v.ty, &def.home));
    let (undecoded, undecoded_arm, undecoded_id_arm) = super::event_object::undecoded(ir, def);
    let mut items = vec![
        quote! {
            #doc
            #[derive(Clone, Debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#names(#types),)*
                /// An object of a type this version of the SDK does not know, as raw JSON.
                Unknown(serde_json::Value),
                #undecoded
            }
        },
        quote! {
            #[cfg(feature = "serialize")]
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(Self::#names(object) => object.serialize(serializer),)*
                        Self::Unknown(value) => value.serialize(serializer),
                        #undecoded_arm
                    }
                }
            }
        },
    ];
    items.extend(super::decode::union_decode(ir, id, variants));
    items.extend(live_or_deleted(ir, def, &name, variants));
    if variants.iter().all(|v| type_has_id(ir, &v.ty)) {
        items.push(quote! {
            impl crate::HasId for #name {
                #[inline]
                fn id(&self) -> &str {
                    match self {
                        #(Self::#names(object) => crate::HasId::id(object),)*
                        Self::Unknown(value) => value.get("id").and_then(serde_json::Value::as_str).unwrap_or_default(),
                        #undecoded_id_arm
                    }
                }
            }
        });
    }
    items
}

/// For the union of an object and its deleted form (`CustomerOrDeletedCustomer`): `is_deleted`,
/// `as_customer`, `into_customer`, and `LiveOrDeleted`, through which an `Expandable` of it
/// gives the live object (`Expandable::as_live_object`).
fn live_or_deleted(ir: &Ir, def: &TypeDef, name: &Ident, variants: &[Variant]) -> Vec<TokenStream> {
    let [first, second] = variants else { return Vec::new() };
    let is_deleted = |v: &Variant| v.tags.len() == 1 && v.tags.iter().all(|(_, deleted)| *deleted);
    let is_live = |v: &Variant| v.tags.len() == 1 && v.tags.iter().all(|(_, deleted)| !*deleted);
    let (live, deleted) =
        match (is_live(first), is_deleted(second), is_deleted(first), is_live(second)) {
            (true, true, _, _) => (first, second),
            (_, _, true, true) => (second, first),
            _ => return Vec::new(),
        };
    let same_object =
        live.tags.iter().map(|(tag, _)| tag).eq(deleted.tags.iter().map(|(tag, _)| tag));
    if !same_object {
        return Vec::new();
    }
    let boxed = matches!(live.ty, TypeRef::Boxed(_));
    let live_ty = match &live.ty {
        TypeRef::Boxed(inner) => type_tokens(ir, inner, &def.home),
        other => type_tokens(ir, other, &def.home),
    };
    let live_name = ident(&live.name);
    let deleted_name = ident(&deleted.name);
    let snake = crate::names::function_name(&live.name);
    let as_live = format_ident!("as_{}", snake);
    let into_live = format_ident!("into_{}", snake);
    let (borrow, take) =
        if boxed { (quote!(&**object), quote!(*object)) } else { (quote!(object), quote!(object)) };
    let live_source = match &live.ty {
        TypeRef::Boxed(inner) => type_source(ir, inner, &def.home),
        other => type_source(ir, other, &def.home),
    };
    let as_doc = format!(" The [`{live_source}`] if it is not deleted.");
    vec![
        quote! {
            impl #name {
                /// Whether this is the deleted object.
                pub fn is_deleted(&self) -> bool {
                    matches!(self, Self::#deleted_name(_))
                }
                #[doc = #as_doc]
                pub fn #as_live(&self) -> Option<&#live_ty> {
                    match self {
                        Self::#live_name(object) => Some(#borrow),
                        _ => None,
                    }
                }
                #[doc = #as_doc]
                pub fn #into_live(self) -> Option<#live_ty> {
                    match self {
                        Self::#live_name(object) => Some(#take),
                        _ => None,
                    }
                }
            }
        },
        quote! {
            // A separate item: each item gets the type's `cfg`.
            impl crate::LiveOrDeleted for #name {
                type Live = #live_ty;
                #[inline]
                fn live(&self) -> Option<&#live_ty> {
                    self.#as_live()
                }
            }
        },
    ]
}
