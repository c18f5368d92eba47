//! A stateful Stripe mock for the tests of applications that use `stripe-sdk`: an HTTP server on a
//! random loopback port, in the test's own process, that needs no spec file, no network and no
//! other process.
//!
//! ```no_run
//! # async fn run() -> Result<(), stripe_sdk_mock::Error> {
//! use stripe_sdk_mock::{Fault, MockServer};
//!
//! let mock = MockServer::start().await;
//! // let client = stripe_sdk::Client::builder("sk_test_123").api_base(mock.url()).build()?;
//! // … create, retrieve, update, list, delete through `client` …
//! mock.fail_next("POST /v1/payment_intents", Fault::card_declined())?;
//! assert!(mock.requests().is_empty());
//! # Ok(()) }
//! ```
//!
//! - **State**: objects created through the API are stored with fresh Stripe-shaped ids;
//!   retrieve returns them, update merges the parameters (`metadata` keys merge, an empty value
//!   unsets), delete answers the deleted object and later calls are 404 `resource_missing`;
//!   lists (newest first, `limit`, `starting_after`, `ending_before`, `has_more`, filters such as
//!   `customer=`) and searches (`email:'a@b.c' AND metadata['k']:'v'`) return the stored objects.
//! - **Answers from the request**: fields named like a parameter take its value; the rest come from
//!   Stripe's fixtures or from the schema.
//! - **Validation** of every parameter against the operation's schema, with Stripe's error JSON.
//! - **Expansions**: `expand[]` paths are checked like Stripe (400 for a field that cannot be
//!   expanded) and ids expand to the stored object, or to an example of the resource.
//! - **Faults**: [`Handle::fail_next`] / [`Handle::fail`] make an operation's next calls
//!   answer an error, a 5xx, a 429 `lock_timeout`, wait, or drop the connection.
//! - **Request log**: [`Handle::requests`].
//! - **Webhooks**: every change records an event (`customer.created`, `.updated`, `.deleted`),
//!   listed by `GET /v1/events`, by [`Handle::events`], signed by
//!   [`Handle::signed_events`], and posted to a loopback URL given to
//!   [`Builder::webhook_url`].

pub mod api;
pub mod clock;
mod engine;
pub mod error;
pub mod events;
mod expand;
pub mod fault;
pub mod flows;
pub mod form;
mod list;
pub mod log;
mod pages;
mod reflect;
mod server;
mod store;
pub mod validate;
pub mod webhook;

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use api::{Api, Kind};
pub use engine::Mode;
pub use error::{ApiError, Error};
pub use fault::Fault;
pub use log::LoggedRequest;
pub use server::PDF;
pub use webhook::SignedEvent;

use fault::Armed;
use server::{lock, Shared};

/// How to start a server: [`MockServer::builder`].
#[derive(Debug, Clone)]
pub struct Builder {
    addr: SocketAddr,
    mode: Mode,
    webhook_secret: String,
    webhook_url: Option<String>,
    keys: Keys,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            mode: Mode::Stateful,
            webhook_secret: webhook::DEFAULT_SECRET.to_owned(),
            webhook_url: None,
            keys: Keys::Any,
        }
    }
}

/// Which API keys the server accepts.
#[derive(Clone, Default)]
pub(crate) enum Keys {
    /// Any non-empty key (the default).
    #[default]
    Any,
    /// Exactly these.
    Listed(Vec<String>),
    /// Keys that start with this (`sk_test_`).
    Prefix(String),
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Keys::Any => f.write_str("Any"),
            Keys::Listed(keys) => write!(f, "Listed({} keys)", keys.len()),
            Keys::Prefix(prefix) => write!(f, "Prefix({prefix:?})"),
        }
    }
}

impl Builder {
    /// The address to listen on (default `127.0.0.1:0`: a free loopback port).
    pub fn addr(mut self, addr: SocketAddr) -> Builder {
        self.addr = addr;
        self
    }

    /// [`Mode::Stateful`] (the default) or [`Mode::Examples`].
    pub fn mode(mut self, mode: Mode) -> Builder {
        self.mode = mode;
        self
    }

