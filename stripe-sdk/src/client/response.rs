//! The future every operation returns.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::RawResponse;
use crate::error::Error;

/// A request in flight, sent and retried by the client as it is polled.
pub(super) type Pending = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send>>;

/// What an operation returns: `.await` it for the decoded response.
///
/// The parameters are encoded when the operation is called, and the future holds the client's
/// shared state rather than a borrow of it, so it can be stored or spawned. The HTTP exchange and
/// the retries are one piece of code for every operation; only the decoding of `T` is specific to
/// the operation.
#[must_use = "the request is sent only when the future is awaited"]
pub struct ResponseFuture<T> {
    pending: Pending,
    finish: fn(RawResponse) -> Result<T, Error>,
}

impl<T> ResponseFuture<T> {
    pub(super) fn new(
        pending: Pending,
        finish: fn(RawResponse) -> Result<T, Error>,
    ) -> ResponseFuture<T> {
        ResponseFuture { pending, finish }
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let finish = self.finish;
        self.pending.as_mut().poll(cx).map(|response| response.and_then(finish))
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("output", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}
