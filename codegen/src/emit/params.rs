//! Encoding of request parameters: the `params_struct!` invocation that
//! `stripe-sdk/src/runtime/ser.rs` expands into `Serialize` and `Debug`.

use super::tokens::ident;
use crate::ir::{Field, Presence, TypeRef};

/// `Serialize` and `Debug` for request parameters: a `params_struct!` invocation with one line per
/// field (`name = "wire" => required | optional | file,`; see `stripe-sdk/src/runtime/ser.rs`),
/// as text for the same reason as `super::decode::struct_decode`.
pub(crate) fn params_struct(name: &str, fields: &[Field]) -> String {
    let mut text = format!("crate::runtime::ser::params_struct! {{\n    {name} {{\n");
    for field in fields {
        let mode = match (&field.ty, field.presence) {
            (TypeRef::File, _) => "file",
            (_, Presence::Required) => "required",
            (_, Presence::Nullable | Presence::Optional) => "optional",
        };
        text.push_str(&format!("        {} = {:?} => {mode},\n", ident(&field.name), field.wire));
    }
    text.push_str("    }\n}\n");
    text
}