    /// The secret webhook events are signed with (default [`webhook::DEFAULT_SECRET`]).
    pub fn webhook_secret(mut self, secret: &str) -> Builder {
        self.webhook_secret = secret.to_owned();
        self
    }

    /// Accepts only these API keys; any other answers 401 with `code: api_key_invalid`.
    pub fn api_keys<I: IntoIterator<Item = S>, S: Into<String>>(mut self, keys: I) -> Builder {
        self.keys = Keys::Listed(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Accepts only API keys that start with `prefix` (`sk_test_`); others answer 401.
    pub fn api_key_prefix(mut self, prefix: &str) -> Builder {
        self.keys = Keys::Prefix(prefix.to_owned());
        self
    }

    /// Posts every event, signed, to this loopback URL (`http://127.0.0.1:PORT/webhook`).
    pub fn webhook_url(mut self, url: &str) -> Builder {
        self.webhook_url = Some(url.to_owned());
        self
    }

    fn shared(self) -> Result<(Arc<Shared>, SocketAddr), Error> {
        let endpoint = self.webhook_url.as_deref().map(webhook::Endpoint::parse).transpose()?;
        let shared = Shared {
            api: Api::embedded()?,
            mode: self.mode,
            state: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
            requests: AtomicU64::new(0),
            webhook_secret: self.webhook_secret,
            keys: self.keys,
            webhook_endpoint: endpoint,
            deliveries: Mutex::default(),
            delivered: Mutex::default(),
            idempotent: Mutex::default(),
        };
        Ok((Arc::new(shared), self.addr))
    }

    /// Starts the server on the current Tokio runtime.
    pub async fn start(self) -> Result<MockServer, Error> {
        let (shared, addr) = self.shared()?;
        let (listener, addr) = server::bind(addr).await?;
        lock(&shared.state).base_url = format!("http://{addr}");
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::accept_loop(listener, shared.clone(), stopped));
        Ok(MockServer { handle: Handle { shared, addr }, stop: Some(stop), task: Some(task) })
    }

    /// Starts the server on a thread of its own, for blocking code and `#[test]` functions
    /// without a runtime.
    pub fn start_threaded(self) -> Result<ThreadedMockServer, Error> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<Handle, Error>>();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread =
            std::thread::Builder::new().name("stripe-sdk-mock".to_owned()).spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        let _ = ready_tx.send(Err(Error::Io(err)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match self.start().await {
                        Ok(server) => {
                            let _ = ready_tx.send(Ok(server.handle.clone()));
                            let _ = tokio::task::spawn_blocking(move || stopped.recv()).await;
                            server.shutdown().await;
                        }
                        Err(err) => {
                            let _ = ready_tx.send(Err(err));
                        }
                    }
                });
            })?;
        let handle = ready_rx.recv().map_err(|err| Error::Thread(err.to_string()))??;
        Ok(ThreadedMockServer { handle, stop: Some(stop), thread: Some(thread) })
    }
}

