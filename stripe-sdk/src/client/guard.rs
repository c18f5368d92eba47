//! Checks of what a caller hands the client, made before anything is sent: path segments that
//! URL parsing would remove, multipart file names that would break their part's headers, header
//! values HTTP does not allow, and credentials in base URLs (never repeated in a message).

use crate::error::{shorten, Error};

/// Refuses a request path with a segment that is empty, `.` or `..` (also percent-encoded, as
/// `%2e%2E`), or that contains a backslash: URL parsing removes or reinterprets such segments, so
/// `Customer::retrieve(&client, "..")` would send `GET /v1/` and `Customer::update(&client, "", ..)`
/// would post to the create endpoint. Path ids are percent-encoded (a `/` in an id is `%2F`), so
/// only these spellings can leave their resource. The query string, after `?`, is not checked.
pub(super) fn check_path(path: &str) -> Result<(), Error> {
    let route = path.split(['?', '#']).next().unwrap_or_default();
    let Some(rest) = route.strip_prefix('/') else {
        return Err(Error::Config(format!(
            "the request path must start with '/', not {:?}",
            shorten(path, 200)
        )));
    };
    for (index, segment) in rest.split('/').enumerate() {
        let problem = match dot_segment(segment) {
            _ if segment.is_empty() => "is empty",
            Some(1) => "is `.`",
            Some(_) => "is `..`",
            None if segment.contains('\\') => "contains a backslash",
            None => continue,
        };
        let before = rest.split('/').take(index).collect::<Vec<_>>().join("/");
        return Err(Error::InvalidArgument(format!(
            "the path segment after `/{before}` {problem} ({:?}): an id given to an operation must not be empty, `.` or `..`, since the request would go to another resource",
            shorten(path, 200)
        )));
    }
    Ok(())
}

/// `Some(1)` for `.`, `Some(2)` for `..`, in any mix of `.` and `%2e`/`%2E`; `None` otherwise.
fn dot_segment(segment: &str) -> Option<usize> {
    let mut rest = segment.as_bytes();
    let mut dots = 0;
    while !rest.is_empty() {
        match rest {
            [b'.', tail @ ..] => rest = tail,
            [b'%', b'2', b'e' | b'E', tail @ ..] => rest = tail,
            _ => return None,
        }
        dots += 1;
        if dots > 2 {
            return None;
        }
    }
    (dots > 0).then_some(dots)
}

/// Refuses a multipart file name with control characters (a CR or LF would end the part's
/// `Content-Disposition` header and start a header of the caller's choosing).
pub(super) fn check_file_name(name: &str) -> Result<(), Error> {
    match name.chars().find(|ch| ch.is_control()) {
        None => Ok(()),
        Some(ch) => Err(Error::InvalidArgument(format!(
            "the file name {:?} contains the control character {ch:?}, which a multipart header cannot carry",
            shorten(name, 100)
        ))),
    }
}

/// Whether `value` can be sent as an HTTP header value as it is: printable ASCII, spaces and tabs.
/// (The `http` crate also lets bytes 0x80-0xFF through, which servers read in different ways.)
pub(super) fn is_header_text(value: &str) -> bool {
    value.bytes().all(|byte| byte == b'\t' || (b' '..=b'~').contains(&byte))
}

/// A URL with the user name and password removed (`http://***@host/`), for messages. Works on
/// text that is not a valid URL too.
pub(super) fn redact_url(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else { return shorten(text, 200) };
    let authority_start = scheme_end + 3;
    let authority_end = text[authority_start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |end| authority_start + end);
    match text[authority_start..authority_end].rfind('@') {
        Some(at) => {
            let host = &text[authority_start + at + 1..];
            shorten(&format!("{}***@{host}", &text[..authority_start]), 200)
        }
        None => shorten(text, 200),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_their_resource_are_refused() {
        for path in [
            "/v1/customers/",
            "/v1/customers/.",
            "/v1/customers/..",
            "/v1/customers/%2e%2E",
            "/v1/customers/.%2e/x",
            "/v1/customers//tax_ids",
            "/v1/customers/a\\b",
            "/v1/customers/..?expand[0]=x",
            "/",
        ] {
            let err = check_path(path).expect_err(path);
            assert!(matches!(err, Error::InvalidArgument(_)), "{path}: {err:?}");
        }
        for path in [
            "/v1/customers/cus_1",
            "/v1/customers/...",
            "/v1/customers/a.b",
            "/v1/customers/%2e%2e%2e",
            "/v1/customers/cus_1%2F..%2Fx",
            "/v1/customers?email=a/../b",
        ] {
            check_path(path).expect(path);
        }
        let err = check_path("/v1/customers/cus_1/tax_ids/..").expect_err("..");
        assert!(err.to_string().contains("after `/v1/customers/cus_1/tax_ids` is `..`"), "{err}");
        assert!(matches!(check_path("v1/x"), Err(Error::Config(_))));
    }

    #[test]
    fn file_names_and_header_values() {
        check_file_name("receipt \"2023\".pdf").expect("quotes are escaped by the encoder");
        assert!(check_file_name("a.pdf\r\nContent-Type: text/html").is_err());
        assert!(check_file_name("a\0.pdf").is_err());
        assert!(is_header_text("acct_1 x\ty"));
        assert!(!is_header_text("acct_é"));
        assert!(!is_header_text("a\nb"));
        assert!(!is_header_text("a\u{7f}"));
    }

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(redact_url("http://user:pass@host:1/x"), "http://***@host:1/x");
        assert_eq!(redact_url("http://host/a@b"), "http://host/a@b");
        assert_eq!(redact_url("not a url"), "not a url");
        assert_eq!(redact_url("ht tp://u:p@h"), "ht tp://***@h");
    }
}
