//! The URL of a request: the client's base URL, parsed once when the client is built, with the
//! operation's path and query set on a copy of it (parsing the whole URL again, host included,
//! was a tenth of the client's own work per call).

use std::borrow::Cow;

use reqwest::Url;

use crate::error::Error;

/// A base URL (`https://api.stripe.com`, or a test server's, perhaps with a path prefix) as the
/// builder normalised it (no trailing slash), and parsed.
pub(super) struct BaseUrl {
    text: String,
    parsed: Option<Url>,
}

impl BaseUrl {
    pub(super) fn new(text: &str) -> BaseUrl {
        BaseUrl { text: text.to_owned(), parsed: Url::parse(text).ok() }
    }
}

/// The URL for `path` (which may carry a query of its own) and `query` (form-encoded, or
/// empty): the URL that `base`, `path`, `?` (or `&`) and `query` written one after the other
/// parse to.
pub(super) fn request_url(base: &BaseUrl, path: &str, query: &str) -> Result<Url, Error> {
    match &base.parsed {
        Some(parsed) if !path.contains('#') => Ok(with_path(parsed, path, query)),
        _ => parse_joined(&base.text, path, query),
    }
}

/// `base` with the path and the query set: only they are parsed (and percent-encoded as the
/// URL parser encodes them).
fn with_path(base: &Url, path: &str, query: &str) -> Url {
    let (route, own_query) = match path.split_once('?') {
        Some((route, own_query)) => (route, Some(own_query)),
        None => (path, None),
    };
    let mut url = base.clone();
    match base.path().trim_end_matches('/') {
        "" => url.set_path(route),
        prefix => url.set_path(&format!("{prefix}{route}")),
    }
    let query = match (own_query, query) {
        (None, "") => None,
        (None, query) => Some(Cow::Borrowed(query)),
        (Some(own_query), "") => Some(Cow::Borrowed(own_query)),
        (Some(own_query), query) => Some(Cow::Owned(format!("{own_query}&{query}"))),
    };
    url.set_query(query.as_deref());
    url
}

/// The URL parsed from `base`, `path` and `query` written one after the other (a path with a
/// fragment, or a base URL that does not parse: the error names it).
fn parse_joined(base: &str, path: &str, query: &str) -> Result<Url, Error> {
    let mut url = format!("{base}{path}");
    if !query.is_empty() {
        url.push(if path.contains('?') { '&' } else { '?' });
        url.push_str(query);
    }
    Url::parse(&url).map_err(|err| {
        Error::Config(format!("invalid request URL {:?}: {err}", crate::error::shorten(&url, 200)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_set_on_the_parsed_base_gives_the_url_the_joined_text_parses_to() {
        let bases = [
            "https://api.stripe.com",
            "http://127.0.0.1:12111",
            "http://localhost:8080/stripe/mock",
            "https://files.stripe.com",
            "http://[::1]:3000/prefix%20with%20space",
        ];
        let paths = [
            "/v1/customers",
            "/v1/customers/cus_123",
            "/v1/customers/cus%2F1%3F2/sources",
            "/v1/search?query=email%3A%27a%40b.c%27",
            "/v1/x?",
            "/v2/core/events/evt_1",
            "/v1/a b/é/ü%ZZ/{c}/|/^/`",
            "/v1/customers?limit=3",
            "/v1/frag#ment",
        ];
        let queries = ["", "limit=3", "expand[0]=data.customer&created[gte]=1", "q=a b&r='x'|é"];
        for base in bases {
            let parsed = BaseUrl::new(base);
            assert!(parsed.parsed.is_some(), "{base}");
            for path in paths {
                for query in queries {
                    let expected = parse_joined(base, path, query).map(|url| url.to_string());
                    let fast = request_url(&parsed, path, query).map(|url| url.to_string());
                    assert_eq!(fast.ok(), expected.ok(), "{base} {path} {query}");
                }
            }
        }
    }

    #[test]
    fn a_base_that_does_not_parse_gives_an_error_naming_the_url() {
        let base = BaseUrl::new("not a url");
        let err = request_url(&base, "/v1/customers", "").unwrap_err();
        assert!(err.to_string().contains("not a url/v1/customers"), "{err}");
    }
}
