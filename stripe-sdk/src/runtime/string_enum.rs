//! Serde support for Stripe's string enums, which keep values they do not know.

/// Implements `Display`, `FromStr`, `Serialize`, `Deserialize` and decoding for a generated string enum
/// from its `as_str` method and its `From<&str>` conversion.
macro_rules! impl_string_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl $crate::runtime::de::Slot for Option<$name> {
            fn expected(&self) -> &'static str {
                "a string"
            }

            fn scalar(
                &mut self,
                value: $crate::runtime::de::Scalar<'_>,
            ) -> $crate::runtime::de::Result<()> {
                match value {
                    $crate::runtime::de::Scalar::Str(value) => *self = Some($name::from(value)),
                    other => return Err(other.refused(self.expected())),
                }
                Ok(())
            }
        }

        $crate::runtime::de::impl_deserialize!($name);
    };
}
pub(crate) use impl_string_enum;
