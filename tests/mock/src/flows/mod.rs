//! The behaviour layer: what Stripe *does* in the flows applications test, over the generic
//! create/retrieve/update/list of [`crate::engine`]. One module per flow:
//!
//! | module | operations |
//! |---|---|
//! | [`catalog`] | products and prices: `product_data`, `type` from `recurring` |
//! | [`cards`] | payment methods: Stripe's test ids (`pm_card_visa`, `pm_card_chargeDeclined`, …), attach, detach |
//! | [`payments`] | payment intents (the state machine, charges, capture, cancel, declines as 402 `card_error`), setup intents |
//! | [`refunds`] | refunds of charges and payment intents, checked against what is refundable |
//! | [`invoices`] | invoices and invoice items: draft → open → paid / void / uncollectible |
//! | [`subscriptions`] | subscriptions: items, `payment_behavior`, trials, an invoice per period, cancel, renewals |
//! | [`checkout`] | checkout sessions (line items, amounts, expiry, completion) and billing portal sessions |
//! | [`clocks`] | test clocks, and the renewals and retries due when a clock advances |
//!
//! These run in [`crate::Mode::Stateful`] only: in examples mode every id exists and answers are
//! Stripe's examples, as the conformance runner wants.

pub mod cards;
pub mod catalog;
pub mod checkout;
pub mod clocks;
pub mod invoices;
pub mod payments;
pub mod refunds;
pub mod subscriptions;

use serde_json::{json, Map, Value};

use crate::api::Api;
use crate::engine::{Failure, State};
use crate::error::ApiError;
use crate::events::{self, Cause};
use crate::form::{Node, Params};
use crate::reflect;

/// What a flow works with: the API's data, the state, the request and the time it happens at.
pub struct Ctx<'a> {
    pub api: &'a Api,
    pub state: &'a mut State,
    pub params: &'a Params,
    /// The path parameters, in order (`[("intent", "pi_…")]`).
    pub path: &'a [(String, String)],
    pub cause: Cause<'a>,
    /// The time of the change: the mock's clock, or the frozen time of the test clock of the
    /// customer concerned ([`Ctx::at_customer_time`]).
    pub now: i64,
    /// A subscription whose invoices are being settled by its own flow, which records the
    /// subscription's event itself (one `customer.subscription.*` per change).
    pub quiet: Option<String>,
}

/// Runs the flow of `operation` (an operation id), or `None` when the generic engine answers it.
pub fn handle(ctx: &mut Ctx<'_>, operation: &str) -> Option<Result<Value, Failure>> {
    let result = match operation {
        "PostProducts" => catalog::create_product(ctx),
        "PostPrices" => catalog::create_price(ctx),
        "GetPaymentMethodsPaymentMethod" => cards::retrieve(ctx),
        "PostPaymentMethodsPaymentMethodAttach" => cards::attach(ctx),
        "PostPaymentMethodsPaymentMethodDetach" => cards::detach(ctx),
        "PostPaymentIntents" => payments::create(ctx),
        "PostPaymentIntentsIntentConfirm" => payments::confirm_request(ctx),
        "PostPaymentIntentsIntentCapture" => payments::capture(ctx),
        "PostPaymentIntentsIntentCancel" => payments::cancel(ctx),
        "PostSetupIntents" => payments::create_setup_intent(ctx),
        "PostSetupIntentsIntentConfirm" => payments::confirm_setup_intent(ctx),
        "PostRefunds" => refunds::create(ctx, None),
        "PostChargesChargeRefunds" | "PostChargesChargeRefund" => {
            let charge = ctx.path_id().to_owned();
            refunds::create(ctx, Some(charge))
        }
        "PostInvoiceitems" => invoices::create_item(ctx),
        "PostInvoices" => invoices::create(ctx),
        "PostInvoicesInvoiceFinalize" => invoices::finalize_request(ctx),
        "PostInvoicesInvoicePay" => invoices::pay_request(ctx),
        "PostInvoicesInvoiceVoid" => invoices::void(ctx),
        "PostInvoicesInvoiceMarkUncollectible" => invoices::mark_uncollectible(ctx),
        "PostSubscriptions" => subscriptions::create(ctx),
        "PostSubscriptionsSubscriptionExposedId" => subscriptions::update(ctx),
        "DeleteSubscriptionsSubscriptionExposedId" => subscriptions::cancel(ctx),
        "PostCheckoutSessions" => checkout::create(ctx),
        "GetCheckoutSessionsSessionLineItems" => checkout::line_items(ctx),
        "PostCheckoutSessionsSessionExpire" => checkout::expire(ctx),
        "PostBillingPortalSessions" => checkout::portal_session(ctx),
        "PostTestHelpersTestClocks" => clocks::create(ctx),
        "PostTestHelpersTestClocksTestClockAdvance" => clocks::advance_request(ctx),
        _ => return None,
    };
    Some(result)
}

