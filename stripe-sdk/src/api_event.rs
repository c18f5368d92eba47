//! What the generated [`Event`](crate::Event) of the events API (`Event::retrieve`, `Event::list`)
//! has by hand: the API version check. Its `data.object` is JSON, so an event rendered in any API
//! version decodes; with the `webhook` feature, `webhook::Event::from(event)` types it.

impl crate::Event {
    /// Whether the event is rendered in this SDK's [`API_VERSION`](crate::API_VERSION). Stripe
    /// renders an event's `data` in the API version current when the event was created (the
    /// account's default or the webhook endpoint's), not in the version of the request that
    /// fetches it.
    pub fn api_version_matches(&self) -> bool {
        self.api_version.as_deref() == Some(crate::API_VERSION)
    }
}
