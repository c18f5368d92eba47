//! The one addition `EventObject` has over other unions: an `Undecoded` variant for an object of a
//! known type that does not decode (rendered in another API version), filled by the hand-written
//! webhook module (`stripe_sdk::webhook::UndecodedObject`), never by the decoder itself. And,
//! where the spec's `event` has the envelope the webhook module reads, what the events API's
//! `Event` has by hand: its API version check and its conversion to a webhook event.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Ir, TypeDef, TypeId, TypeKind};

/// The variant, its `Serialize` arm and its `HasId` arm, for the `EventObject` union only (empty
/// for the others).
pub(crate) fn undecoded(ir: &Ir, def: &TypeDef) -> (TokenStream, TokenStream, TokenStream) {
    let is_event_object = ir.event_roots.iter().any(|root| std::ptr::eq(ir.get(*root), def));
    if !is_event_object || !matches!(def.kind, crate::ir::TypeKind::Union(_)) {
        return (TokenStream::new(), TokenStream::new(), TokenStream::new());
    }
    (
        quote! {
            /// An object of a known type that does not decode into it (an event rendered in
            /// another API version than this SDK's): its raw JSON and the decode error.
            Undecoded(Box<crate::webhook::UndecodedObject>),
        },
        quote! { Self::Undecoded(object) => object.raw.serialize(serializer), },
        quote! { Self::Undecoded(object) => object.id().unwrap_or_default(), },
    )
}

/// The fields of the spec's `event` that the webhook module's `Event` is made of. Releases before
/// 2020 have no `account`: there the events API's `Event` gets neither the version check nor the
/// conversion (the webhook module itself reads events by its own envelope).
const ENVELOPE: &[&str] = &[
    "id",
    "type",
    "created",
    "livemode",
    "api_version",
    "account",
    "data",
    "request",
    "pending_webhooks",
];

/// `impl Event { fn api_version_matches }` and `impl From<Event> for webhook::Event` for the
/// spec's `event` type (`id`), when it has the whole envelope; nothing for other types.
pub(crate) fn api_event_items(ir: &Ir, id: TypeId, cfg: &TokenStream) -> Vec<TokenStream> {
    if ir.event_roots.last() != Some(&id) {
        return Vec::new();
    }
    let TypeKind::Struct(event) = &ir.get(id).kind else { return Vec::new() };
    if !ENVELOPE.iter().all(|wire| event.fields.iter().any(|field| field.wire == *wire)) {
        return Vec::new();
    }
    vec![
        quote! {
            #cfg
            impl Event {
                /// Whether the event is rendered in this SDK's [`API_VERSION`](crate::API_VERSION).
                /// Stripe renders an event's `data` in the API version current when the event was
                /// created (the account's default or the webhook endpoint's), not in the version
                /// of the request that fetches it.
                pub fn api_version_matches(&self) -> bool {
                    self.api_version.as_deref() == Some(crate::API_VERSION)
                }
            }
        },
        quote! {
            /// An event from the API ([`Event::retrieve`], [`Event::list`]), whose `data.object`
            /// is JSON, as a webhook event: `data.object` typed if it decodes,
            /// `EventObject::Undecoded` otherwise, so that events fetched and events received are
            /// handled by the same code.
            #[cfg(feature = "webhook")]
            impl From<Event> for crate::webhook::Event {
                #[inline]
                fn from(event: Event) -> crate::webhook::Event {
                    crate::webhook::Event::from_parts(crate::webhook::EventParts {
                        id: event.id.into(),
                        type_: event.type_,
                        created: event.created,
                        livemode: event.livemode,
                        api_version: event.api_version,
                        account: event.account,
                        object: event.data.object,
                        previous_attributes: event.data.previous_attributes,
                        request: event.request,
                        pending_webhooks: event.pending_webhooks,
                    })
                }
            }
        },
    ]
}
