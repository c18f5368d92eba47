//! `Serialize` and `Debug` for the generated request parameters.

/// Implements `serde::Serialize` and `Debug` for a generated parameters struct, one line per field:
/// `field = "wire name" => required | optional | file,`. An optional field that is `None` is left
/// out; a file is sent as a multipart part, not as a form field.
///
/// serde's derive writes the same calls, wrapped in code that the compiler then checks for every
/// one of the ~900 parameter structs (a fifth of this crate's build time); this is the minimum.
/// The impl is generic over the serializer, so it is compiled only where parameters are encoded.
macro_rules! params_struct {
    ($name:ident { $($field:ident = $wire:literal => $mode:ident,)* }) => {
        impl ::serde::Serialize for $name {
            #[allow(unused_mut)]
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let fields = <[&str]>::len(&[$($wire),*]);
                let mut state = serializer.serialize_struct(stringify!($name), fields)?;
                $($crate::runtime::params::field!($mode, state, $wire, &self.$field);)*
                state.end()
            }
        }

        $crate::runtime::debug::debug_struct!($name { $($field),* });
    };
}
pub(crate) use params_struct;

/// One field of [`params_struct!`].
macro_rules! field {
    (required, $state:ident, $wire:literal, $value:expr) => {
        $state.serialize_field($wire, $value)?
    };
    (optional, $state:ident, $wire:literal, $value:expr) => {
        if let Some(value) = $value {
            $state.serialize_field($wire, value)?
        }
    };
    (file, $state:ident, $wire:literal, $value:expr) => {};
}
pub(crate) use field;
