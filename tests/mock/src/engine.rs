//! What a valid request does: create, retrieve, update, delete, list and search stored objects,
//! answer other operations with an example reflecting the request, expand, and record an event
//! per change.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::api::{Api, Kind, Matched, Reply, Route, Segment};
use crate::clock::{self, Clock};
use crate::error::ApiError;
use crate::events::{self, Cause};
use crate::expand::{self, Nulls};
use crate::flows::{self, Ctx};
use crate::form::Params;
use crate::list::{self, Query, Rejected};
use crate::reflect;
use crate::store::{id_prefix, Store};

/// An error answer, boxed: it is large and the rare path.
pub type Failure = Box<ApiError>;

/// How the mock treats ids it has not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// As Stripe: unknown ids are 404 `resource_missing`, lists hold what was created.
    #[default]
    Stateful,
    /// As Stripe's stripe-mock: every id exists (an example with that id), an empty list holds
    /// one example, and expanding a `null` field gives an example. Created objects are still
    /// stored and found. For conformance runs and demos without setup.
    Examples,
}

/// The answer of a valid request.
pub enum Outcome {
    Json(Value),
    Pdf,
}

/// Who made the request, for the events it causes.
pub struct Origin<'a> {
    pub request_id: &'a str,
    pub idempotency_key: Option<&'a str>,
    /// The `Stripe-Context` header, which a v2 event reports as its `context`.
    pub context: Option<&'a str>,
}

/// The mock's state: stored objects (events included, as resource `event`), the clock, and what
/// the flows keep beside the objects.
#[derive(Debug, Default)]
pub struct State {
    pub store: Store,
    /// Ids of the events, oldest first.
    pub events: Vec<String>,
    pub clock: Clock,
    /// `http://127.0.0.1:<port>`: the host of the URLs the mock writes (checkout, portal, invoices).
    pub base_url: String,
    /// Deleted objects that are still answered, as `{id, object, deleted: true}`, by resource.
    pub tombstones: HashMap<String, String>,
    /// The line items of each checkout session.
    pub line_items: HashMap<String, Vec<Value>>,
    /// The invoice each payment intent pays.
    pub intent_invoice: HashMap<String, String>,
    /// How many invoices have been numbered.
    pub invoice_numbers: u64,
}

/// Answers a routed request whose parameters are valid.
pub fn answer(
    api: &Api,
    state: &mut State,
    mode: Mode,
    matched: &Matched<'_>,
    params: &Params,
    origin: &Origin<'_>,
) -> Result<Outcome, Failure> {
    let route = matched.route;
    if matches!(route.reply, Reply::Pdf) {
        return Ok(Outcome::Pdf);
    }
    let expansions = expand::paths(params);
    for path in &expansions {
        if !expand::is_expandable(api, &route.response, path) {
            return Err(Box::new(ApiError::invalid(
                format!("This property cannot be expanded ({path})."),
                Some("expand".to_owned()),
                None,
            )));
        }
    }
    let mut call = Call { api, state, mode, route, matched, params, origin };
    let mut body = call.run()?;
    let nulls = if mode == Mode::Examples { Nulls::Fill } else { Nulls::Keep };
    for path in &expansions {
        expand::expand(api, &call.state.store, nulls, &route.response, &mut body, path);
    }
    Ok(Outcome::Json(body))
}

struct Call<'a, 'r> {
    api: &'a Api,
    state: &'a mut State,
    mode: Mode,
    route: &'r Route,
    matched: &'r Matched<'r>,
    params: &'r Params,
    origin: &'r Origin<'r>,
}

