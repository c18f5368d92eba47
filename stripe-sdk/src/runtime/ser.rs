//! `Serialize` for the generated structs: request parameters (always, with their `Debug`) and
//! response types (with the `serialize` feature, from `decode_struct!`).

/// Implements `serde::Serialize` for a generated struct, one line per field:
/// `field = "wire name" => mode,`. An `optional` field that is `None` is left out; a `file` is sent
/// as a multipart part, never as a form field; any other mode (`required`, `or_default`,
/// `nullable`) is written as it is, so a nullable `None` is `null`, as Stripe writes it.
///
/// serde's derive writes the same calls, wrapped in code that the compiler then checks for every
/// one of the ~900 parameter structs (a fifth of this crate's build time); this is the minimum.
/// The impl is generic over the serializer, so it is compiled only where a value is serialized.
macro_rules! serialize_struct {
    ($name:ident { $($field:ident = $wire:literal => $mode:ident,)* }) => {
        impl ::serde::Serialize for $name {
            // `if let Err(..) = .. { return .. }` per field, not `?`: cheaper to check, for
            // thousands of fields.
            #[allow(unused_mut, clippy::question_mark)]
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let fields = <[&str]>::len(&[$($wire),*]);
                let mut state = serializer.serialize_struct(stringify!($name), fields)?;
                $($crate::runtime::ser::field!($mode, state, $wire, &self.$field);)*
                state.end()
            }
        }
    };
}
pub(crate) use serialize_struct;

/// One field of [`serialize_struct!`].
macro_rules! field {
    (optional, $state:ident, $wire:literal, $value:expr) => {
        if let Some(value) = $value {
            $crate::runtime::ser::field!(required, $state, $wire, value)
        }
    };
    (file, $state:ident, $wire:literal, $value:expr) => {};
    ($mode:ident, $state:ident, $wire:literal, $value:expr) => {
        if let Err(err) = $state.serialize_field($wire, $value) {
            return Err(err);
        }
    };
}
pub(crate) use field;

/// `Serialize` and `Debug` for a generated parameters struct (modes `required | optional | file`).
macro_rules! params_struct {
    ($name:ident { $($field:ident = $wire:literal => $mode:ident,)* }) => {
        $crate::runtime::ser::serialize_struct!($name { $($field = $wire => $mode,)* });
        $crate::runtime::debug::debug_struct!($name { $($field),* });
    };
}
pub(crate) use params_struct;

/// `Serialize` (and, with the `deserialize` feature, `Deserialize`) for a request parameter that
/// takes one of several shapes (a spec may have none: then the macro is unused): variants without data are sent as their string
/// (`TrialEnd::Now` as `now`), the others as the value they hold.
#[allow(unused_macros)]
macro_rules! request_union {
    ($name:ident { $($unit:ident = $wire:literal,)* } { $($variant:ident($ty:ty),)* }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$unit => serializer.serialize_str($wire),)*
                    $(Self::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        #[cfg(feature = "deserialize")]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                $(if value.as_str() == Some($wire) {
                    return Ok(Self::$unit);
                })*
                $(if let Ok(held) = <$ty as ::serde::Deserialize>::deserialize(&value) {
                    return Ok(Self::$variant(held));
                })*
                Err(::serde::de::Error::custom(concat!(
                    "the value fits no variant of ",
                    stringify!($name)
                )))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use request_union;
