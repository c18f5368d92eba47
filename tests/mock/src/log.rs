//! The request log: what each request asked and what the mock answered, for a test's assertions.

use bytes::Bytes;
use serde_json::Value;

/// One request received by the mock.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    /// The `Request-Id` the mock answered with (`req_mock00000000000001`).
    pub request_id: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Stripe's operation id (`PostCustomers`), when the path matched one.
    pub operation: Option<String>,
    /// The query and body parameters as JSON (`{"metadata": {"k": "v"}}`); files as
    /// `{"file": name, "len": bytes}`.
    pub params: Value,
    pub idempotency_key: Option<String>,
    pub stripe_account: Option<String>,
    /// The `Stripe-Context` header (the v2 API's account context).
    pub stripe_context: Option<String>,
    /// The request's headers, in order, names in lower case; the API key is redacted
    /// (`Bearer sk_test_****1234`).
    pub headers: Vec<(String, String)>,
    /// The status answered, or 0 when the connection was dropped by a fault.
    pub status: u16,
    /// The body answered.
    pub response: Bytes,
}

impl LoggedRequest {
    /// The first value of a header (`name` in lower case: `user-agent`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(header, _)| header == name).map(|(_, value)| value.as_str())
    }

    /// The answered body as JSON (`None` for a PDF or a dropped connection).
    pub fn response_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.response).ok()
    }
}
