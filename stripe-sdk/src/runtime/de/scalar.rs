//! Slots of the scalar types.

use super::{DeError, Result, Scalar, Slot};

/// `Slot` for `Option<$ty>`: the listed scalars make the value, anything else is refused.
macro_rules! scalar_slot {
    ($ty:ty = $name:literal, $expected:literal, $($pattern:pat => $value:expr),+ $(,)?) => {
        impl Slot for Option<$ty> {
            fn expected(&self) -> &'static str {
                $expected
            }

            fn type_name(out: &mut String) {
                out.push_str($name)
            }

            fn scalar(&mut self, value: Scalar<'_>) -> Result<()> {
                *self = Some(match value {
                    $($pattern => $value,)+
                    other => return Err(other.refused(self.expected())),
                });
                Ok(())
            }
        }
    };
}

scalar_slot!(String = "String", "a string", Scalar::Str(value) => value.to_owned());
scalar_slot!(bool = "bool", "a boolean", Scalar::Bool(value) => value);
scalar_slot!(u64 = "u64", "a non-negative integer", Scalar::U64(value) => value);
scalar_slot!(
    i64 = "i64",
    "an integer",
    Scalar::I64(value) => value,
    Scalar::U64(value) => i64::try_from(value).map_err(|_| Scalar::U64(value).refused("an integer that fits 64 bits"))?,
);
scalar_slot!(
    f64 = "f64",
    "a number",
    Scalar::I64(value) => value as f64,
    Scalar::U64(value) => value as f64,
    Scalar::F64(value) => value,
);
scalar_slot!(crate::Currency = "stripe_sdk::Currency", "a currency code", Scalar::Str(value) => crate::Currency::new(value));
scalar_slot!(
    crate::DateTime = "stripe_sdk::DateTime",
    "an RFC 3339 timestamp",
    Scalar::Str(value) => crate::DateTime::parse(value).map_err(|error| DeError::new(error.to_string()))?,
);
