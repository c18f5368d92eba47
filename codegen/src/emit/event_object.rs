//! The one addition `EventObject` has over other unions: an `Undecoded` variant for an object of a
//! known type that does not decode (rendered in another API version), filled by the hand-written
//! webhook module (`stripe_sdk::webhook::UndecodedObject`), never by the decoder itself.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Ir, TypeDef};

/// The variant and its `Serialize` arm, for the `EventObject` union only (empty for the others).
pub(crate) fn undecoded(ir: &Ir, def: &TypeDef) -> (TokenStream, TokenStream) {
    let is_event_object = ir.event_roots.iter().any(|root| std::ptr::eq(ir.get(*root), def));
    if !is_event_object || !matches!(def.kind, crate::ir::TypeKind::Union(_)) {
        return (TokenStream::new(), TokenStream::new());
    }
    (
        quote! {
            /// An object of a known type that does not decode into it (an event rendered in
            /// another API version than this SDK's): its raw JSON and the decode error.
            Undecoded(Box<crate::webhook::UndecodedObject>),
        },
        quote! { Self::Undecoded(object) => object.raw.serialize(serializer), },
    )
}
