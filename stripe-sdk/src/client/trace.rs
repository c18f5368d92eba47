//! `tracing` instrumentation (feature `tracing`, off by default): one span per logical request,
//! named `stripe.request`, and one event per retry. Recorded: the operation (`GET
//! /v1/customers/{customer}`), method, path template, idempotency key, attempts, status,
//! `Request-Id` and duration. Never recorded: the API key, other headers, the query string and
//! the bodies. Without the feature every method here is empty and compiles away.

#[cfg(feature = "tracing")]
pub(super) use enabled::RequestTrace;

#[cfg(not(feature = "tracing"))]
pub(super) use disabled::RequestTrace;

#[cfg(not(feature = "tracing"))]
mod disabled {
    use std::time::Duration;

    use super::super::{Outcome, Prepared};

    /// Nothing, without the feature.
    pub(in super::super) struct RequestTrace;

    impl RequestTrace {
        #[inline(always)]
        pub(in super::super) fn start(_request: &Prepared) -> RequestTrace {
            RequestTrace
        }
        #[inline(always)]
        pub(in super::super) fn retry(&self, _attempt: u32, _outcome: &Outcome, _delay: Duration) {}
        #[inline(always)]
        pub(in super::super) fn finish(&self, _attempts: u32, _outcome: &Outcome) {}
    }
}

#[cfg(feature = "tracing")]
mod enabled {
    use std::time::{Duration, Instant};

    use tracing::field::Empty;

    use super::super::{Outcome, Prepared};

    /// The span of one logical request (all its attempts).
    pub(in super::super) struct RequestTrace {
        span: tracing::Span,
        started: Instant,
    }

    impl RequestTrace {
        pub(in super::super) fn start(request: &Prepared) -> RequestTrace {
            let method = request.method.as_str();
            // The operation's template, or the path of a raw call (without the query string).
            let path = request.template.unwrap_or(request.url.path());
            let idempotency_key =
                request.headers.get("idempotency-key").and_then(|value| value.to_str().ok());
            let span = tracing::info_span!(
                "stripe.request",
                operation = %format_args!("{method} {path}"),
                method,
                path,
                idempotency_key,
                attempts = Empty,
                status = Empty,
                request_id = Empty,
                duration_ms = Empty,
            );
            RequestTrace { span, started: Instant::now() }
        }

        /// An event for the attempt that failed and will be retried after `delay`.
        pub(in super::super) fn retry(&self, attempt: u32, outcome: &Outcome, delay: Duration) {
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            match outcome {
                Outcome::Response(response) => tracing::info!(
                    parent: &self.span,
                    attempt,
                    status = response.status,
                    request_id = response.request_id.as_deref(),
                    delay_ms,
                    "stripe request retried"
                ),
                Outcome::Network(err) => tracing::info!(
                    parent: &self.span,
                    attempt,
                    error = %err,
                    delay_ms,
                    "stripe request retried after a network error"
                ),
                Outcome::TimedOut => tracing::info!(
                    parent: &self.span,
                    attempt,
                    delay_ms,
                    "stripe request retried after a timeout"
                ),
                // Never retried: the limit is the caller's.
                Outcome::TooLarge { .. } => {}
            }
        }

        /// Records the outcome of the last attempt on the span.
        pub(in super::super) fn finish(&self, attempts: u32, outcome: &Outcome) {
            let span = &self.span;
            span.record("attempts", attempts);
            match outcome {
                Outcome::Response(response) => {
                    span.record("status", response.status);
                    if let Some(request_id) = response.request_id.as_deref() {
                        span.record("request_id", request_id);
                    }
                }
                Outcome::TooLarge { status, request_id } => {
                    span.record("status", *status);
                    if let Some(request_id) = request_id.as_deref() {
                        span.record("request_id", request_id);
                    }
                }
                Outcome::Network(_) | Outcome::TimedOut => {}
            }
            let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("duration_ms", elapsed);
        }
    }
}
