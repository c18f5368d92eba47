//! A Stripe API SDK generated from Stripe's published OpenAPI document.
//!
//! Every Stripe object is a Rust type, placed where the Stripe API reference puts it:
//! `billing_portal.session` is `billing_portal::Session`, `issuing.card` is `issuing::Card`,
//! and top-level resources such as `customer` sit at the crate root ([`Customer`]). (The
//! hand-written documentation names only objects that every release of Stripe's spec has, so that
//! it still builds when the crate is generated from another release.)
//!
//! ```
//! let json = r#"{
//!     "id": "cus_123", "object": "customer", "created": 1234567890, "livemode": false,
//!     "email": "jenny@example.com", "default_source": "card_123"
//! }"#;
//! let customer: stripe_sdk::Customer = serde_json::from_str(json).unwrap();
//! assert_eq!(customer.email.as_deref(), Some("jenny@example.com"));
//! assert_eq!(customer.default_source.as_ref().map(|source| source.id()), Some("card_123"));
//! ```
//!
//! # Cargo features
//! Everything is on by default (`full`). Each resource group of the spec is a feature that compiles
//! its operations and every type they reach: namespaces (`billing_portal`, `issuing`, …), resources
//! at the crate root (`customer`, `payment_intent`, …), and `webhook` (the [`webhook`] module and
//! every object an event can carry). An app that only creates billing portal sessions can depend on
//! `stripe-sdk` with `default-features = false, features = ["billing_portal"]`. `serialize`
//! implements `Serialize` for the response types; `deserialize` implements `Deserialize` for
//! request parameters (refusing unknown keys); `blocking` adds a blocking client; `tracing` adds a
//! `stripe.request` span per request and an event per retry.
//!
//! # Decoding rules
//! Responses decode through generated builders rather than serde's derive (faster to compile);
//! every response type still implements `serde::Deserialize`, and [`decode_json`] decodes as the
//! client does, naming the JSON path of a failure.
//! - Unknown JSON fields are ignored; unknown enum values decode into the enum's `Unknown(String)`
//!   variant and serialize back to the same string.
//! - A field that is optional or nullable in the spec is an `Option`. On serialization (feature
//!   `serialize`), `None` is written as `null` when the spec marks the field `nullable`, and
//!   omitted otherwise, so that objects serialize back the way Stripe sends them. Absent and
//!   `null` decode alike.
//! - A field the spec marks as required but which the API omits fails the decode, except for lists
//!   and maps, which then decode as empty.
//! - v1 timestamps ([`Timestamp`]) are Unix seconds; v2 timestamps (`format: date-time`) are
//!   [`DateTime`], read and written as RFC 3339; currency codes are [`Currency`] (any code decodes);
//!   `decimal` values stay strings so that no precision is lost; metadata is a [`Metadata`] map.
//! - Expandable fields are [`Expandable`]: either the id or the expanded object.
//! - Objects that can be one of several types are enums that decode by their `object` field (and
//!   `deleted: true` for deleted objects), with an `Unknown` variant holding the raw JSON.
//! - Nested objects that would take more than 256 bytes inline are boxed
//!   (`Option<Box<PaymentMethodDetails>>`), so that absent ones cost a pointer.

#![forbid(unsafe_code)]
// Stripe's objects nest deeply (boxed, through expandable fields and unions); rustdoc's auto-trait
// analysis of them needs more than the default 128 levels.
#![recursion_limit = "512"]

#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod currency;
mod datetime;
mod error;
mod id;
/// What the generated code calls: decoding, form encoding, lists, strings enums. Public (and
/// hidden) so that the crate compiles warning-free whichever of it a spec release uses; not an
/// API of its own.
#[doc(hidden)]
pub mod runtime;
#[cfg(feature = "webhook")]
pub mod webhook;

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

#[doc(hidden)]
pub use client::Host;
pub use client::{Client, ClientBuilder, Method, RequestOptions, ResponseFuture};
pub use currency::Currency;
pub use datetime::{DateTime, DateTimeError};
pub use error::{ApiError, EncodeError, Error, ErrorKind};
pub use generated::*;
pub use id::Id;
pub use runtime::de::{decode_json, Decode, DecodeError};
pub use runtime::expandable::{Expandable, HasId, LiveOrDeleted};
pub use runtime::file::FileUpload;
/// Stripe's form encoding of request parameters (`a[b][0]=v`), as the operations send them.
pub use runtime::form::encode as form_encode;
pub use runtime::list::{List, SearchList, V2List};
pub use runtime::paginate::Paginator;
pub use runtime::unsettable::Unsettable;

/// A point in time, in seconds since the Unix epoch, as Stripe sends it.
pub type Timestamp = i64;

/// Set of key-value pairs attached to an object (`metadata` in Stripe's API).
pub type Metadata = std::collections::BTreeMap<String, String>;