/// What a test does with a running server: its URL, faults, the request log, the stored objects
/// and the events. [`MockServer`] and [`ThreadedMockServer`] dereference to it.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl Handle {
    /// `http://127.0.0.1:<port>`, for `Client::builder(key).api_base(..)` (and `files_base`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The next call of `operation` answers `fault` instead. `operation` is an operation id
    /// (`PostPaymentIntents`), `METHOD /path` with the spec's template
    /// (`POST /v1/payment_intents/{intent}/confirm`), or `*` for any operation.
    pub fn fail_next(&self, operation: &str, fault: Fault) -> Result<(), Error> {
        self.fail(operation, fault, 1)
    }

    /// The next `times` calls of `operation` answer `fault` (see [`Handle::fail_next`]).
    pub fn fail(&self, operation: &str, fault: Fault, times: usize) -> Result<(), Error> {
        let operation = match operation.trim() {
            "*" => None,
            name => Some(
                self.shared
                    .api
                    .operation(name)
                    .ok_or_else(|| Error::UnknownOperation(name.to_owned()))?
                    .operation
                    .clone(),
            ),
        };
        lock(&self.shared.faults).push(Armed { operation, fault, remaining: times });
        Ok(())
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// A stored object, by id (`cus_…`, `evt_…`).
    pub fn object(&self, id: &str) -> Option<Value> {
        lock(&self.shared.state).store.find(id).map(|(_, object)| object.clone())
    }

    /// The mock's clock: every timestamp the mock writes comes from it; advancing it renews the
    /// subscriptions of customers without a test clock ([`flows::clocks`]).
    pub fn clock(&self) -> MockClock {
        MockClock { handle: self.clone() }
    }

    /// Stores an object in a given state, for a test's setup (a `past_due` subscription, a paid
    /// invoice): the fields given over an empty object of `resource` (`subscription`,
    /// `checkout.session`); a fresh id unless `object` has one. Answers the stored object.
    pub fn insert(&self, resource: &str, object: Value) -> Result<Value, Error> {
        let Value::Object(fields) = object else {
            return Err(Error::Rejected(format!(
                "insert `{resource}`: the object must be a JSON object"
            )));
        };
        if self.shared.api.resource_schema(resource).is_none() {
            return Err(Error::Rejected(format!("insert: `{resource}` is not a resource of the API (`customer`, `checkout.session`, …)")));
        }
        let mut state = lock(&self.shared.state);
        let mut stored = flows::blank(self.shared.api, resource);
        let example_id = stored.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let id = match fields.get("id").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => state.store.fresh_id(&store::id_prefix(&example_id, resource)),
        };
        if stored.contains_key("created") {
            stored.insert("created".to_owned(), Value::from(state.clock.now()));
        }
        stored.extend(fields);
        stored.insert("id".to_owned(), Value::from(id));
        let stored = Value::Object(stored);
        state.store.insert(resource, stored.clone());
        Ok(stored)
    }

    /// Records an event of type `kind` (one the spec lists, such as `invoice.payment_failed`)
    /// about `object`, and delivers it like the mock's own. Answers the event.
    pub fn emit(&self, kind: &str, object: Value) -> Result<Value, Error> {
        if !self.shared.api.event_types.contains(kind) {
            return Err(Error::Rejected(format!(
                "emit: `{kind}` is not an event type of the pinned API"
            )));
        }
        let id = {
            let mut state = lock(&self.shared.state);
            let now = state.clock.now();
            events::record(
                self.shared.api,
                &mut state,
                events::Cause::default(),
                now,
                kind,
                &object,
                None,
            )
        };
        self.after_change();
        id.and_then(|id| self.object(&id))
            .ok_or_else(|| Error::Rejected(format!("emit: `{kind}` was not recorded")))
    }

    /// Completes (`approve`) or fails the 3-D Secure step of a payment intent in
    /// `requires_action`, as the customer would in the browser.
    pub fn authenticate(&self, payment_intent: &str, approve: bool) -> Result<Value, Error> {
        self.run_flow(|ctx| flows::payments::authenticate(ctx, payment_intent, approve))
    }

    /// Completes an open checkout session as a customer paying with `pm_card_visa` would, and
    /// records `checkout.session.completed` ([`flows::checkout`]).
    pub fn complete_checkout(&self, session: &str) -> Result<Value, Error> {
        self.run_flow(|ctx| flows::checkout::complete(ctx, session))
    }

    fn run_flow(
        &self,
        flow: impl FnOnce(&mut flows::Ctx<'_>) -> Result<Value, engine::Failure>,
    ) -> Result<Value, Error> {
        let result = with_flow(&self.shared, flow);
        self.after_change();
        result.map_err(|error| Error::Rejected(error.message.clone()))
    }

    /// Delivers new events to the webhook endpoint, when the caller is on a Tokio runtime
    /// (otherwise they go with the answer of the next request).
    fn after_change(&self) {
        if tokio::runtime::Handle::try_current().is_ok() {
            server::deliver_new_events(&self.shared);
        }
    }

    /// The events recorded so far, oldest first (`type` is `customer.created`, …).
    pub fn events(&self) -> Vec<Value> {
        let state = lock(&self.shared.state);
        state
            .events
            .iter()
            .filter_map(|id| state.store.find(id))
            .map(|(_, event)| event.clone())
            .collect()
    }

    /// The events as a webhook endpoint receives them: payload and `Stripe-Signature` header,
    /// signed with [`Handle::webhook_secret`].
    pub fn signed_events(&self) -> Vec<SignedEvent> {
        signed_events_since(&self.shared, 0)
    }

    /// The secret the events are signed with.
    pub fn webhook_secret(&self) -> &str {
        &self.shared.webhook_secret
    }

    /// The outcome of each webhook delivery to [`Builder::webhook_url`] so far: the status code
    /// answered, or why the delivery failed.
    pub fn webhook_deliveries(&self) -> Vec<Result<u16, String>> {
        lock(&self.shared.deliveries).clone()
    }
}