impl<'a> Ctx<'a> {
    /// The same context with other parameters (and no path): for a flow that runs another one
    /// (a renewal creating an invoice, a checkout creating a subscription).
    pub fn with<'b>(&'b mut self, params: &'b Params) -> Ctx<'b> {
        Ctx {
            api: self.api,
            state: &mut *self.state,
            params,
            path: &[],
            cause: self.cause,
            now: self.now,
            quiet: self.quiet.clone(),
        }
    }

    /// The last path parameter (the id of the object acted on).
    pub fn path_id(&self) -> &str {
        self.path.last().map(|(_, id)| id.as_str()).unwrap_or("")
    }

    /// From now on, the time of the test clock `customer` is attached to, if any.
    pub fn at_customer_time(&mut self, customer: &str) {
        if let Some(time) = clocks::frozen_time_of(self.state, customer) {
            self.now = time;
        }
    }

    /// A stored object, or Stripe's 404 naming `param`.
    pub fn get(&self, resource: &str, id: &str, param: &str) -> Result<Value, Failure> {
        self.state
            .store
            .get(resource, id)
            .cloned()
            .ok_or_else(|| Box::new(ApiError::missing(resource, id, param)))
    }

    /// Stores `object` (replacing the one with its id).
    pub fn put(&mut self, resource: &str, object: &Value) {
        self.state.store.insert(resource, object.clone());
    }

    /// Records an event of `kind` (when the spec lists it) at [`Ctx::now`].
    pub fn emit(&mut self, kind: &str, object: &Value, previous: Option<Value>) {
        events::record(self.api, self.state, self.cause, self.now, kind, object, previous);
    }

    /// Stores `after` and records `kind` with what changed since `before`, if anything did.
    pub fn save_changed(&mut self, resource: &str, before: &Value, after: &Value, kind: &str) {
        self.put(resource, after);
        let previous = events::previous_attributes(before, after);
        if previous.as_object().is_some_and(|changed| !changed.is_empty()) {
            self.emit(kind, after, Some(previous));
        }
    }

    /// A new object of `resource`: a fresh id with `prefix`, `created` now, every nullable field
    /// `null`, empty `metadata` and lists, nothing from an example but the required shape; then
    /// the request's fields of the same name.
    pub fn new_object(&mut self, resource: &str, prefix: &str) -> Map<String, Value> {
        let id = self.state.store.fresh_id(prefix);
        let mut object = blank(self.api, resource);
        object.insert("id".to_owned(), Value::from(id));
        if object.contains_key("created") {
            object.insert("created".to_owned(), Value::from(self.now));
        }
        let mut value = Value::Object(object);
        if let Some(schema) = self.api.resource_schema(resource) {
            reflect::apply(self.api, schema, &mut value, self.params);
        }
        match value {
            Value::Object(fields) => fields,
            _ => Map::new(),
        }
    }
}

