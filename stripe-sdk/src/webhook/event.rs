//! The webhook [`Event`]: decoded from a verified payload, whatever API version it is rendered in.

use std::fmt;

use serde_json::Value;

use super::WebhookError;
use crate::runtime::de;
use crate::EventObject;

/// A webhook event, as Stripe sends it to an endpoint: `data.object` is typed by its `object`
/// field, and `type` is an [`EventType`](crate::EventType).
///
/// Stripe renders each event in the API version of the webhook endpoint, which can differ from
/// this SDK's [`API_VERSION`](crate::API_VERSION) (see [`Event::api_version_matches`]). An event
/// whose signature is valid and whose envelope decodes is always returned: when `data.object` does
/// not decode into its type, it is [`EventObject::Undecoded`], with the raw JSON and the error.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serialize", derive(serde::Serialize))]
pub struct Event {
    /// Unique identifier of the event (`evt_…`).
    pub id: String,
    /// What happened (`customer.created`); types this version does not know are
    /// [`EventType::Unknown`](crate::EventType::Unknown).
    #[cfg_attr(feature = "serialize", serde(rename = "type"))]
    pub type_: crate::EventType,
    /// When the event was created.
    pub created: crate::Timestamp,
    /// Whether the event happened in live mode.
    pub livemode: bool,
    /// The API version `data` is rendered with (that of the webhook endpoint).
    pub api_version: Option<String>,
    /// The connected account the event happened on, for Connect endpoints.
    #[cfg_attr(feature = "serialize", serde(skip_serializing_if = "Option::is_none"))]
    pub account: Option<String>,
    /// The object the event is about, and what changed.
    pub data: EventData,
    /// The API request that caused the event, if any.
    pub request: Option<crate::NotificationEventRequest>,
    /// How many webhook deliveries of this event are still pending.
    pub pending_webhooks: i64,
}

impl crate::HasId for Event {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Event {
    /// Whether the event is rendered in this SDK's [`API_VERSION`](crate::API_VERSION), the one
    /// its types are generated for. When it is not, `data.object` may be
    /// [`EventObject::Undecoded`], or decode with fields missing or renamed: set the webhook
    /// endpoint's API version to this SDK's (in the Dashboard, or `api_version` when creating the
    /// endpoint with [`WebhookEndpoint::create`](crate::WebhookEndpoint)).
    pub fn api_version_matches(&self) -> bool {
        self.api_version.as_deref() == Some(crate::API_VERSION)
    }
}

/// The `data` of an [`Event`].
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serialize", derive(serde::Serialize))]
pub struct EventData {
    /// The object as it is after the event, decoded by its `object` field; objects of types this
    /// version does not know are [`EventObject::Unknown`], and objects of a known type that do not
    /// decode into it are [`EventObject::Undecoded`], both with their raw JSON.
    pub object: EventObject,
    /// For `*.updated` events, the previous values of the fields that changed.
    #[cfg_attr(feature = "serialize", serde(skip_serializing_if = "Option::is_none"))]
    pub previous_attributes: Option<Value>,
}

/// The `data.object` of an event that does not decode into the type its `object` field names:
/// typically an event rendered in another API version than this SDK's. The handler can still act
/// on it through the raw JSON.
#[derive(Clone, Debug)]
pub struct UndecodedObject {
    /// The object, as received.
    pub raw: Value,
    /// Why it does not decode.
    pub error: ObjectDecodeError,
}

impl UndecodedObject {
    /// The object's `object` field (`customer`), if it has one.
    pub fn object_type(&self) -> Option<&str> {
        self.raw.get("object").and_then(Value::as_str)
    }

    /// The object's `id`, if it has one.
    pub fn id(&self) -> Option<&str> {
        self.raw.get("id").and_then(Value::as_str)
    }
}

/// Why an event's `data.object` does not decode: where, and what failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectDecodeError {
    /// The JSON path of the failure from the event's root (`data.object.created`).
    pub path: String,
    /// What failed (`invalid type: string "yesterday", expected an integer`).
    pub message: String,
}

