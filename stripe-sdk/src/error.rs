//! Errors returned by [`Client`](crate::Client) calls.
//!
//! Nothing in this module ever holds or prints the secret key.

use std::fmt;
use std::time::Duration;

pub use crate::runtime::form::EncodeError;

/// Everything that can go wrong when calling the Stripe API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Stripe answered with a non-2xx status and an error object (`{"error": {...}}`).
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The request could not be sent or its response could not be read (DNS, TCP, TLS, a reset or
    /// closed connection), after all retries.
    #[error("could not reach Stripe after {attempts} attempt(s): {message}")]
    #[non_exhaustive]
    Connection {
        /// What went wrong, with the chain of underlying causes.
        message: String,
        /// How many attempts were made.
        attempts: u32,
    },

    /// Every attempt ran past the per-attempt timeout.
    #[error("Stripe did not answer within {timeout:?} ({attempts} attempt(s))")]
    #[non_exhaustive]
    Timeout {
        /// The per-attempt timeout.
        timeout: Duration,
        /// How many attempts were made.
        attempts: u32,
    },

    /// A successful response whose JSON does not fit the expected type.
    #[error(
        "could not decode Stripe's {status} response as `{type_name}` at `{path}`: {message}{}",
        RequestSuffix(.request_id.as_deref())
    )]
    #[non_exhaustive]
    Decode {
        /// JSON path of the value that failed to decode (`.` for the whole document), e.g.
        /// `data[0].amount`.
        path: String,
        /// The Rust type that was being decoded, by the path it is exported at
        /// (`stripe_sdk::List<stripe_sdk::billing_portal::Session>`).
        type_name: String,
        /// The decoder's message.
        message: String,
        /// The `Request-Id` response header.
        request_id: Option<String>,
        /// HTTP status of the response.
        status: u16,
    },

    /// The request parameters could not be form-encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),

    /// An error response that is not a Stripe error object (an HTML error page from a proxy,
    /// truncated or malformed JSON, an empty body).
    #[error(
        "Stripe returned an unexpected {status} response that is not a JSON error object: \"{snippet}\"{}",
        RequestSuffix(.request_id.as_deref())
    )]
    #[non_exhaustive]
    InvalidResponse {
        /// HTTP status of the response.
        status: u16,
        /// The beginning of the body, on one line, for diagnostics.
        snippet: String,
        /// The `Request-Id` response header.
        request_id: Option<String>,
    },

    /// The client or the request options are invalid (a malformed base URL, a header value with
    /// characters HTTP does not allow, a path not starting with `/`).
    #[error("invalid Stripe client configuration: {0}")]
    Config(String),

    /// An argument of the call was refused before anything was sent: a path id that is empty,
    /// `.` or `..` (which URL parsing would remove, sending the request to another resource), a
    /// file name with control characters, or an idempotency key that an earlier request of the
    /// same client already used.
    #[error("request refused before sending: {0}")]
    InvalidArgument(String),

    /// The response body is larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); the
    /// rest of it was not read.
    #[error(
        "Stripe's {status} response is larger than the limit of {limit} bytes (ClientBuilder::max_response_bytes){}",
        RequestSuffix(.request_id.as_deref())
    )]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// HTTP status of the response.
        status: u16,
        /// The `Request-Id` response header.
        request_id: Option<String>,
    },

    /// Auto-pagination got a cursor it had already followed: the server would send the same
    /// pages forever, so the paginator stops with this error.
    #[error("pagination stopped: page {page} gives the cursor {cursor:?} again, which an earlier page already gave; the server would repeat the same pages forever")]
    PaginationLoop {
        /// The repeated cursor (an object id, or a search `next_page` token), shortened if long.
        cursor: String,
        /// The number of the page that repeated it (the first page is 1).
        page: usize,
    },

    /// The blocking client (`stripe_sdk::blocking::Client`, feature `blocking`) was called on a
    /// thread that belongs to an async runtime, where blocking would stall (or panic) the runtime.
    #[error("the blocking client was called from inside an async runtime; use stripe_sdk::Client (async) there, or call it from a thread the runtime does not manage (e.g. one started with std::thread::spawn)")]
    BlockingInAsyncContext,
}

impl Error {
    /// The Stripe error object, when Stripe answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(err) => Some(err),
            _ => None,
        }
    }

    /// The HTTP status of the response this error comes from, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(err) => Some(err.status),
            Error::Decode { status, .. }
            | Error::InvalidResponse { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `Request-Id` of the response this error comes from, if Stripe sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(err) => err.request_id.as_deref(),
            Error::Decode { request_id, .. }
            | Error::InvalidResponse { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(err: ApiError) -> Self {
        Error::Api(Box::new(err))
    }
}

/// The category of a Stripe API error, from the HTTP status and the error's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `card_error` (HTTP 402): the card cannot be charged.
    Card,
    /// `invalid_request_error` (HTTP 400 or 404): invalid parameters or an unknown object.
    InvalidRequest,
    /// HTTP 401: the API key is missing or invalid.
    Authentication,
    /// HTTP 403: the API key lacks the permission for this request.
    Permission,
    /// HTTP 429: too many requests.
    RateLimit,
    /// `idempotency_error`: an idempotency key was reused with different parameters.
    Idempotency,
    /// Any other error (`api_error`, 5xx, unexpected statuses).
    Api,
}

impl ErrorKind {
    /// Chooses the kind from the HTTP status and the error's `type` field, as Stripe's official
    /// SDKs do.
    pub fn from_status(status: u16, error_type: Option<&str>) -> ErrorKind {
        match (status, error_type) {
            (_, Some("idempotency_error")) => ErrorKind::Idempotency,
            (400 | 404, _) => ErrorKind::InvalidRequest,
            (401, _) => ErrorKind::Authentication,
            (402, _) => ErrorKind::Card,
            (403, _) => ErrorKind::Permission,
            (429, _) => ErrorKind::RateLimit,
            _ => ErrorKind::Api,
        }
    }

