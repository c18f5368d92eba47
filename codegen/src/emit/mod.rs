//! From the intermediate form to Rust tokens, one file per module.
//!
//! Imports run one way: `ir` ← [`tokens`] ← [`decode`], [`params`], [`event_object`] ← [`types`]
//! (which calls them for a type's decoding, encoding and event items) and [`operations`] ← this
//! module, which orchestrates them.

use std::collections::BTreeMap;

use quote::quote;

use crate::features::{self, FeatureSet, Features};
use crate::ir::{Home, Ir, Operation, TypeId};
use crate::layout::{BENCH_RESOURCE_TABLE, RESOURCE_TABLE, SDK_DIR};

mod decode;
mod event_object;
mod operations;
mod params;
mod tokens;
mod types;

pub use tokens::FileTokens;
use tokens::{cfg_attr, ident, public_path};

pub fn emit(ir: &Ir, features: &Features) -> Vec<FileTokens> {
    let defaultable = ir.defaultable();
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
            let type_items = types::type_items(ir, &defaultable, *id);
            items.extend(type_items.items.into_iter().map(|item| quote!(#cfg #item)));
            items.extend(event_object::api_event_items(ir, *id, &cfg));
            if ir.v2_error_code == Some(*id) {
                items.push(quote! {
                    #cfg
                    impl crate::ApiError {
                        /// The error's `code` as a [`Code`] of the v2 API (`Code::NoMeter`), a
                        /// code this SDK does not know as `Code::Unknown`; `None` without a code.
                        pub fn v2_code(&self) -> Option<Code> {
                            self.code.as_deref().map(Code::from)
                        }
                    }
                });
            }
            if let Some(text) = type_items.verbatim {
                let index = proc_macro2::Literal::usize_unsuffixed(verbatim.len());
                items.push(quote!(#cfg VERBATIM!(#index);));
                verbatim.push(text);
            }
        }
        let impls = methods.get(home).into_iter().flatten().map(|(owner, operations)| {
            let cfg = cfg_attr(&[features::group(home)]);
            let block = operations::impl_block(ir, *owner, operations);
            let fetch = operations.iter().find_map(|op| operations::fetch_event_item(ir, op));
            quote!(#cfg #block #fetch)
        });
        out.push(FileTokens {
            path: file_path(home),
            tokens: quote!(#(#items)* #(#impls)*),
            verbatim,
        });
    }
    out.extend(module_files(ir, features, &files));
    out.push(resource_table(ir));
    out.push(bench_resource_table(ir));
    out.push(operations::operation_table(ir));
    out
}

fn file_path(home: &Home) -> String {
    match &home.namespace {
        Some(namespace) => format!("{SDK_DIR}/{}/{}.rs", namespace.replace("::", "/"), home.file),
        None => format!("{SDK_DIR}/{}.rs", home.file),
    }
}

/// The same table for the benchmarks (`bench/`, a workspace of its own that includes the file):
/// a macro that hands every `"resource id" => type` pair to the macro it is given.
fn bench_resource_table(ir: &Ir) -> FileTokens {
    // Written as text, one pair a line (prettyplease fills a macro body's lines).
    let mut text = String::from(
        "/// Calls `$m! { \"resource id\" => type, ... }` with every resource of the spec.\n\
         macro_rules! all_resources {\n    ($m:ident) => {\n        $m! {\n",
    );
    for (resource_id, id) in &ir.resources {
        text.push_str(&format!("            {resource_id:?} => {},\n", ir.path(*id, "stripe_sdk")));
    }
    text.push_str("        }\n    };\n}\n");
    FileTokens {
        path: BENCH_RESOURCE_TABLE.to_owned(),
        tokens: quote!(VERBATIM!(0);),
        verbatim: vec![text],
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
    // A nested namespace (`v2::core`) needs its parents (`v2`), with or without types of their own.
    let nested: Vec<&str> = namespaces.keys().flatten().copied().collect();
    for namespace in nested {
        let mut parent = namespace;
        while let Some((outer, _)) = parent.rsplit_once("::") {
            namespaces.entry(Some(outer)).or_default();
            parent = outer;
        }
    }
    // The features that compile anything in a namespace or below it.
    let below = |namespace: &str| -> FeatureSet {
        namespaces
            .iter()
            .filter(|(ns, _)| {
                ns.is_some_and(|ns| ns == namespace || ns.starts_with(&format!("{namespace}::")))
            })
            .flat_map(|(_, homes)| homes.iter().flat_map(|(_, set)| set.iter().copied()))
            .collect()
    };
    let mut out = Vec::new();
    for (namespace, homes) in &namespaces {
        let declarations = homes.iter().map(|(home, set)| {
            let module = ident(&home.file);
            let visibility = if home.public { quote!(pub) } else { quote!() };
            let cfg = cfg_attr(&features.cfg_terms(set));
            quote! { #cfg #visibility mod #module; #cfg pub use #module::*; }
        });
        // The namespaces directly inside this one.
        let children = namespaces.keys().flatten().filter_map(|child| {
            let (parent, module) = match child.rsplit_once("::") {
                Some((parent, module)) => (Some(parent), module),
                None => (None, *child),
            };
            (parent == *namespace).then(|| {
                let module = ident(module);
                let cfg = cfg_attr(&features.cfg_terms(&below(child)));
                quote!(#cfg pub mod #module;)
            })
        });
        let tokens = match namespace {
            Some(namespace) => {
                let doc = format!(" Stripe's `{namespace}` resources.");
                quote! { #![doc = #doc] #(#children)* #(#declarations)* }
            }
            None => {
                let version = &ir.api_version;
                let doc = format!(" The Stripe API version of the spec this code was generated from: `{version}`.");
                quote! {
                    #[doc = #doc]
                    pub const API_VERSION: &str = #version;
                    #(#children)*
                    #(#declarations)*
                }
            }
        };
        let path = match namespace {
            Some(namespace) => format!("{SDK_DIR}/{}/mod.rs", namespace.replace("::", "/")),
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
    let objects = ir.objects.iter().map(|(name, id)| {
        let path = public_path(ir, *id);
        quote! { (#name, crate::roundtrip::<#path>), }
    });
    let tokens = quote! {
        #![doc = " Every resource of the spec (`x-resourceId`) with its generated type."]
        /// Resource id and the check that decodes and re-encodes a JSON object as that resource's type.
        pub const RESOURCES: &[(&str, crate::Roundtrip)] = &[#(#rows)*];
        /// The other objects (schemas with an `object` tag), by schema name, with the same check.
        pub const OBJECTS: &[(&str, crate::Roundtrip)] = &[#(#objects)*];
    };
    FileTokens { path: RESOURCE_TABLE.to_owned(), tokens, verbatim: Vec::new() }
}