impl<'r> Call<'_, 'r> {
    fn run(&mut self) -> Result<Value, Failure> {
        if self.mode == Mode::Stateful && !self.route.template.starts_with("/v2/") {
            self.check_references()?;
            let now = self.state.clock.now();
            let cause = self.cause();
            let matched: &'r Matched<'r> = self.matched;
            let mut ctx = Ctx {
                api: self.api,
                state: &mut *self.state,
                params: self.params,
                path: &matched.path_params,
                cause,
                now,
                quiet: None,
            };
            if let Some(answer) = flows::handle(&mut ctx, &self.route.operation) {
                return answer;
            }
        }
        match self.route.kind.clone() {
            Kind::Create(resource) => self.create(&resource),
            Kind::Retrieve(resource) => self.retrieve(&resource),
            Kind::Update(resource) | Kind::Action(resource) => self.update(&resource),
            Kind::Delete(resource) => self.delete(&resource),
            Kind::List(resource) => self.list(&resource),
            Kind::Search(resource) => self.search(&resource),
            Kind::Generic => Ok(self.generic()),
        }
    }

    fn cause(&self) -> Cause<'r> {
        let origin: &'r Origin<'r> = self.origin;
        Cause { request_id: Some(origin.request_id), idempotency_key: origin.idempotency_key }
    }

    /// Ids a request refers to must exist, as at Stripe (404 `resource_missing` naming the
    /// parameter): `customer`, `product`, `price`, `payment_intent`, `charge`, `invoice`,
    /// `subscription`, `test_clock` and `payment_method` (or one of Stripe's test payment methods).
    fn check_references(&self) -> Result<(), Failure> {
        if self.route.method != "post" {
            return Ok(());
        }
        for (param, resource) in REFERENCES {
            let Some(crate::form::Node::Leaf(id)) = self.params.get(*param) else { continue };
            if id.is_empty() || self.state.store.get(resource, id).is_some() {
                continue;
            }
            if *param == "payment_method" && flows::cards::test_card(id).is_some() {
                continue;
            }
            return Err(Box::new(ApiError::missing(resource, id, param)));
        }
        Ok(())
    }

    /// The id in the path (its last parameter).
    fn path_id(&self) -> &str {
        self.matched.path_params.last().map(|(_, id)| id.as_str()).unwrap_or("")
    }

    fn missing(&self, resource: &str) -> Failure {
        Box::new(ApiError::missing(resource, self.path_id(), "id"))
    }

    /// A parent in the path that is not stored (`cus_x` of `/v1/customers/cus_x/tax_ids`).
    fn missing_parent(&self) -> Option<Failure> {
        if self.mode == Mode::Examples {
            return None;
        }
        let mut prefix = String::new();
        let mut values = self.matched.path_params.iter();
        for segment in &self.route.segments {
            match segment {
                Segment::Literal(literal) => {
                    prefix.push('/');
                    prefix.push_str(literal);
                }
                Segment::Param(name) => {
                    prefix.push_str(&format!("/{{{name}}}"));
                    let (_, id) = values.next()?;
                    let parent = self
                        .api
                        .routes
                        .iter()
                        .find(|route| route.method == "get" && route.template == prefix);
                    if let Some(Kind::Retrieve(resource)) = parent.map(|route| &route.kind) {
                        if self.state.store.get(resource, id).is_none() {
                            return Some(Box::new(ApiError::missing(resource, id, name)));
                        }
                    }
                }
            }
        }
        None
    }

    fn example(&self) -> Value {
        match &self.route.reply {
            Reply::Object(object) => object.clone(),
            Reply::List { item, .. } => item.clone(),
            Reply::Pdf => Value::Null,
        }
    }

    fn reflect(&self, object: &mut Value) {
        let schema = self.item_schema();
        reflect::apply_path(self.api, schema, object, &self.matched.path_params);
        reflect::apply(self.api, schema, object, self.params);
    }

    /// The schema of the object answered (a list's items for lists).
    fn item_schema(&self) -> &Value {
        let resolved = self.api.resolve(&self.route.response);
        crate::api::list_items(resolved)
            .filter(|_| crate::api::list_object(resolved).is_some())
            .unwrap_or(&self.route.response)
    }

    fn create(&mut self, resource: &str) -> Result<Value, Failure> {
        if let Some(missing) = self.missing_parent() {
            return Err(missing);
        }
        let example = self.example();
        let prefix = id_prefix(example.get("id").and_then(Value::as_str).unwrap_or(""), resource);
        let id = self.state.store.fresh_id(&prefix);
        // Stateful: nothing of the example but its required shape (no example discount on a new
        // customer); examples mode answers the example with the request's values, as stripe-mock.
        let mut object = match self.mode {
            Mode::Stateful if self.api.resource_schema(resource).is_some() => {
                Value::Object(flows::blank(self.api, resource))
            }
            _ => example,
        };
        self.clear_unsent_params(&mut object);
        if let Some(fields) = object.as_object_mut() {
            fields.insert("id".to_owned(), Value::from(id));
            // v1 `created` is Unix seconds; a v2 one (RFC 3339 text) keeps the example's value.
            if fields.get("created").is_some_and(Value::is_i64) {
                fields.insert("created".to_owned(), Value::from(self.state.clock.now()));
            }
            if fields.contains_key("livemode") {
                fields.insert("livemode".to_owned(), Value::Bool(false));
            }
        }
        self.own_urls(&mut object);
        self.reflect(&mut object);
        self.state.store.insert(resource, object.clone());
        self.event(resource, "created", &object, None);
        Ok(object)
    }

    /// A created object has what the request gave: nullable fields that are parameters of the
    /// operation but were not sent are `null`, and `metadata` is empty.
    fn clear_unsent_params(&self, object: &mut Value) {
        let schema = self.api.resolve(self.item_schema());
        let properties = schema.get("properties").and_then(Value::as_object);
        let params = self.route.params.get("properties").and_then(Value::as_object);
        let (Some(properties), Some(params), Some(fields)) =
            (properties, params, object.as_object_mut())
        else {
            return;
        };
        for name in params.keys() {
            if self.params.contains_key(name) || !fields.contains_key(name) {
                continue;
            }
            let Some(property) = properties.get(name) else { continue };
            if name == "metadata" {
                fields.insert(name.clone(), json!({}));
            } else if property.get("nullable").and_then(Value::as_bool) == Some(true) {
                fields.insert(name.clone(), Value::Null);
            }
        }
    }

    /// URLs of the example (Stripe's hosts) are not this object's: a nullable one is `null`, the
    /// others point at the mock.
    fn own_urls(&self, object: &mut Value) {
        let schema = self.api.resolve(self.item_schema());
        let properties = schema.get("properties").and_then(Value::as_object);
        let id = object.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let base =
            format!("{}/{}/{id}", self.state.base_url, self.route.template.trim_start_matches('/'));
        let Some(fields) = object.as_object_mut() else { return };
        for (name, value) in fields.iter_mut() {
            let Some(text) = value.as_str() else { continue };
            if !text.starts_with("https://") || self.params.contains_key(name) {
                continue;
            }
            let nullable =
                properties.and_then(|properties| properties.get(name)).is_some_and(|property| {
                    property.get("nullable").and_then(Value::as_bool) == Some(true)
                });
            *value = if nullable { Value::Null } else { Value::from(format!("{base}/{name}")) };
        }
    }

    fn retrieve(&mut self, resource: &str) -> Result<Value, Failure> {
        match self.state.store.get(resource, self.path_id()) {
            Some(object) => Ok(object.clone()),
            None if self
                .state
                .tombstones
                .get(self.path_id())
                .is_some_and(|owner| owner == resource) =>
            {
                Ok(json!({"id": self.path_id(), "object": resource, "deleted": true}))
            }
            None if self.mode == Mode::Examples => Ok(self.generic()),
            None => Err(self.missing(resource)),
        }
    }

    fn update(&mut self, resource: &str) -> Result<Value, Failure> {
        let id = self.path_id().to_owned();
        let Some(before) = self.state.store.get(resource, &id).cloned() else {
            return match self.mode {
                Mode::Examples => Ok(self.generic()),
                Mode::Stateful => Err(self.missing(resource)),
            };
        };
        let mut object = before.clone();
        if matches!(self.route.kind, Kind::Action(_)) {
            self.set_status(&mut object);
        }
        self.reflect(&mut object);
        let previous = events::previous_attributes(&before, &object);
        self.state.store.insert(resource, object.clone());
        if previous.as_object().is_some_and(|changed| !changed.is_empty()) {
            self.event(resource, "updated", &object, Some(previous));
        }
        Ok(object)
    }

    /// The status an action leaves an object in (`…/cancel`: `canceled`), when the object's
    /// `status` can take that value.
    fn set_status(&self, object: &mut Value) {
        let verb = self.route.template.rsplit('/').next().unwrap_or("");
        let status = match verb {
            "cancel" => "canceled",
            "confirm" | "capture" => "succeeded",
            "finalize" => "open",
            "pay" => "paid",
            "void" => "void",
            "mark_uncollectible" => "uncollectible",
            "expire" => "expired",
            "accept" => "accepted",
            "close" => "closed",
            _ => return,
        };
        let schema = self.api.resolve(self.item_schema());
        let allowed = schema
            .pointer("/properties/status/enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(|value| value == status));
        if let (true, Some(fields)) = (allowed, object.as_object_mut()) {
            fields.insert("status".to_owned(), Value::from(status));
        }
    }

    fn delete(&mut self, resource: &str) -> Result<Value, Failure> {
        let id = self.path_id().to_owned();
        let removed = self.state.store.remove(resource, &id);
        if removed.is_none() && self.mode == Mode::Stateful {
            return Err(self.missing(resource));
        }
        let mut answer = self.example();
        if let Some(fields) = answer.as_object_mut() {
            fields.insert("id".to_owned(), Value::from(id.as_str()));
            fields.insert("deleted".to_owned(), Value::Bool(true));
        }
        if let Some(object) = removed {
            if self.answers_deleted() {
                self.state.tombstones.insert(id, resource.to_owned());
            }
            self.event(resource, "deleted", &object, None);
        }
        Ok(answer)
    }

    /// Whether retrieving this resource answers a deleted object (the retrieve operation's
    /// response has a `deleted_…` branch, as `GET /v1/customers/{customer}`).
    fn answers_deleted(&self) -> bool {
        let retrieve = self.route.template.as_str();
        self.api.routes.iter().any(|route| {
            route.method == "get"
                && route.template == retrieve
                && route.response.get("anyOf").and_then(Value::as_array).is_some_and(|branches| {
                    branches.iter().any(|branch| {
                        branch
                            .get("$ref")
                            .and_then(Value::as_str)
                            .is_some_and(|r| r.contains("/deleted_"))
                    })
                })
        })
    }

    fn list(&mut self, resource: &str) -> Result<Value, Failure> {
        if let Some(missing) = self.missing_parent() {
            return Err(missing);
        }
        let mut stored = self.state.store.newest_first(resource);
        if resource == "subscription" && !self.params.contains_key("status") {
            // Stripe lists the subscriptions that are not canceled unless asked (`status=all`).
            stored.retain(|subscription| {
                subscription.get("status").and_then(Value::as_str) != Some("canceled")
            });
        }
        let parents: Vec<(String, String)> = self.matched.path_params.clone();
        let found = list::filter(stored, self.params, &parents);
        if found.is_empty() && self.mode == Mode::Examples {
            return Ok(self.generic());
        }
        // A v2 list pages with an opaque `page` token: here, the last id of the previous page.
        let v2 = resource.starts_with("v2.");
        let mut cursor_params;
        let params = match self.params.get("page") {
            Some(page) if v2 => {
                cursor_params = self.params.clone();
                cursor_params.shift_remove("page");
                cursor_params.insert("starting_after".to_owned(), page.clone());
                &cursor_params
            }
            _ => self.params,
        };
        let (page, has_more) = match list::page(&found, params) {
            Ok(page) => page,
            // Examples mode: a cursor that names no stored object pages from an example.
            Err(_) if self.mode == Mode::Examples => return Ok(self.generic()),
            Err(err) => return Err(rejected(err)),
        };
        let data: Vec<Value> = page.into_iter().cloned().collect();
        if v2 {
            let limit = list::limit(params).map_err(rejected)?;
            let last = data.last().and_then(|object| object.get("id")).and_then(Value::as_str);
            let next = last
                .filter(|_| has_more)
                .map(|last| format!("{}?page={last}&limit={limit}", self.url()));
            return Ok(json!({"data": data, "next_page_url": next, "previous_page_url": null}));
        }
        Ok(json!({
            "object": "list",
            "data": data,
            "has_more": has_more,
            "url": self.url(),
        }))
    }

    fn search(&mut self, resource: &str) -> Result<Value, Failure> {
        let query = match self.params.get("query") {
            Some(crate::form::Node::Leaf(text)) => {
                let query = Query::parse(text).map_err(rejected)?;
                if self.mode == Mode::Stateful {
                    query.check_fields(resource).map_err(rejected)?;
                }
                query
            }
            _ => {
                return Err(Box::new(ApiError::invalid(
                    "Missing required param: query.",
                    Some("query".to_owned()),
                    Some("parameter_missing"),
                )))
            }
        };
        let stored = self.state.store.newest_first(resource);
        let found: Vec<&Value> =
            stored.into_iter().filter(|object| query.matches(object)).collect();
        if found.is_empty() && self.mode == Mode::Examples {
            return Ok(self.generic());
        }
        let (page, next_page) = match list::search_page(&found, self.params) {
            Ok(page) => page,
            Err(_) if self.mode == Mode::Examples => return Ok(self.generic()),
            Err(err) => return Err(rejected(err)),
        };
        let data: Vec<Value> = page.into_iter().cloned().collect();
        Ok(json!({
            "object": "search_result",
            "data": data,
            "has_more": next_page.is_some(),
            "next_page": next_page,
            "url": self.url(),
        }))
    }

    fn url(&self) -> String {
        let mut values = self.matched.path_params.iter();
        self.route
            .segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(literal) => literal.clone(),
                Segment::Param(_) => values.next().map(|(_, v)| v.clone()).unwrap_or_default(),
            })
            .fold(String::new(), |url, segment| format!("{url}/{segment}"))
    }

    /// The example answer, with the path id echoed and the request's values reflected.
    fn generic(&self) -> Value {
        match &self.route.reply {
            Reply::List { item, .. } if self.route.template.starts_with("/v2/") => {
                json!({"data": [item], "next_page_url": null, "previous_page_url": null})
            }
            Reply::List { object, item } => {
                let mut list = Map::new();
                list.insert("object".to_owned(), Value::from(object.as_str()));
                list.insert("data".to_owned(), json!([item]));
                list.insert("has_more".to_owned(), Value::from(false));
                if object == "search_result" {
                    list.insert("next_page".to_owned(), Value::Null);
                }
                list.insert("url".to_owned(), Value::from(self.url()));
                Value::Object(list)
            }
            Reply::Object(object) => {
                let mut object = object.clone();
                if self.route.echo_id {
                    if let Some(fields) = object.as_object_mut() {
                        fields.insert("id".to_owned(), Value::from(self.path_id()));
                    }
                }
                self.reflect(&mut object);
                object
            }
            Reply::Pdf => Value::Null,
        }
    }

    /// Records the event of a change (`customer.created`, `customer.subscription.updated`), when
    /// the spec lists that type; a v2 change records a thin event.
    fn event(&mut self, resource: &str, action: &str, object: &Value, previous: Option<Value>) {
        if resource == "event" || resource == THIN_EVENT {
            return;
        }
        if resource.starts_with("v2.") {
            return self.thin_event(resource, action, object);
        }
        let now = self.state.clock.now();
        let kind = events::type_of(resource, action);
        let cause = self.cause();
        events::record(self.api, self.state, cause, now, &kind, object, previous);
    }
}