    /// Stripe's name for this kind of error, e.g. `card_error`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Card => "card_error",
            ErrorKind::InvalidRequest => "invalid_request_error",
            ErrorKind::Authentication => "authentication_error",
            ErrorKind::Permission => "permission_error",
            ErrorKind::RateLimit => "rate_limit_error",
            ErrorKind::Idempotency => "idempotency_error",
            ErrorKind::Api => "api_error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error object returned by the Stripe API.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The category, from the HTTP status and `type`.
    pub kind: ErrorKind,
    /// HTTP status of the response.
    pub status: u16,
    /// The human-readable message (`error.message`).
    pub message: Option<String>,
    /// A message that can be shown to the end user (`error.user_message`, v2 errors).
    pub user_message: Option<String>,
    /// A short machine-readable code (`error.code`), e.g. `card_declined`.
    pub code: Option<String>,
    /// The card issuer's reason for a decline (`error.decline_code`).
    pub decline_code: Option<String>,
    /// The parameter the error relates to (`error.param`).
    pub param: Option<String>,
    /// A link to documentation about the error code (`error.doc_url`).
    pub doc_url: Option<String>,
    /// A link to the request in the Dashboard logs (`error.request_log_url`).
    pub request_log_url: Option<String>,
    /// The raw `error.type`, e.g. `card_error`.
    pub error_type: Option<String>,
    /// The `Request-Id` response header.
    pub request_id: Option<String>,
    /// The whole `error` object as sent, for fields not listed above (e.g. `payment_intent`).
    pub raw: serde_json::Value,
}

impl ApiError {
    /// Builds the error from a response's status, its `error` object and its request id.
    pub(crate) fn from_object(
        status: u16,
        error: &serde_json::Value,
        request_id: Option<String>,
    ) -> ApiError {
        let text =
            |name: &str| error.get(name).and_then(serde_json::Value::as_str).map(str::to_owned);
        let error_type = text("type");
        ApiError {
            kind: ErrorKind::from_status(status, error_type.as_deref()),
            status,
            message: text("message"),
            user_message: text("user_message"),
            code: text("code"),
            decline_code: text("decline_code"),
            param: text("param"),
            doc_url: text("doc_url"),
            request_log_url: text("request_log_url"),
            error_type,
            request_id,
            raw: error.clone(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error_type = self.error_type.as_deref().unwrap_or(self.kind.as_str());
        write!(f, "Stripe API error ({} {error_type}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(decline_code) = &self.decline_code {
            write!(f, ", decline code {decline_code}")?;
        }
        if let Some(param) = &self.param {
            write!(f, ", param {param}")?;
        }
        f.write_str("): ")?;
        f.write_str(self.message.as_deref().unwrap_or("(no message)"))?;
        write!(f, "{}", RequestSuffix(self.request_id.as_deref()))
    }
}

impl std::error::Error for ApiError {}

/// Writes ` [request req_123]` when there is a request id, nothing otherwise.
struct RequestSuffix<'a>(Option<&'a str>);

impl fmt::Display for RequestSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " [request {id}]"),
            None => Ok(()),
        }
    }
}

/// `text` cut to its first `max_chars` characters, followed by `…(N bytes)` when it was longer:
/// errors quote values from requests and responses, and must not copy a 50 MB string whole.
pub(crate) fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…({} bytes)", &text[..end], text.len()),
    }
}

/// The beginning of a response body on one line: at most 200 characters, whitespace and control
/// characters collapsed to single spaces, invalid UTF-8 replaced. Never splits a character.
pub(crate) fn body_snippet(body: &[u8]) -> String {
    const MAX_BYTES: usize = 1024;
    const MAX_CHARS: usize = 200;
    let head = &body[..body.len().min(MAX_BYTES)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    let mut truncated = body.len() > MAX_BYTES;
    for ch in text.chars() {
        if ch.is_whitespace() || ch.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if count >= MAX_CHARS {
            truncated = true;
            break;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(ch);
        count += 1;
    }
    if truncated {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(empty body)");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_short_single_line_and_char_safe() {
        assert_eq!(
            body_snippet(b"<html>\n  <body>Bad gateway</body>\n</html>\n"),
            "<html> <body>Bad gateway</body> </html>"
        );
        assert_eq!(body_snippet(b""), "(empty body)");
        let long = "é".repeat(5000);
        let snippet = body_snippet(long.as_bytes());
        assert_eq!(snippet.chars().count(), 201);
        assert!(snippet.ends_with('…'));
        // A body cut in the middle of a multi-byte character.
        assert_eq!(body_snippet(&"aé".as_bytes()[..2]), "a\u{FFFD}");
    }

    #[test]
    fn long_values_are_shortened() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc…(4 bytes)");
        assert_eq!(shorten(&"é".repeat(10), 2), "éé…(20 bytes)");
    }

    #[test]
    fn kinds_follow_status_and_type() {
        assert_eq!(ErrorKind::from_status(402, Some("card_error")), ErrorKind::Card);
        assert_eq!(
            ErrorKind::from_status(404, Some("invalid_request_error")),
            ErrorKind::InvalidRequest
        );
        assert_eq!(ErrorKind::from_status(409, Some("idempotency_error")), ErrorKind::Idempotency);
        assert_eq!(ErrorKind::from_status(409, Some("invalid_request_error")), ErrorKind::Api);
        assert_eq!(ErrorKind::from_status(429, None), ErrorKind::RateLimit);
        assert_eq!(ErrorKind::from_status(503, None), ErrorKind::Api);
    }
}
