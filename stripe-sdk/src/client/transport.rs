//! One attempt at a request: what is sent (kept so that every retry sends it again), the HTTP
//! exchange within the per-attempt timeout, and the bounded reading of the body.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};

use super::headers::header_text;
use super::{retry, Method};

/// The body of a request, kept so that every attempt can send it again.
pub(super) enum Body {
    Empty,
    /// Cheap to clone for each attempt.
    Form(bytes::Bytes),
    /// A v2 request's parameters.
    Json(bytes::Bytes),
    Multipart(Multipart),
}

pub(super) struct Multipart {
    pub(super) fields: Vec<(String, String)>,
    pub(super) file_field: String,
    pub(super) file_name: String,
    pub(super) file: Vec<u8>,
}

impl Multipart {
    pub(super) fn to_form(&self) -> reqwest::multipart::Form {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.fields {
            form = form.text(name.clone(), value.clone());
        }
        let part =
            || reqwest::multipart::Part::bytes(self.file.clone()).file_name(self.file_name.clone());
        let part = part().mime_str("application/octet-stream").unwrap_or_else(|_| part());
        form.part(self.file_field.clone(), part)
    }
}

/// A request ready to be sent, as many times as needed.
pub(super) struct Prepared {
    /// The operation's path template (`/v1/customers/{customer}`); `None` for a raw call.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(super) template: Option<&'static str>,
    pub(super) method: Method,
    pub(super) url: reqwest::Url,
    pub(super) headers: HeaderMap,
    pub(super) body: Body,
    pub(super) timeout: Duration,
    pub(super) max_retries: u32,
    pub(super) max_response_bytes: u64,
}

/// A complete response, whatever its status.
pub(super) struct RawResponse {
    pub(super) status: u16,
    pub(super) request_id: Option<String>,
    pub(super) should_retry: Option<bool>,
    pub(super) body: bytes::Bytes,
}

/// What one attempt came to.
pub(super) enum Outcome {
    Response(RawResponse),
    Network(reqwest::Error),
    TimedOut,
    /// The body was longer than the client's limit.
    TooLarge {
        status: u16,
        request_id: Option<String>,
    },
}

/// One attempt: sends the request and reads the whole response, within the per-attempt timeout.
pub(super) async fn attempt(http: &reqwest::Client, request: &Prepared) -> Outcome {
    let mut builder = http
        .request(request.method.to_reqwest(), request.url.clone())
        .headers(request.headers.clone());
    builder = match &request.body {
        Body::Empty => builder,
        Body::Form(form) => builder
            .header(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"))
            .body(form.clone()),
        Body::Json(json) => builder
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(json.clone()),
        Body::Multipart(multipart) => builder.multipart(multipart.to_form()),
    };
    let exchange = async {
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let request_id = header_text(response.headers(), "request-id");
        let should_retry = header_text(response.headers(), "stripe-should-retry")
            .and_then(|value| retry::parse_should_retry(&value));
        let body = read_body(response, request.max_response_bytes).await?;
        Ok::<_, reqwest::Error>(match body {
            Some(body) => Outcome::Response(RawResponse { status, request_id, should_retry, body }),
            None => Outcome::TooLarge { status, request_id },
        })
    };
    match tokio::time::timeout(request.timeout, exchange).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(err)) => Outcome::Network(err),
        Err(_) => Outcome::TimedOut,
    }
}

/// The whole body, or `None` as soon as it is known to be longer than `limit` bytes (from its
/// `Content-Length`, or while reading it).
pub(super) async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Option<bytes::Bytes>, reqwest::Error> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit) {
        return Ok(None);
    }
    let Some(first) = response.chunk().await? else { return Ok(Some(bytes::Bytes::new())) };
    if first.len() as u64 > limit {
        return Ok(None);
    }
    if announced == Some(first.len() as u64) {
        return Ok(Some(first)); // the whole body in one chunk: no copy
    }
    // Room for the announced length, but not more than 1 MiB before the bytes arrive.
    let room = announced.unwrap_or(0).min(1 << 20);
    let mut body = bytes::BytesMut::with_capacity(usize::try_from(room).unwrap_or(0));
    body.extend_from_slice(&first);
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}
