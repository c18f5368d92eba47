//! Operations as methods of the type they return (each returns a `ResponseFuture` to `.await`),
//! and the table the conformance runner walks.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{type_has_id, Home, HttpMethod, Ir, Operation, Response, TypeId, TypeRef};
use crate::layout::OPERATION_TABLE;

use super::tokens::{doc_attrs, ident, public_path, type_tokens, FileTokens};

/// `impl Owner { pub fn create(…) -> crate::ResponseFuture<Owner> … }` for the operations of one
/// type.
pub fn impl_block(ir: &Ir, owner: TypeId, operations: &[&Operation]) -> TokenStream {
    let def = ir.get(owner);
    let name = ident(&def.name);
    let methods = operations.iter().map(|operation| method(ir, &def.home, operation));
    quote! { impl #name { #(#methods)* } }
}

fn method(ir: &Ir, home: &Home, operation: &Operation) -> TokenStream {
    let request_line = format!("`{} {}`", operation.method.as_str(), operation.path);
    let doc = match &operation.doc {
        Some(text) => format!("{text}\n\n{request_line}"),
        None => request_line,
    };
    let doc = doc_attrs(Some(&doc));
    let name = ident(&operation.name);
    let Signature { args, params_arg, params } = signature(ir, home, operation);
    let path = path_expression(operation);
    let method = format_ident!("{}", operation.method.variant());
    let method = quote!(crate::Method::#method);
    let host =
        if operation.files_host { quote!(crate::Host::Files) } else { quote!(crate::Host::Api) };
    let (output, body) = match (&operation.response, &operation.multipart_file) {
        (Response::Bytes, _) => {
            (quote!(Vec<u8>), quote!(client.send_bytes(#method, #host, #path, #params)))
        }
        (Response::Json(ty), Some(file)) => {
            let ty = type_tokens(ir, ty, home);
            let file_field = ident(&crate::names::field_name(file));
            let body = quote!(client.send_multipart(#path, params, #file, &params.#file_field));
            (ty, body)
        }
        (Response::Json(ty), None) if operation.json_body => {
            (type_tokens(ir, ty, home), quote!(client.send_json(#method, #path, #params)))
        }
        (Response::Json(ty), None) => {
            (type_tokens(ir, ty, home), quote!(client.send(#method, #host, #path, #params)))
        }
    };
    let paginated = paginated_method(ir, home, operation);
    // `#[inline]` here and on the paginated twin: an operation (with its parameters' encoder) is
    // compiled in the application that calls it, not in this crate for all of them.
    quote! {
        #doc
        #[inline]
        pub fn #name(client: &crate::Client, #(#args,)* #params_arg) -> crate::ResponseFuture<#output> {
            #body
        }
        #paginated
    }
}

/// The path of the v2 event that thin event notifications name.
const V2_EVENT: &str = "/v2/core/events/{id}";

/// `EventNotification::fetch_event`, beside the operation that retrieves a v2 event (the
/// hand-written webhook module cannot name a type that only some spec releases have).
pub fn fetch_event_item(ir: &Ir, operation: &Operation) -> Option<TokenStream> {
    if operation.method != HttpMethod::Get
        || operation.path != V2_EVENT
        || operation.params.is_some()
    {
        return None;
    }
    let Response::Json(ty) = &operation.response else { return None };
    let owner = &ir.get(operation.owner);
    let ty = type_tokens(ir, ty, &owner.home);
    let owner_name = ident(&owner.name);
    let name = ident(&operation.name);
    let group = crate::features::group(&owner.home);
    Some(quote! {
        #[cfg(all(feature = #group, feature = "webhook"))]
        impl crate::webhook::EventNotification {
            /// Fetches the whole event (`GET /v2/core/events/{id}`), with the notification's
            /// `context` as `Stripe-Context`.
            pub async fn fetch_event(&self, client: &crate::Client) -> Result<#ty, crate::Error> {
                #owner_name::#name(&self.client_for(client), &self.id).await
            }
        }
    })
}

/// `list_paginated` beside `list` (and `search_paginated` beside `search`): every item of the
/// list, fetched page by page. Only for items with an id, which the next page starts after.
fn paginated_method(ir: &Ir, home: &Home, operation: &Operation) -> Option<TokenStream> {
    let (item, constructor) = match &operation.response {
        Response::Json(TypeRef::List(item)) => (item, quote!(list)),
        Response::Json(TypeRef::SearchList(item)) => (item, quote!(search)),
        Response::Json(TypeRef::V2List(item)) => (item, quote!(v2_list)),
        _ => return None,
    };
    if !type_has_id(ir, item) {
        return None;
    }
    let item = type_tokens(ir, item, home);
    let name = format_ident!("{}_paginated", operation.name);
    let doc = format!(
        " Every item of [`Self::{}`], fetching pages as they are consumed.",
        operation.name
    );
    let Signature { args, params_arg, params } = signature(ir, home, operation);
    let path = path_string(operation);
    Some(quote! {
        #[doc = #doc]
        #[inline]
        pub fn #name(client: &crate::Client, #(#args,)* #params_arg) -> crate::Paginator<#item> {
            crate::Paginator::#constructor(client, #path, #params)
        }
    })
}

/// What an operation's methods take and pass on.
struct Signature {
    /// `customer: &str` for each path parameter.
    args: Vec<TokenStream>,
    /// `params: &CreateSessionParams`, if the operation has parameters.
    params_arg: Option<TokenStream>,
    /// The parameters to encode: `params`, or `&()`.
    params: TokenStream,
}

fn signature(ir: &Ir, home: &Home, operation: &Operation) -> Signature {
    let args = operation
        .path_params
        .iter()
        .map(|(rust, _)| {
            let arg = ident(rust);
            quote!(#arg: impl AsRef<str>)
        })
        .collect();
    let params_arg = operation.params.map(|id| {
        let ty = type_tokens(ir, &TypeRef::Named(id), home);
        quote!(params: &#ty)
    });
    let params = if operation.params.is_some() { quote!(params) } else { quote!(&()) };
    Signature { args, params_arg, params }
}

/// The request path: a literal, or the ids percent-encoded into the template, kept beside it
/// (for tracing).
fn path_expression(operation: &Operation) -> TokenStream {
    if operation.path_params.is_empty() {
        let path = &operation.path;
        return quote!(#path);
    }
    let formatted = formatted_path(operation);
    let template = &operation.path;
    quote!(crate::runtime::path::templated(#template, #formatted))
}

/// The request path as a `String`.
fn path_string(operation: &Operation) -> TokenStream {
    if operation.path_params.is_empty() {
        let path = &operation.path;
        return quote!(#path.to_owned());
    }
    formatted_path(operation)
}

/// `["/v1/customers/", &crate::runtime::path::path_segment(customer)].concat()`: the template's
/// literal parts with each id percent-encoded between them.
fn formatted_path(operation: &Operation) -> TokenStream {
    let mut parts = Vec::new();
    let mut rest = operation.path.as_str();
    for (rust, wire) in &operation.path_params {
        let placeholder = format!("{{{wire}}}");
        let (before, after) = rest.split_once(&placeholder).unwrap_or((rest, ""));
        if !before.is_empty() {
            parts.push(quote!(#before));
        }
        let arg = ident(rust);
        parts.push(quote!(&crate::runtime::path::path_segment(#arg.as_ref())));
        rest = after;
    }
    if !rest.is_empty() {
        parts.push(quote!(#rest));
    }
    quote!([#(#parts),*].concat())
}

/// One entry per operation: how the conformance runner calls it through the generated method.
pub fn operation_table(ir: &Ir) -> FileTokens {
    let mut rows = Vec::with_capacity(ir.operations.len());
    let mut functions = Vec::with_capacity(ir.operations.len());
    let mut scope = crate::names::Scope::default();
    for operation in &ir.operations {
        let function = ident(&scope.claim(&crate::names::function_name(&operation.operation_id)));
        let (id, method, path) =
            (&operation.operation_id, operation.method.as_str(), &operation.path);
        rows.push(quote! {
            crate::conformance::Operation { operation_id: #id, method: #method, path: #path, call: #function },
        });
        let owner = public_path(ir, operation.owner);
        let name = ident(&operation.name);
        let args = (0..operation.path_params.len())
            .map(|index| quote!(crate::conformance::arg(path, #index)?));
        let (decode, params) = match operation.params {
            Some(id) => {
                let ty = public_path(ir, id);
                (quote!(let params: #ty = crate::conformance::params(params)?;), quote!(&params))
            }
            None => (quote!(crate::conformance::no_params(params)?;), quote!()),
        };
        let path_arg = if operation.path_params.is_empty() { quote!(_path) } else { quote!(path) };
        functions.push(quote! {
            fn #function<'a>(client: &'a stripe_sdk::Client, #path_arg: &'a [String], params: serde_json::Value) -> crate::conformance::Call<'a> {
                Box::pin(async move {
                    #decode
                    crate::conformance::outcome(#owner::#name(client, #(#args,)* #params).await)
                })
            }
        });
    }
    let tokens = quote! {
        #![doc = " Every operation of the spec, called through its generated method."]
        /// Operation id, method, path template, and the call.
        pub const OPERATIONS: &[crate::conformance::Operation] = &[#(#rows)*];
        #(#functions)*
    };
    FileTokens { path: OPERATION_TABLE.to_owned(), tokens, verbatim: Vec::new() }
}
