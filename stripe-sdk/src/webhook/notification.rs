//! Thin event notifications of the v2 API: a webhook that carries only a reference to the event
//! and to the object it is about; the application fetches both.

use serde::Deserialize;

use super::{Webhook, WebhookError};
use crate::{Client, Error, EventObject, Method, RequestOptions};

/// A thin event notification, as delivered to an event destination: the event's id and type,
/// and where the object it is about can be fetched. Nothing of the object itself is in it, so
/// it does not depend on an API version.
///
/// ```
/// use stripe_sdk::webhook::{sign_test_header, Webhook};
///
/// let payload = br#"{"id": "evt_test_1", "object": "v2.core.event",
///     "type": "v1.billing.meter.error_report_triggered", "created": "2026-01-28T09:30:00.000Z",
///     "livemode": false, "context": "acct_1",
///     "related_object": {"id": "mtr_1", "type": "billing.meter", "url": "/v1/billing/meters/mtr_1"}}"#;
/// let header = sign_test_header(payload, "whsec_test", 1769592600);
/// let webhook = Webhook::new("whsec_test")?.now(1769592605);
/// let notification = webhook.parse_event_notification(payload, Some(&header))?;
/// assert_eq!(notification.type_, "v1.billing.meter.error_report_triggered");
/// assert_eq!(notification.related_object.as_ref().map(|o| o.type_.as_str()), Some("billing.meter"));
/// # Ok::<(), stripe_sdk::webhook::WebhookError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct EventNotification {
    /// The event's id (`evt_…`), to fetch it with [`EventNotification::fetch_event`].
    pub id: String,
    /// The event's type (`v1.billing.meter.error_report_triggered`).
    #[serde(rename = "type")]
    pub type_: String,
    /// When the event happened.
    pub created: crate::DateTime,
    /// Whether the event happened in live mode.
    #[serde(default)]
    pub livemode: bool,
    /// The account the event happened in, when it is not the one of the API key
    /// (sent back as `Stripe-Context` when fetching).
    #[serde(default)]
    pub context: Option<String>,
    /// The object the event is about.
    #[serde(default)]
    pub related_object: Option<RelatedObject>,
    /// Why the event happened (the API request that caused it), as sent.
    #[serde(default)]
    pub reason: Option<serde_json::Value>,
}

/// The object a thin event is about.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RelatedObject {
    /// The object's id (`mtr_…`).
    pub id: String,
    /// The object's type, as its `object` field says (`billing.meter`).
    #[serde(rename = "type")]
    pub type_: String,
    /// The API path that retrieves it (`/v1/billing/meters/mtr_…`).
    pub url: String,
}

impl Webhook {
    /// Verifies a thin event notification exactly as [`Webhook::construct_event`] verifies an
    /// event (same secrets, tolerance and errors), then reads it.
    pub fn parse_event_notification(
        &self,
        payload: &[u8],
        signature_header: Option<&str>,
    ) -> Result<EventNotification, WebhookError> {
        let header = signature_header.ok_or(WebhookError::MissingHeader)?;
        self.verify(payload, header)?;
        match serde_json::from_slice::<EventNotification>(payload) {
            Ok(notification) => Ok(notification),
            // serde's message names the field (`missing field `id``, `invalid type … at line 1
            // column 9`), quoting the value: kept short, whatever the value's size.
            Err(source) if source.classify() == serde_json::error::Category::Data => {
                let message = crate::error::shorten(&source.to_string(), 300);
                let source = <serde_json::Error as serde::de::Error>::custom(message);
                Err(WebhookError::Decode { path: ".".to_owned(), source })
            }
            Err(source) => Err(WebhookError::InvalidJson(source)),
        }
    }
}

impl EventNotification {
    /// The client to fetch with: in the notification's account context, if it has one.
    #[doc(hidden)]
    pub fn client_for(&self, client: &Client) -> Client {
        match &self.context {
            Some(context) => client.with_options(RequestOptions::new().stripe_context(context)),
            None => client.clone(),
        }
    }

    // `fetch_event` (`GET /v2/core/events/{id}` with the notification's `context` as
    // `Stripe-Context`) is generated beside the v2 `Event` type, where the spec has it.

    /// Fetches the object the event is about from `related_object.url` (with the notification's
    /// `context` as `Stripe-Context`): `None` when the notification names no object, else the
    /// object typed by its `object` field like a webhook event's (`EventObject::BillingMeter`),
    /// or `EventObject::Unknown` with the JSON for a type this SDK does not know. The URL must be
    /// a path of the API (`/v1/…`, `/v2/…`): the API key never goes to another host.
    #[inline]
    pub async fn fetch_related_object(
        &self,
        client: &Client,
    ) -> Result<Option<EventObject>, Error> {
        let Some(related) = &self.related_object else { return Ok(None) };
        let is_api_path = (related.url.starts_with("/v1/") || related.url.starts_with("/v2/"))
            && !related.url.contains("://");
        if !is_api_path {
            return Err(Error::InvalidArgument(format!(
                "related_object.url {:?} is not a path of the API (`/v1/…` or `/v2/…`)",
                crate::error::shorten(&related.url, 100)
            )));
        }
        let json = self.client_for(client).raw(Method::Get, &related.url, &()).await?;
        serde_json::from_value(json).map(Some).map_err(|error| {
            Error::InvalidArgument(format!("the related object does not decode: {error}"))
        })
    }
}
