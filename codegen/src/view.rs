//! The typed view of the spec that the generator's readers walk: every operation of every path,
//! its methods in one order ([`HttpMethod::ALL`]), each with the JSON pointer its errors name, and
//! one resolver of schema `$ref`s.

use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};

use crate::error::{Error, Result};
use crate::ir::HttpMethod;
use crate::load::escape;

/// Where a schema `$ref` points: the spec's component schemas.
pub(crate) const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How many `$ref`s in a row [`schema`] follows (a cycle in a broken spec ends there).
const MAX_REFS: usize = 16;

/// One operation of the spec.
pub(crate) struct SpecOperation<'s> {
    pub method: HttpMethod,
    /// The path template (`/v1/customers/{customer}`).
    pub path: &'s str,
    /// The operation's JSON pointer (`#/paths/~1v1~1customers/post`).
    pub pointer: String,
    pub operation: &'s openapiv3::Operation,
}

/// The spec's operations, path by path in the spec's order. A path item that is a `$ref`, or
/// that has parameters of its own, is refused with its pointer.
pub(crate) fn operations(spec: &OpenAPI) -> Result<Vec<SpecOperation<'_>>> {
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let pointer = format!("#/paths/{}", escape(path));
        let ReferenceOr::Item(item) = item else {
            return Err(Error::unsupported(&pointer, "a path item that is a `$ref`"));
        };
        if !item.parameters.is_empty() {
            return Err(Error::unsupported(&pointer, "path-level `parameters` are not supported"));
        }
        for (method, operation) in methods(item) {
            operations.push(SpecOperation {
                method,
                path,
                pointer: format!("{pointer}/{}", method.as_str().to_ascii_lowercase()),
                operation,
            });
        }
    }
    Ok(operations)
}

/// The operations of a path item, in the order of [`HttpMethod::ALL`].
fn methods(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &openapiv3::Operation)> {
    let all = [
        &item.get,
        &item.post,
        &item.delete,
        &item.put,
        &item.patch,
        &item.head,
        &item.options,
        &item.trace,
    ];
    HttpMethod::ALL
        .into_iter()
        .zip(all)
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
}

/// The schema that `schema` is or refers to (`#/components/schemas/customer`), following a chain
/// of references; `None` when a target is missing.
pub(crate) fn schema<'s>(spec: &'s OpenAPI, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
    let mut schema = schema;
    for _ in 0..MAX_REFS {
        match schema {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(SCHEMA_PREFIX)?;
                schema = spec.components.as_ref()?.schemas.get(name)?;
            }
        }
    }
    None
}
