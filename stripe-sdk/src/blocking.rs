//! A blocking client, for programs without an async runtime (feature `blocking`).
//!
//! [`Client`] wraps the async [`crate::Client`] and runs each operation to completion on the
//! calling thread, on a small single-threaded Tokio runtime that the client owns. The operations
//! are the generated async ones, called through [`Client::call`]; retries, timeouts, request
//! options and errors are those of the wrapped async client, so both behave identically.
//!
//! ```no_run
//! use stripe_sdk::{CreateCustomerParams, Customer, ListCustomerParams, Method, RequestOptions};
//!
//! fn main() -> Result<(), stripe_sdk::Error> {
//!     let client = stripe_sdk::blocking::Client::new("sk_test_...");
//!
//!     // Any generated operation: give `call` a closure that starts it with the async client.
//!     let params = CreateCustomerParams { email: Some("jenny@example.com".into()), ..Default::default() };
//!     let customer = client.call(|c| Customer::create(c, &params))?;
//!     println!("{}", customer.id);
//!
//!     // Every customer, fetching pages as the iterator advances.
//!     let paginator = Customer::list_paginated(client.inner(), &ListCustomerParams::new());
//!     for customer in client.iter(paginator) {
//!         println!("{}", customer?.id);
//!     }
//!
//!     // Options for some requests, and endpoints newer than this crate.
//!     let connected = client.with_options(RequestOptions::new().stripe_account("acct_123"));
//!     let balance = connected.raw(Method::Get, "/v1/balance", &())?;
//!     println!("{balance}");
//!     Ok(())
//! }
//! ```
//!
//! A configured async client (base URLs, retries, timeout, app info) is wrapped with
//! [`Client::from_async`]:
//!
//! ```no_run
//! # fn main() -> Result<(), stripe_sdk::Error> {
//! let client = stripe_sdk::blocking::Client::from_async(
//!     stripe_sdk::Client::builder("sk_test_...").max_retries(4).build()?,
//! )?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! # Threads and async runtimes
//!
//! The client is cheap to clone and can be shared between threads; several threads may make
//! requests at the same time.
//!
//! It must not be called on a thread that runs an async runtime: blocking there would stall the
//! runtime's other tasks, and Tokio forbids starting a runtime inside another. Such calls return
//! [`Error::BlockingInAsyncContext`] instead of blocking. Tokio
//! does not say whether a thread that knows a runtime may block, so every thread with a current
//! Tokio runtime is refused, including those of `tokio::task::spawn_blocking` and the inside of
//! `Runtime::enter`. In async code use the async [`crate::Client`]; from there, the blocking
//! client works on a thread of your own (`std::thread::spawn` or `std::thread::scope`).

use std::fmt;
use std::future::Future;
use std::iter::FusedIterator;
use std::sync::Arc;

use crate::runtime::de::Decode;
use serde::Serialize;

use crate::{Error, HasId, Method, Paginator, RequestOptions};

/// A blocking Stripe API client: every call returns when the request is done.
///
/// It wraps an async [`crate::Client`] (reached with [`Client::inner`]) and a runtime that runs
/// its operations. Cloning is cheap: clones and the clients made by [`Client::with_options`]
/// share the connection pool and the runtime. The `Debug` output never shows the secret key.
///
/// ```no_run
/// # fn main() -> Result<(), stripe_sdk::Error> {
/// use stripe_sdk::{Customer, RetrieveCustomerParams};
///
/// let client = stripe_sdk::blocking::Client::new("sk_test_...");
/// let params = RetrieveCustomerParams::new();
/// let customer = client.call(|c| Customer::retrieve(c, "cus_123", &params))?;
/// # let _ = customer;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    driver: Arc<Driver>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("inner", &self.inner).finish_non_exhaustive()
    }
}

/// The runtime that runs the operations, or why it could not be started.
struct Driver {
    runtime: Result<tokio::runtime::Runtime, String>,
}

impl Driver {
    fn start() -> Driver {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| format!("cannot start the blocking client's runtime: {err}"));
        Driver { runtime }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Dropping a runtime waits for its blocking tasks (DNS lookups), which Tokio forbids, with
        // a panic, on a thread that runs a runtime: there, let them finish in the background.
        let runtime = std::mem::replace(&mut self.runtime, Err(String::new()));
        if let Ok(runtime) = runtime {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            }
        }
    }
}

impl Client {
    /// A client with the default settings and this secret key (`sk_live_…`, `sk_test_…` or a
    /// restricted `rk_…` key), like [`crate::Client::new`].
    ///
    /// This never fails: if the client cannot be set up, every request returns the error. Use
    /// [`crate::Client::builder`] and [`Client::from_async`] to see such problems at once.
    pub fn new(secret_key: impl Into<String>) -> Client {
        Client { inner: crate::Client::new(secret_key), driver: Arc::new(Driver::start()) }
    }