impl fmt::Display for ObjectDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for ObjectDecodeError {}

/// An event decodes as its [`Envelope`] (the one list of the event's JSON fields), whose
/// `data.object` is then typed ([`Envelope::into_event`]).
impl de::Slot for Option<Event> {
    #[inline]
    fn expected(&self) -> &'static str {
        "an event"
    }

    fn type_name(out: &mut String) {
        out.push_str("stripe_sdk::webhook::Event")
    }

    #[inline]
    fn map(&mut self, entries: &mut dyn de::MapReader) -> de::Result<()> {
        let mut envelope: Option<Envelope> = None;
        de::Slot::map(&mut envelope, entries)?;
        *self = envelope.map(Envelope::into_event);
        Ok(())
    }
}

de::impl_deserialize!(Event);

/// The event as it is on the wire, with `data.object` and `request` (a string before API version
/// 2017-05-25) as JSON: what an [`Event`] decodes as, so that a `data.object` that does not fit
/// its type still gives an event.
struct Envelope {
    id: String,
    type_: crate::EventType,
    created: crate::Timestamp,
    livemode: bool,
    api_version: Option<String>,
    account: Option<String>,
    data: EnvelopeData,
    request: Option<Value>,
    pending_webhooks: i64,
}

struct EnvelopeData {
    object: ObjectJson,
    previous_attributes: Option<Value>,
}

/// `data.object` as it was read: typed straight from the JSON text where the reader can read the
/// object again if it does not decode (the client's), else as JSON, typed afterwards.
#[derive(Debug)]
#[cfg_attr(feature = "serialize", derive(serde::Serialize), serde(untagged))]
enum ObjectJson {
    Typed(EventObject),
    Raw(Value),
}

impl ObjectJson {
    #[inline]
    fn into_object(self) -> EventObject {
        match self {
            ObjectJson::Typed(object) => object,
            ObjectJson::Raw(raw) => typed_object(raw),
        }
    }
}

/// Inline, like the builders: the decoders of every event object are compiled in the crate
/// that decodes events (see `runtime::de`).
impl de::Slot for Option<ObjectJson> {
    #[inline]
    fn expected(&self) -> &'static str {
        "any JSON value"
    }

    fn type_name(out: &mut String) {
        out.push_str("serde_json::Value")
    }

    #[inline]
    fn scalar(&mut self, value: de::Scalar<'_>) -> de::Result<()> {
        read_raw(self, |raw| raw.scalar(value))
    }

    #[inline]
    fn map(&mut self, entries: &mut dyn de::MapReader) -> de::Result<()> {
        if let Some(mark) = entries.mark() {
            let mut typed: Option<EventObject> = None;
            let decoded = de::Slot::map(&mut typed, entries);
            if let (Ok(()), Some(object)) = (decoded, typed) {
                *self = Some(ObjectJson::Typed(object));
                return Ok(());
            }
            // It does not decode: kept as JSON, whose decoding gives the error's path.
            entries.rewind(mark);
        }
        read_raw(self, |raw| de::Slot::map(raw, entries))
    }

    #[inline]
    fn seq(&mut self, elements: &mut dyn de::SeqReader) -> de::Result<()> {
        read_raw(self, |raw| raw.seq(elements))
    }
}

/// `data.object` read as JSON by `read`.
#[inline]
fn read_raw(
    out: &mut Option<ObjectJson>,
    read: impl FnOnce(&mut Option<Value>) -> de::Result<()>,
) -> de::Result<()> {
    let mut raw = None;
    read(&mut raw)?;
    *out = raw.map(ObjectJson::Raw);
    Ok(())
}

de::decode_struct! {
    Envelope = "stripe_sdk::webhook::Event" {
        id: String = "id" => required,
        type_: crate::EventType = "type" => required,
        created: crate::Timestamp = "created" => required,
        livemode: bool = "livemode" => required,
        api_version: String = "api_version" => nullable,
        account: String = "account" => optional,
        data: EnvelopeData = "data" => required,
        request: Value = "request" => nullable,
        pending_webhooks: i64 = "pending_webhooks" => or_default,
    }
}

