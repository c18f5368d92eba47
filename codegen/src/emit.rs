//! From the intermediate form to Rust tokens, one file per module.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::docs;
use crate::features::{self, FeatureSet, Features};
use crate::ir::*;

/// A generated file: its items as tokens, before formatting.
pub struct FileTokens {
    pub path: String,
    pub tokens: TokenStream,
    /// Items formatted by the generator: each replaces the placeholder `VERBATIM!(index);`.
    pub verbatim: Vec<String>,
}

pub const SDK_DIR: &str = "stripe-sdk/src/generated";
pub const RESOURCE_TABLE: &str = "tests/src/resources.rs";
pub const OPERATION_TABLE: &str = "tests/src/operations.rs";

/// Which types decode from an empty JSON object: structs whose every field is optional, a
/// collection, or itself such a struct. A required field of such a type that the API omits decodes
/// as the type's default instead of failing the whole object.
fn defaultable(ir: &Ir) -> Vec<bool> {
    let mut result = vec![false; ir.types.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for (index, def) in ir.types.iter().enumerate() {
            if result[index] {
                continue;
            }
            if let TypeKind::Struct(s) = &def.kind {
                if s.fields
                    .iter()
                    .all(|f| f.presence != Presence::Required || defaults(&f.ty, &result))
                {
                    result[index] = true;
                    changed = true;
                }
            }
        }
    }
    result
}

/// Whether a required field of this type decodes as its default when absent.
pub(crate) fn defaults(ty: &TypeRef, defaultable: &[bool]) -> bool {
    match ty {
        TypeRef::Vec(_) | TypeRef::Map(_) => true,
        TypeRef::Named(id) => defaultable[id.0],
        TypeRef::Boxed(inner) => defaults(inner, defaultable),
        _ => false,
    }
}

