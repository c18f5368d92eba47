//! `decode_struct!`: the builder, `Object` and serde impls of a generated response struct.

/// Implements decoding for a generated response struct (`Name = "its public path"`, the name
/// decode errors give it): a builder with one slot per field (`field: Type = "json name" =>
/// required | or_default | nullable | optional`, where the `Type` of a nullable or optional field
/// is the one inside its `Option`), [`Object`], `serde::Deserialize` and `Debug`; with the
/// `serialize` feature, `serde::Serialize` too ([`serialize_struct!`](crate::runtime::ser)).
///
/// `build_into` takes the builder by value and moves each value from its slot straight into the
/// struct, which is built in the object's slot; a missing required field returns its error from
/// there. The builder's methods
/// are `#[inline]`: like serde's generic impls, they are compiled only in the crates that decode
/// the type (see the module docs).
macro_rules! decode_struct {
    ($name:ident = $path:literal { $($field:ident: $ty:ty = $wire:literal => $take:ident,)* }) => {
        const _: () = {
            #[allow(non_camel_case_types)]
            pub struct __Slots {
                $($field: Option<$ty>,)*
            }

            impl ::core::default::Default for __Slots {
                #[inline]
                fn default() -> Self {
                    __Slots { $($field: None,)* }
                }
            }

            impl $crate::runtime::de::Keys for __Slots {
                #[inline]
                fn key(&mut self, key: &str) -> $crate::runtime::de::Result<Option<$crate::runtime::de::Field<'_>>> {
                    match key {
                        $($wire => Ok(Some($crate::runtime::de::Field {
                            slot: &mut self.$field,
                            nullable: $crate::runtime::de::null_is_absent!($take),
                        })),)*
                        _ => Ok(None),
                    }
                }
            }

            impl $crate::runtime::de::Builder<$name> for __Slots {
                // The builder is taken by value: each value moves out of its slot straight into
                // the struct in the object's slot, with no `None` written back and no copy of
                // the builder (a `mem::take` of it was 2.5 KB for an invoice).
                #[inline]
                fn build_into(self, out: &mut Option<$name>) -> $crate::runtime::de::Result<()> {
                    let __Slots { $($field,)* } = self;
                    $(let $field = $crate::runtime::de::take_field!($take, $field, $wire);)*
                    *out = Some($name { $($field,)* });
                    Ok(())
                }
            }

            impl $crate::runtime::de::Object for $name {
                type Builder = __Slots;

                #[inline]
                fn type_name(out: &mut String) {
                    out.push_str($path)
                }
            }

            $crate::runtime::de::impl_deserialize!($name);

            $crate::runtime::debug::debug_struct!($name { $($field),* });

            #[cfg(feature = "serialize")]
            $crate::runtime::ser::serialize_struct!($name { $($field = $wire => $take,)* });
        };
    };
}
pub(crate) use decode_struct;

// How a field is taken from its slot (`required`, `or_default`, `nullable`, `optional`): one
// macro per question `decode_struct!` asks of it.

/// Whether `null` leaves the field's slot empty (as an absent key does).
macro_rules! null_is_absent {
    (optional) => {
        true
    };
    (nullable) => {
        true
    };
    ($take:ident) => {
        false
    };
}
pub(crate) use null_is_absent;

/// A field's value taken from its slot in `build_into`: a required field's missing-field error
/// returns from `build_into`; `or_default` fills in the default; the others stay `Option`s.
macro_rules! take_field {
    (required, $slot:expr, $wire:literal) => {
        match $slot {
            Some(value) => value,
            None => return Err($crate::runtime::de::missing($wire)),
        }
    };
    (or_default, $slot:expr, $wire:literal) => {
        $slot.unwrap_or_default()
    };
    ($take:ident, $slot:expr, $wire:literal) => {
        $slot
    };
}
pub(crate) use take_field;
