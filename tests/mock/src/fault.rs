//! Programmable faults: the next calls of an operation answer an error, wait, or drop the
//! connection, to test an application's error handling and retries.

use std::time::Duration;

use crate::error::ApiError;

/// What a faulty call does instead of (or before) its normal answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub(crate) action: Action,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// Answer this error.
    Error(ApiError),
    /// Wait, then answer normally (for client timeouts).
    Delay(Duration),
    /// Close the connection without answering.
    Drop,
    /// Do the request, then close the connection without answering.
    LoseAnswer,
}

impl Fault {
    /// Any Stripe error: status, `type` and message (add `code`, `param`, … with the methods below).
    pub fn api_error(status: u16, kind: &str, message: &str) -> Fault {
        Fault { action: Action::Error(ApiError::new(status, kind, message)) }
    }

    /// A 402 `card_error` with code `card_declined` and decline code `generic_decline`.
    pub fn card_declined() -> Fault {
        Fault::api_error(402, "card_error", "Your card was declined.")
            .code("card_declined")
            .decline_code("generic_decline")
            .param("payment_method")
    }

    /// A 500 `api_error`, which clients retry.
    pub fn server_error() -> Fault {
        Fault::api_error(
            500,
            "api_error",
            "An unknown error occurred while processing the request.",
        )
    }

    /// A 429 with code `lock_timeout`, which Stripe's clients retry.
    pub fn lock_timeout() -> Fault {
        Fault::api_error(
            429,
            "invalid_request_error",
            "This object cannot be accessed right now because another API request or Stripe \
             process is currently accessing it. If you see this error intermittently, retry the \
             request. If you see this error frequently and are making multiple concurrent requests \
             to a single object, make your requests serially or at a lower rate.",
        )
        .code("lock_timeout")
    }

    /// A 429 `rate_limit_error` (code `rate_limit`).
    pub fn rate_limit() -> Fault {
        Fault::api_error(429, "rate_limit_error", "Too many requests hit the API too quickly.")
            .code("rate_limit")
    }

    /// Waits `delay`, then answers normally.
    pub fn delay(delay: Duration) -> Fault {
        Fault { action: Action::Delay(delay) }
    }

    /// Closes the connection without an answer (a network error for the client).
    pub fn drop_connection() -> Fault {
        Fault { action: Action::Drop }
    }

    /// Does the request (it takes effect), then closes the connection without the answer: the
    /// client sees a network error and retries with the same `Idempotency-Key`, which the mock
    /// answers with the saved answer (`Idempotent-Replayed: true`) instead of doing it twice.
    pub fn lose_answer() -> Fault {
        Fault { action: Action::LoseAnswer }
    }

    /// Sets the error's `code`.
    pub fn code(self, code: &str) -> Fault {
        self.with_error(|error| error.code = Some(code.to_owned()))
    }

    /// Sets the error's `param`.
    pub fn param(self, param: &str) -> Fault {
        self.with_error(|error| error.param = Some(param.to_owned()))
    }

    /// Sets the error's `decline_code`.
    pub fn decline_code(self, decline_code: &str) -> Fault {
        self.with_error(|error| error.decline_code = Some(decline_code.to_owned()))
    }

    /// Sends `Stripe-Should-Retry: true|false` with the error.
    pub fn should_retry(self, retry: bool) -> Fault {
        self.with_error(|error| error.should_retry = Some(retry))
    }

    fn with_error(mut self, change: impl FnOnce(&mut ApiError)) -> Fault {
        if let Action::Error(error) = &mut self.action {
            change(error);
        }
        self
    }
}

/// A fault waiting for its operation: `operation` is an operation id, or `None` for any.
#[derive(Debug)]
pub(crate) struct Armed {
    pub operation: Option<String>,
    pub fault: Fault,
    pub remaining: usize,
}

/// Takes the first armed fault for `operation`, counting one use.
pub(crate) fn take(armed: &mut Vec<Armed>, operation: &str) -> Option<Fault> {
    let at = armed.iter().position(|entry| {
        entry.remaining > 0 && entry.operation.as_deref().is_none_or(|op| op == operation)
    })?;
    let entry = &mut armed[at];
    entry.remaining -= 1;
    let fault = entry.fault.clone();
    if entry.remaining == 0 {
        armed.remove(at);
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up_in_order() {
        let mut armed = vec![
            Armed {
                operation: Some("PostCustomers".into()),
                fault: Fault::server_error(),
                remaining: 2,
            },
            Armed { operation: None, fault: Fault::drop_connection(), remaining: 1 },
        ];
        assert_eq!(take(&mut armed, "GetBalance"), Some(Fault::drop_connection()));
        assert_eq!(take(&mut armed, "GetBalance"), None);
        assert_eq!(take(&mut armed, "PostCustomers"), Some(Fault::server_error()));
        assert_eq!(take(&mut armed, "PostCustomers"), Some(Fault::server_error()));
        assert_eq!(take(&mut armed, "PostCustomers"), None);
        let Action::Error(declined) = Fault::card_declined().action else { panic!("an error") };
        assert_eq!((declined.status, declined.code.as_deref()), (402, Some("card_declined")));
    }
}
