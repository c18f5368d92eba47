//! Request paths: the path of a call with its ids percent-encoded, and the template it was made
//! from (what tracing records instead of the ids).

use super::form::{escape_into, Part};

/// The path of a request (ids percent-encoded already) and, for an operation, the path template
/// it was made from (`/v1/customers/{customer}`), which tracing records instead of the ids.
pub struct RequestPath<'a> {
    pub(crate) path: std::borrow::Cow<'a, str>,
    pub(crate) template: Option<&'static str>,
}

impl<'a> From<&'a str> for RequestPath<'a> {
    fn from(path: &'a str) -> RequestPath<'a> {
        RequestPath { path: path.into(), template: None }
    }
}

impl<'a> From<&'a String> for RequestPath<'a> {
    fn from(path: &'a String) -> RequestPath<'a> {
        RequestPath { path: path.as_str().into(), template: None }
    }
}

/// `path`, made from `template` by the generated operation.
pub fn templated(template: &'static str, path: String) -> RequestPath<'static> {
    RequestPath { path: path.into(), template: Some(template) }
}

/// Percent-encodes one path segment (an id inside a URL path).
pub fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    escape_into(id, Part::Path, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_segments_keep_only_unreserved_characters() {
        assert_eq!(super::path_segment("cus_1/../x y"), "cus_1%2F..%2Fx%20y");
        assert_eq!(super::path_segment("ünï"), "%C3%BCn%C3%AF");
    }
}