de::decode_struct! {
    EnvelopeData = "stripe_sdk::webhook::EventData" {
        object: ObjectJson = "object" => required,
        previous_attributes: Value = "previous_attributes" => optional,
    }
}

/// `data.object` typed if it decodes, [`EventObject::Undecoded`] otherwise.
#[inline]
fn typed_object(raw: Value) -> EventObject {
    match de::from_value::<EventObject>(&raw) {
        Ok(object) => object,
        Err(err) => EventObject::Undecoded(Box::new(UndecodedObject {
            error: ObjectDecodeError {
                path: prefixed_path("data.object", &err.path()),
                message: err.to_string(),
            },
            raw,
        })),
    }
}

/// The parts of an event from the events API (`Event::retrieve`, `Event::list`), whose
/// `data.object` is JSON; the generated `impl From<stripe_sdk::Event> for webhook::Event` gives
/// them (where the spec's `event` has this envelope).
#[doc(hidden)]
pub struct EventParts {
    pub id: String,
    pub type_: String,
    pub created: crate::Timestamp,
    pub livemode: bool,
    pub api_version: Option<String>,
    pub account: Option<String>,
    pub object: Value,
    pub previous_attributes: Option<Value>,
    pub request: Option<crate::NotificationEventRequest>,
    pub pending_webhooks: i64,
}

impl Event {
    /// The webhook event of an event from the API: `data.object` typed if it decodes,
    /// [`EventObject::Undecoded`] otherwise, and `type` an [`EventType`](crate::EventType).
    #[doc(hidden)]
    #[inline]
    pub fn from_parts(parts: EventParts) -> Event {
        Event {
            id: parts.id,
            type_: crate::EventType::from(parts.type_.as_str()),
            created: parts.created,
            livemode: parts.livemode,
            api_version: parts.api_version,
            account: parts.account,
            data: EventData {
                object: typed_object(parts.object),
                previous_attributes: parts.previous_attributes,
            },
            request: parts.request,
            pending_webhooks: parts.pending_webhooks,
        }
    }
}

impl Envelope {
    /// The event, with `data.object` typed if it decodes and [`EventObject::Undecoded`] otherwise.
    #[inline]
    fn into_event(self) -> Event {
        let object = self.data.object.into_object();
        Event {
            id: self.id,
            type_: self.type_,
            created: self.created,
            livemode: self.livemode,
            api_version: self.api_version,
            account: self.account,
            data: EventData { object, previous_attributes: self.data.previous_attributes },
            request: self.request.as_ref().and_then(request),
            pending_webhooks: self.pending_webhooks,
        }
    }
}

/// The `request` of an event: an object, or (API versions before 2017-05-25) the request id.
#[inline]
fn request(value: &Value) -> Option<crate::NotificationEventRequest> {
    match value {
        Value::String(id) => {
            Some(crate::NotificationEventRequest { id: Some(id.clone()), idempotency_key: None })
        }
        other => de::from_value(other).ok(),
    }
}

/// `data.object` + `created` → `data.object.created`; `[0].x` → `data.object[0].x`.
fn prefixed_path(prefix: &str, path: &str) -> String {
    match path {
        "." | "" => prefix.to_owned(),
        path if path.starts_with('[') => format!("{prefix}{path}"),
        path => format!("{prefix}.{path}"),
    }
}

/// Decodes a verified payload into an [`Event`]: an object that does not fit its type (another API
/// version) still gives an event; an envelope that does not decode is an error naming the JSON
/// path.
#[inline]
pub(super) fn decode_event(payload: &[u8]) -> Result<Event, WebhookError> {
    de::decode_json::<Event>(payload).map_err(|err| match err.error.classify() {
        serde_json::error::Category::Data => {
            WebhookError::Decode { path: err.path, source: err.error }
        }
        _ => WebhookError::InvalidJson(err.error),
    })
}