/// Runs `flow` on the state, at the mock's time, for a test control (no request caused it).
pub(crate) fn with_flow<T>(shared: &Shared, flow: impl FnOnce(&mut flows::Ctx<'_>) -> T) -> T {
    let mut state = lock(&shared.state);
    let now = state.clock.now();
    let params = form::Params::new();
    let mut ctx = flows::Ctx {
        api: shared.api,
        state: &mut state,
        params: &params,
        path: &[],
        cause: events::Cause::default(),
        now,
        quiet: None,
    };
    flow(&mut ctx)
}

pub(crate) fn signed_events_since(shared: &Shared, before: usize) -> Vec<SignedEvent> {
    let state = lock(&shared.state);
    state
        .events
        .iter()
        .skip(before)
        .filter_map(|id| state.store.find(id).map(|(_, event)| event))
        .map(|event| server::sign_event(shared, event))
        .collect()
}

/// The mock's clock ([`Handle::clock`]).
#[derive(Debug, Clone)]
pub struct MockClock {
    handle: Handle,
}

impl MockClock {
    /// The mock's time, in Unix seconds.
    pub fn now(&self) -> i64 {
        lock(&self.handle.shared.state).clock.now()
    }

    /// Moves the clock forward by `by`, running the renewals that fall due on the way.
    pub fn advance(&self, by: std::time::Duration) -> Result<i64, Error> {
        let seconds = i64::try_from(by.as_secs())
            .map_err(|_| Error::Rejected("advance: too far".to_owned()))?;
        self.advance_to(self.now().saturating_add(seconds))
    }

    /// Moves the clock forward to `time` (Unix seconds), running the renewals that fall due on
    /// the way; answers the new time.
    pub fn advance_to(&self, time: i64) -> Result<i64, Error> {
        with_flow(&self.handle.shared, |ctx| {
            if time < ctx.now {
                let message =
                    format!("the clock cannot go back in time (now {}, asked {time})", ctx.now);
                return Err(Error::Rejected(message));
            }
            let customers = flows::clocks::customers_on(ctx.state, None);
            flows::clocks::run_until(ctx, time, &customers);
            ctx.state.clock.set(time).map_err(Error::Rejected)
        })?;
        self.handle.after_change();
        Ok(time)
    }
}

/// A running mock server on the current Tokio runtime; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    handle: Handle,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a stateful server on a free loopback port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound (see [`MockServer::try_start`] to handle that).
    pub async fn start() -> MockServer {
        match MockServer::try_start().await {
            Ok(server) => server,
            Err(err) => panic!("stripe-sdk-mock cannot start: {err}"),
        }
    }

    /// Starts a stateful server on a free loopback port.
    pub async fn try_start() -> Result<MockServer, Error> {
        Builder::default().start().await
    }

    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Stops accepting requests and closes the open connections.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Deref for MockServer {
    type Target = Handle;

    fn deref(&self) -> &Handle {
        &self.handle
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A mock server running on its own thread and runtime; it stops when dropped.
#[derive(Debug)]
pub struct ThreadedMockServer {
    handle: Handle,
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ThreadedMockServer {
    /// Starts a stateful server on a free loopback port, on its own thread.
    pub fn start() -> Result<ThreadedMockServer, Error> {
        Builder::default().start_threaded()
    }
}

impl Deref for ThreadedMockServer {
    type Target = Handle;

    fn deref(&self) -> &Handle {
        &self.handle
    }
}

impl Drop for ThreadedMockServer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The example object of a resource (`customer`): Stripe's fixture, or one built from the schema.
pub fn example(resource: &str) -> Result<Value, Error> {
    Ok(Api::embedded()?.example_of(resource))
}