pub fn emit(ir: &Ir, features: &Features) -> Vec<FileTokens> {
    let defaultable = defaultable(ir);
    let mut files: BTreeMap<&Home, Vec<TypeId>> = BTreeMap::new();
    for (index, def) in ir.types.iter().enumerate() {
        files.entry(&def.home).or_default().push(TypeId(index));
    }
    let mut out = Vec::with_capacity(files.len() + 16);
    let mut methods: BTreeMap<&Home, BTreeMap<TypeId, Vec<&Operation>>> = BTreeMap::new();
    for operation in &ir.operations {
        let home = &ir.get(operation.owner).home;
        methods.entry(home).or_default().entry(operation.owner).or_default().push(operation);
    }
    for (home, ids) in &files {
        let mut items = Vec::new();
        let mut verbatim = Vec::new();
        for id in ids {
            let cfg = cfg_attr(&features.cfg_terms(&features.of_type[id.0]));
            let type_items = type_items(ir, &defaultable, *id);
            items.extend(type_items.items.into_iter().map(|item| quote!(#cfg #item)));
            if let Some(text) = type_items.verbatim {
                let index = proc_macro2::Literal::usize_unsuffixed(verbatim.len());
                items.push(quote!(#cfg VERBATIM!(#index);));
                verbatim.push(text);
            }
        }
        let impls = methods.get(home).into_iter().flatten().map(|(owner, operations)| {
            let cfg = cfg_attr(&[features::group(home)]);
            let block = crate::emit_operations::impl_block(ir, *owner, operations);
            quote!(#cfg #block)
        });
        out.push(FileTokens {
            path: file_path(home),
            tokens: quote!(#(#items)* #(#impls)*),
            verbatim,
        });
    }
    out.extend(module_files(ir, features, &files));
    out.push(resource_table(ir));
    out.push(crate::emit_operations::operation_table(ir));
    out
}

fn file_path(home: &Home) -> String {
    match &home.namespace {
        Some(namespace) => format!("{SDK_DIR}/{namespace}/{}.rs", home.file),
        None => format!("{SDK_DIR}/{}.rs", home.file),
    }
}

/// `#[cfg(...)]` compiling an item when any of the features named by `terms` is on.
fn cfg_attr(terms: &[&str]) -> TokenStream {
    match terms {
        [one] => quote!(#[cfg(feature = #one)]),
        _ => quote!(#[cfg(any(#(feature = #terms),*))]),
    }
}

/// `mod.rs` of the generated tree and of each namespace: declare the files and re-export their
/// types, each behind the features that compile something in it.
fn module_files(
    ir: &Ir,
    features: &Features,
    files: &BTreeMap<&Home, Vec<TypeId>>,
) -> Vec<FileTokens> {
    let mut namespaces: BTreeMap<Option<&str>, Vec<(&Home, FeatureSet)>> = BTreeMap::new();
    for (home, ids) in files {
        let set = features.of_types(ids.iter().copied());
        namespaces.entry(home.namespace.as_deref()).or_default().push((home, set));
    }
    let mut out = Vec::new();
    for (namespace, homes) in &namespaces {
        let declarations = homes.iter().map(|(home, set)| {
            let module = ident(&home.file);
            let visibility = if home.public { quote!(pub) } else { quote!() };
            let cfg = cfg_attr(&features.cfg_terms(set));
            quote! { #cfg #visibility mod #module; #cfg pub use #module::*; }
        });
        let tokens = match namespace {
            Some(namespace) => {
                let doc = format!(" Stripe's `{namespace}` resources.");
                quote! { #![doc = #doc] #(#declarations)* }
            }
            None => {
                let version = &ir.api_version;
                let doc = format!(" The Stripe API version of the spec this code was generated from: `{version}`.");
                let children = namespaces.iter().filter_map(|(ns, homes)| {
                    let module = ident((*ns)?);
                    let set: FeatureSet =
                        homes.iter().flat_map(|(_, set)| set.iter().copied()).collect();
                    let cfg = cfg_attr(&features.cfg_terms(&set));
                    Some(quote!(#cfg pub mod #module;))
                });
                quote! {
                    #[doc = #doc]
                    pub const API_VERSION: &str = #version;
                    #(#children)*
                    #(#declarations)*
                }
            }
        };
        let path = match namespace {
            Some(namespace) => format!("{SDK_DIR}/{namespace}/mod.rs"),
            None => format!("{SDK_DIR}/mod.rs"),
        };
        out.push(FileTokens { path, tokens, verbatim: Vec::new() });
    }
    out
}

/// The table of every resource and its type, used by the fixture tests.
fn resource_table(ir: &Ir) -> FileTokens {
    let rows = ir.resources.iter().map(|(resource_id, id)| {
        let path = public_path(ir, *id);
        quote! { (#resource_id, crate::roundtrip::<#path>), }
    });
    let tokens = quote! {
        #![doc = " Every resource of the spec (`x-resourceId`) with its generated type."]
        /// Resource id and the check that decodes and re-encodes a JSON object as that resource's type.
        pub const RESOURCES: &[(&str, crate::Roundtrip)] = &[#(#rows)*];
    };
    FileTokens { path: RESOURCE_TABLE.to_owned(), tokens, verbatim: Vec::new() }
}

/// The items of one type, each to be put behind the type's features.
struct TypeItems {
    /// Its definition and impls.
    items: Vec<TokenStream>,
    /// For response structs: its decoding, formatted (see [`crate::emit_decode::struct_decode`]).
    verbatim: Option<String>,
}

fn type_items(ir: &Ir, defaultable: &[bool], id: TypeId) -> TypeItems {
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
        TypeKind::StringEnum(values) => string_enum_item(&name, values, &doc),
        TypeKind::Union(variants) => union_item(ir, def, variants, &doc),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ir, ty, &def.home);
            vec![quote! { #doc pub type #name = #ty; }]
        }
        TypeKind::RequestUnion(variants) => {
            let names = variants.iter().map(|(name, _)| ident(name));
            let types = variants.iter().map(|(_, ty)| type_tokens(ir, ty, &def.home));
            vec![quote! {
                #doc
                #[derive(Clone, Debug, serde::Serialize)]
                #[cfg_attr(feature = "deserialize", derive(serde::Deserialize))]
                #[serde(untagged)]
                pub enum #name { #(#names(#types),)* }
            }]
        }
    };
    TypeItems { items, verbatim: None }
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
                fn id(&self) -> &str { &self.id }
            }
        });
    }
    let decode = crate::emit_decode::struct_decode(ir, defaultable, id, s);
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
                if field.ty == TypeRef::String {
                    required_args.push(quote!(#field_name: impl Into<String>));
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
                pub fn new(#(#required_args),*) -> Self {
                    Self { #(#initializers,)* }
                }
            }
        },
    ];
    TypeItems { items, verbatim: Some(crate::emit_decode::params_text(&def.name, &s.fields)) }
}

fn string_enum_item(name: &Ident, values: &[EnumValue], doc: &TokenStream) -> Vec<TokenStream> {
    let variants: Vec<Ident> = values.iter().map(|v| ident(&v.variant)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|wire| format!(" `{wire}`"));
    vec![
        quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        },
        quote! { crate::runtime::string_enum::impl_string_enum!(#name); },
    ]
}

fn union_item(ir: &Ir, def: &TypeDef, variants: &[Variant], doc: &TokenStream) -> Vec<TokenStream> {
    let name = ident(&def.name);
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let types = variants.iter().map(|v| type_tokens(ir, &v.ty, &def.home));
    let (undecoded, undecoded_arm) = crate::emit_event_object::undecoded(ir, def);
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
    items.extend(crate::emit_decode::union_decode(ir, &name, variants));
    if variants.iter().all(|v| type_has_id(ir, &v.ty)) {
        items.push(quote! {
            impl crate::HasId for #name {
                fn id(&self) -> &str {
                    match self {
                        #(Self::#names(object) => crate::HasId::id(object),)*
                        Self::Unknown(value) => value.get("id").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    }
                }
            }
        });
    }
    items
}

pub(crate) fn type_has_id(ir: &Ir, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => match &ir.get(*id).kind {
            TypeKind::Struct(s) => s.has_id(),
            TypeKind::Union(variants) => variants.iter().all(|v| type_has_id(ir, &v.ty)),
            TypeKind::Alias(ty) => type_has_id(ir, ty),
            TypeKind::StringEnum(_) | TypeKind::RequestUnion(_) => false,
        },
        TypeRef::Boxed(inner) => type_has_id(ir, inner),
        _ => false,
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
