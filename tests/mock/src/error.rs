//! The crate's errors, and the errors the mock answers in Stripe's format.

use serde_json::{json, Map, Value};

use crate::form::FormError;

/// Why the mock cannot start or cannot do what a test asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the mock's embedded data is invalid: {0}")]
    Data(String),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    #[error("the mock server thread failed: {0}")]
    Thread(String),
    #[error(
        "no operation `{0}`: name one by its operation id (`PostCustomers`), as `METHOD /path` \
         (`POST /v1/customers`, the path template of the spec), or `*` for every operation"
    )]
    UnknownOperation(String),
    #[error("{0}")]
    Rejected(String),
    #[error("webhook URL `{0}`: the mock posts events to http:// loopback addresses only (127.0.0.1, [::1], localhost)")]
    WebhookUrl(String),
}

/// An error answered in Stripe's format: `{"error": {"type", "message", "code", "param", …}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    /// `invalid_request_error`, `card_error`, `api_error`, `rate_limit_error`, …
    pub kind: String,
    pub message: String,
    pub param: Option<String>,
    pub code: Option<String>,
    pub decline_code: Option<String>,
    /// The `Stripe-Should-Retry` header, when set.
    pub should_retry: Option<bool>,
    /// More members of the error object: the `payment_intent`, `charge`, `payment_method` or
    /// `setup_intent` a card error is about.
    pub extra: Map<String, Value>,
}

impl ApiError {
    pub fn new(status: u16, kind: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind: kind.to_owned(),
            message: message.into(),
            param: None,
            code: None,
            decline_code: None,
            should_retry: None,
            extra: Map::new(),
        }
    }

    /// A 400 `invalid_request_error`.
    pub fn invalid(
        message: impl Into<String>,
        param: Option<String>,
        code: Option<&str>,
    ) -> ApiError {
        let mut error = ApiError::new(400, "invalid_request_error", message);
        error.param = param;
        error.code = code.map(str::to_owned);
        error
    }

    /// A 404 `resource_missing` for an id that is not stored.
    pub fn missing(resource: &str, id: &str, param: &str) -> ApiError {
        let name = resource.rsplit('.').next().unwrap_or(resource).replace('_', " ");
        let mut error =
            ApiError::new(404, "invalid_request_error", format!("No such {name}: '{id}'"));
        error.param = Some(param.to_owned());
        error.code = Some("resource_missing".to_owned());
        error
    }

    pub fn body(&self) -> Value {
        let mut error = Map::new();
        if let Some(code) = &self.code {
            error.insert("code".to_owned(), Value::from(code.as_str()));
            let slug = code.replace('_', "-");
            error.insert(
                "doc_url".to_owned(),
                Value::from(format!("https://stripe.com/docs/error-codes/{slug}")),
            );
        }
        if let Some(decline_code) = &self.decline_code {
            error.insert("decline_code".to_owned(), Value::from(decline_code.as_str()));
        }
        error.insert("message".to_owned(), Value::from(self.message.as_str()));
        if let Some(param) = &self.param {
            error.insert("param".to_owned(), Value::from(param.as_str()));
        }
        error.insert("type".to_owned(), Value::from(self.kind.as_str()));
        error.extend(self.extra.clone());
        json!({ "error": error })
    }
}

impl From<FormError> for ApiError {
    fn from(err: FormError) -> ApiError {
        ApiError::invalid(err.message, Some(err.param), None)
    }
}
