//! Operations as `async fn`s on the type they return, and the table the conformance runner walks.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{doc_attrs, ident, public_path, type_tokens, FileTokens, OPERATION_TABLE};
use crate::ir::*;

/// `impl Owner { pub async fn create(…) … }` for the operations of one type.
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
    let args = operation.path_params.iter().map(|(rust, _)| {
        let arg = ident(rust);
        quote!(#arg: &str)
    });
    let params_arg = operation.params.map(|id| {
        let ty = type_tokens(ir, &TypeRef::Named(id), home);
        quote!(params: &#ty)
    });
    let params = if operation.params.is_some() { quote!(params) } else { quote!(&()) };
    let path = path_expression(operation);
    let method = match operation.method {
        HttpMethod::Get => quote!(crate::Method::Get),
        HttpMethod::Post => quote!(crate::Method::Post),
        HttpMethod::Delete => quote!(crate::Method::Delete),
    };
    let files = operation.files_host;
    let (output, body) = match (&operation.response, &operation.multipart_file) {
        (Response::Bytes, _) => (quote!(Vec<u8>), quote!(client.send_bytes(#method, #path, #params, #files).await)),
        (Response::Json(ty), Some(file)) => {
            let ty = type_tokens(ir, ty, home);
            let file_field = ident(&crate::names::field_name(file));
            let body = quote! {
                let fields = crate::runtime::form::pairs(params)?;
                client.send_multipart(#path, fields, #file, params.#file_field.name.clone(), params.#file_field.data.clone()).await
            };
            (ty, body)
        }
        (Response::Json(ty), None) => (type_tokens(ir, ty, home), quote!(client.send(#method, #path, #params, #files).await)),
    };
    quote! {
        #doc
        pub async fn #name(client: &crate::Client, #(#args,)* #params_arg) -> Result<#output, crate::Error> {
            #body
        }
    }
}

/// The request path: a literal, or `format!` with each id percent-encoded.
fn path_expression(operation: &Operation) -> TokenStream {
    if operation.path_params.is_empty() {
        let path = &operation.path;
        return quote!(#path);
    }
    let mut template = operation.path.clone();
    for (_, wire) in &operation.path_params {
        template = template.replace(&format!("{{{wire}}}"), "{}");
    }
    let args = operation.path_params.iter().map(|(rust, _)| {
        let arg = ident(rust);
        quote!(crate::runtime::form::path_segment(#arg))
    });
    quote!(&format!(#template, #(#args),*))
}

/// One entry per operation: how the conformance runner calls it through the generated method.
pub fn operation_table(ir: &Ir) -> FileTokens {
    let mut rows = Vec::with_capacity(ir.operations.len());
    let mut functions = Vec::with_capacity(ir.operations.len());
    for operation in &ir.operations {
        let function = format_ident!("{}", operation.operation_id.to_snake_case());
        let (id, method, path) = (&operation.operation_id, operation.method.as_str(), &operation.path);
        rows.push(quote! {
            crate::conformance::Operation { operation_id: #id, method: #method, path: #path, call: #function },
        });
        let owner = public_path(ir, operation.owner);
        let name = ident(&operation.name);
        let args = (0..operation.path_params.len()).map(|index| quote!(crate::conformance::arg(path, #index)?));
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
    FileTokens { path: OPERATION_TABLE.to_owned(), tokens }
}