    /// Wraps a configured async client: its base URLs, retries, timeout, app info and request
    /// options apply to every call.
    ///
    /// Fails with [`Error::Config`] if the runtime that runs the requests cannot be started.
    pub fn from_async(client: crate::Client) -> Result<Client, Error> {
        let driver = Driver::start();
        if let Err(problem) = &driver.runtime {
            return Err(Error::Config(problem.clone()));
        }
        Ok(Client { inner: client, driver: Arc::new(driver) })
    }

    /// A client that applies these options to every request, over the options this client already
    /// has, like [`crate::Client::with_options`]. Cheap: the connection pool and the runtime are
    /// shared.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client { inner: self.inner.with_options(options), driver: Arc::clone(&self.driver) }
    }

    /// The async client that sends the requests, to start operations with (see [`Client::call`])
    /// or to make a paginator for [`Client::iter`].
    pub fn inner(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs one operation to completion on this thread and returns its result.
    ///
    /// `operation` starts any generated operation with the async client it is given:
    ///
    /// ```no_run
    /// # fn main() -> Result<(), stripe_sdk::Error> {
    /// use stripe_sdk::{Customer, RetrieveCustomerParams};
    ///
    /// let client = stripe_sdk::blocking::Client::new("sk_test_...");
    /// let params = RetrieveCustomerParams::new();
    /// let customer = client.call(|c| Customer::retrieve(c, "cus_123", &params))?;
    ///
    /// // Values made for the call alone live in an `async move` block.
    /// let customer = client.call(|c| async move {
    ///     Customer::retrieve(c, "cus_456", &RetrieveCustomerParams::new()).await
    /// })?;
    /// # let _ = customer;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// On a thread that runs an async runtime it returns
    /// [`Error::BlockingInAsyncContext`] without starting the
    /// operation (see [the module documentation](self)).
    pub fn call<'a, T, F, Fut>(&'a self, operation: F) -> Result<T, Error>
    where
        F: FnOnce(&'a crate::Client) -> Fut,
        Fut: Future<Output = Result<T, Error>> + 'a,
    {
        let runtime = self.runtime()?;
        runtime.block_on(operation(&self.inner))
    }

    /// Calls any endpoint and returns the JSON response, like [`crate::Client::raw`]: `params` are
    /// form-encoded as for the typed operations (any `Serialize` value that is a JSON object, or
    /// `()` for none).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), stripe_sdk::Error> {
    /// use stripe_sdk::Method;
    ///
    /// let client = stripe_sdk::blocking::Client::new("sk_test_...");
    /// let params = serde_json::json!({ "email": "jenny@example.com" });
    /// let customer = client.raw(Method::Post, "/v1/customers", &params)?;
    /// println!("{}", customer["id"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw<P: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        params: &P,
    ) -> Result<serde_json::Value, Error> {
        self.call(|client| client.raw(method, path, params))
    }

    /// The items of a paginator, one at a time, fetching each page when the previous one is used
    /// up. An error is yielded once and ends the iteration.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), stripe_sdk::Error> {
    /// use stripe_sdk::{Customer, ListCustomerParams};
    ///
    /// let client = stripe_sdk::blocking::Client::new("sk_test_...");
    /// let paginator = Customer::list_paginated(client.inner(), &ListCustomerParams::new());
    /// let emails = client
    ///     .iter(paginator.page_size(100))
    ///     .map(|customer| customer.map(|customer| customer.email))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// # let _ = emails;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// The paginator sends its requests with the client (and the options) it was made with, here
    /// usually [`Client::inner`].
    pub fn iter<T>(&self, paginator: Paginator<T>) -> Iter<'_, T>
    where
        T: Decode + HasId,
    {
        Iter { client: self, paginator: Some(paginator), page: Vec::new().into_iter() }
    }

    /// The runtime, once this thread is known to be allowed to block.
    fn runtime(&self) -> Result<&tokio::runtime::Runtime, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::BlockingInAsyncContext);
        }
        self.driver.runtime.as_ref().map_err(|problem| Error::Config(problem.clone()))
    }
}

/// The items of a [`Paginator`], fetched with a blocking [`Client`]; made by [`Client::iter`].
pub struct Iter<'a, T> {
    client: &'a Client,
    /// `None` once the last page was fetched or an error was yielded.
    paginator: Option<Paginator<T>>,
    /// What is left of the current page.
    page: std::vec::IntoIter<T>,
}

impl<T> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("buffered", &self.page.len())
            .field("finished", &self.paginator.is_none())
            .finish_non_exhaustive()
    }
}

impl<T: Decode + HasId> Iterator for Iter<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            let paginator = self.paginator.as_mut()?;
            let fetched =
                self.client.runtime().and_then(|runtime| runtime.block_on(paginator.next_page()));
            match fetched {
                Ok(Some(items)) => self.page = items.into_iter(),
                Ok(None) => {
                    self.paginator = None;
                    return None;
                }
                Err(err) => {
                    self.paginator = None;
                    return Some(Err(err));
                }
            }
        }
    }
}

impl<T: Decode + HasId> FusedIterator for Iter<'_, T> {}