/// The resource of the v2 API's events (`GET /v2/core/events/{id}`).
pub const THIN_EVENT: &str = "v2.core.event";

impl Call<'_, '_> {
    /// A v2 change gives a thin event: the event is stored (`GET /v2/core/events/{id}`) and
    /// delivered as a notification naming the object and the path that retrieves it.
    fn thin_event(&mut self, resource: &str, action: &str, object: &Value) {
        let Some(object_id) = object.get("id").and_then(Value::as_str) else { return };
        let id = self.state.store.fresh_id("evt_");
        let event = json!({
            "id": id,
            "object": THIN_EVENT,
            "type": format!("{resource}.{action}"),
            "created": clock::rfc3339(self.state.clock.now()),
            "livemode": false,
            "context": self.origin.context,
            "related_object": {
                "id": object_id,
                "type": resource,
                "url": object_url(&self.route.template, object_id),
            },
            "reason": {
                "type": "request",
                "request": {
                    "id": self.origin.request_id,
                    "idempotency_key": self.origin.idempotency_key.unwrap_or_default(),
                },
            },
        });
        self.state.store.insert(THIN_EVENT, event);
        self.state.events.push(id);
    }
}

/// The path of an object from the template of an operation on it: `/v2/core/accounts` (create)
/// or `/v2/core/accounts/{id}/close` (an action) → `/v2/core/accounts/{object_id}`.
fn object_url(template: &str, object_id: &str) -> String {
    match template.rfind('{') {
        Some(open) => format!("{}{object_id}", &template[..open]),
        None => format!("{template}/{object_id}"),
    }
}

fn rejected(rejected: Rejected) -> Failure {
    Box::new(ApiError::invalid(rejected.message, Some(rejected.param.to_owned()), rejected.code))
}

/// The parameters that name another object, and its resource.
const REFERENCES: &[(&str, &str)] = &[
    ("customer", "customer"),
    ("product", "product"),
    ("price", "price"),
    ("payment_intent", "payment_intent"),
    ("charge", "charge"),
    ("invoice", "invoice"),
    ("subscription", "subscription"),
    ("test_clock", "test_helpers.test_clock"),
    ("payment_method", "payment_method"),
];