/// The shape of a `resource` object with no data: its example with nullable fields `null`,
/// `metadata` empty, lists empty, `livemode` false.
pub fn blank(api: &Api, resource: &str) -> Map<String, Value> {
    let Value::Object(mut object) = api.example_of(resource) else { return Map::new() };
    let properties = api
        .resource_schema(resource)
        .and_then(|schema| schema.get("properties"))
        .and_then(Value::as_object);
    // Fields of the example that the schema does not describe (drift in Stripe's fixtures).
    if let Some(properties) = properties {
        object.retain(|name, _| properties.contains_key(name));
    }
    for (name, value) in object.iter_mut() {
        let nullable =
            properties.and_then(|properties| properties.get(name)).is_some_and(|property| {
                property.get("nullable").and_then(Value::as_bool) == Some(true)
            });
        if name == "metadata" {
            *value = json!({});
        } else if name == "livemode" {
            *value = Value::Bool(false);
        } else if value.get("object").and_then(Value::as_str) == Some("list") {
            *value = json!({"object": "list", "data": [], "has_more": false, "total_count": 0, "url": ""});
        } else if nullable {
            *value = Value::Null;
        }
    }
    object
}

/// A list object holding `data`, as Stripe embeds one (`subscription.items`).
pub fn list_of(data: Vec<Value>, url: String) -> Value {
    let count = data.len();
    json!({"object": "list", "data": data, "has_more": false, "total_count": count, "url": url})
}

/// A string parameter (`a`), or a nested one (`a[b]`: `&["a", "b"]`).
pub fn text<'p>(params: &'p Params, path: &[&str]) -> Option<&'p str> {
    match node(params, path)? {
        Node::Leaf(text) if !text.is_empty() => Some(text),
        _ => None,
    }
}

/// An integer parameter.
pub fn int(params: &Params, path: &[&str]) -> Option<i64> {
    text(params, path).and_then(|text| text.parse().ok())
}

/// A boolean parameter (`true`/`false`).
pub fn flag(params: &Params, path: &[&str]) -> Option<bool> {
    text(params, path).map(|text| text == "true")
}

/// The parameter at `path`.
pub fn node<'p>(params: &'p Params, path: &[&str]) -> Option<&'p Node> {
    let (first, rest) = path.split_first()?;
    let mut current = params.get(*first)?;
    for key in rest {
        current = match current {
            Node::Map(children) => children.get(*key)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The entries of a list parameter (`items[0][price]=…` or `items[][price]=…`), as maps.
pub fn entries<'p>(params: &'p Params, name: &str) -> Vec<&'p Params> {
    let children: Vec<&Node> = match params.get(name) {
        Some(Node::List(items)) => items.iter().collect(),
        Some(Node::Map(indexed)) => indexed.values().collect(),
        _ => Vec::new(),
    };
    children
        .into_iter()
        .filter_map(|child| match child {
            Node::Map(fields) => Some(fields),
            _ => None,
        })
        .collect()
}

/// A field of a JSON object as text.
pub fn field<'v>(object: &'v Value, name: &str) -> Option<&'v str> {
    object.get(name).and_then(Value::as_str)
}

/// A field of a JSON object as an integer (0 when absent).
pub fn amount(object: &Value, name: &str) -> i64 {
    object.get(name).and_then(Value::as_i64).unwrap_or(0)
}

/// Sets fields of a JSON object.
pub fn set(object: &mut Value, fields: Value) {
    if let (Some(target), Value::Object(fields)) = (object.as_object_mut(), fields) {
        target.extend(fields);
    }
}

/// A 400 `invalid_request_error` with a code and a parameter.
pub fn invalid(message: impl Into<String>, param: Option<&str>, code: Option<&str>) -> Failure {
    Box::new(ApiError::invalid(message, param.map(str::to_owned), code))
}

/// Stripe's error for an action on an object in the wrong state.
pub fn unexpected_state(message: impl Into<String>, code: &str) -> Failure {
    invalid(message, None, Some(code))
}

/// A random-looking secret for `id` (`pi_…_secret_…`), unique in the store.
pub fn client_secret(state: &mut State, id: &str) -> String {
    let suffix = state.store.fresh_id("");
    format!("{id}_secret_{suffix}")
}
