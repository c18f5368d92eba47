//! Serde support for Stripe's string enums, which keep values they do not know.

/// Implements `PartialEq`, `Eq`, `Hash`, `Display`, `FromStr`, `Serialize`, `Deserialize` and
/// decoding for a generated string enum from its `as_str` method and its `From<&str>` conversion.
/// Equality and hashing are those of the values as Stripe sends them, so a value this SDK does not
/// know equals itself (`Unknown("x") == Unknown("x")`) and a known value equals its variant
/// however it was built (`Unknown("auto") == Auto`); each is one comparison of strings, not a
/// derived `match` over every variant.
macro_rules! impl_string_enum {
    ($name:ident = $path:literal) => {
        impl ::core::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::core::cmp::Eq for $name {}

        impl ::core::hash::Hash for $name {
            #[inline]
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(self.as_str(), state)
            }
        }

        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            #[inline]
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
            #[inline]
            fn expected(&self) -> &'static str {
                "a string"
            }

            #[inline]
            fn type_name(out: &mut String) {
                out.push_str($path)
            }

            #[inline]
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
