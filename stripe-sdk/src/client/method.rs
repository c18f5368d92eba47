//! The HTTP methods of Stripe's operations, and the hosts that serve them.

use std::fmt;

/// HTTP method of a Stripe operation: every method OpenAPI allows (Stripe's current API uses
/// `GET`, `POST` and `DELETE`; older releases of its spec also `PUT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: parameters are form-encoded into the query string.
    Get,
    /// `POST`: parameters are sent as an `application/x-www-form-urlencoded` body.
    Post,
    /// `DELETE`: parameters are form-encoded into the query string.
    Delete,
    /// `PUT`: parameters are sent as a form-encoded body.
    Put,
    /// `PATCH`: parameters are sent as a form-encoded body.
    Patch,
    /// `HEAD`: parameters are form-encoded into the query string.
    Head,
    /// `OPTIONS`: parameters are form-encoded into the query string.
    Options,
    /// `TRACE`: parameters are form-encoded into the query string.
    Trace,
}

impl Method {
    /// The method's name, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    pub(super) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
            Method::Trace => reqwest::Method::TRACE,
        }
    }

    /// Whether the parameters go into a form-encoded body (otherwise into the query string).
    pub(super) fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    /// Whether requests with this method carry an `Idempotency-Key`: the methods that change
    /// something (the official SDKs' `POST` and `DELETE`, and `PUT`/`PATCH` where a spec has them).
    pub(super) fn takes_idempotency_key(self) -> bool {
        matches!(self, Method::Post | Method::Delete | Method::Put | Method::Patch)
    }
}

/// Which of Stripe's hosts serves an operation: the API (`api.stripe.com`) or, for file uploads
/// and downloads, the files host (`files.stripe.com`), as the spec's `servers` say.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Api,
    Files,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
