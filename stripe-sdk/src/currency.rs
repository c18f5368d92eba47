//! [`Currency`]: a three-letter ISO 4217 code, as Stripe's `format: currency` strings carry it.

use std::fmt;
use std::str::FromStr;

/// A currency, as Stripe sends it: a lower-case ISO 4217 code (`usd`, `eur`, `jpy`).
///
/// Any code decodes, including ones this SDK has no constant for: Stripe adds currencies without
/// a new API version, so an unknown code is kept as it came. Codes given in upper case
/// (`Currency::new("USD")`) are stored in lower case, the form Stripe sends and accepts. A
/// three-letter code is held inline (no allocation); comparing, hashing and cloning are cheap.
///
/// ```
/// use stripe_sdk::Currency;
/// let eur: Currency = "EUR".parse().unwrap();
/// assert_eq!(eur, Currency::EUR);
/// assert_eq!(eur.as_str(), "eur");
/// assert_eq!(Currency::new("xyz").to_string(), "xyz");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(Repr);

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    /// Three ASCII lower-case letters.
    Code([u8; 3]),
    /// Anything else Stripe might send (kept, never refused).
    Other(Box<str>),
}

macro_rules! constants {
    ($($name:ident = $code:literal, $what:literal;)*) => {
        impl Currency {
            $(
                #[doc = concat!($what, " (`", $code, "`).")]
                pub const $name: Currency = Currency::literal($code);
            )*
        }
    };
}

constants! {
    USD = "usd", "United States dollar";
    EUR = "eur", "Euro";
    GBP = "gbp", "Pound sterling";
    JPY = "jpy", "Japanese yen";
    CAD = "cad", "Canadian dollar";
    AUD = "aud", "Australian dollar";
    NZD = "nzd", "New Zealand dollar";
    CHF = "chf", "Swiss franc";
    SEK = "sek", "Swedish krona";
    NOK = "nok", "Norwegian krone";
    DKK = "dkk", "Danish krone";
    PLN = "pln", "Polish złoty";
    CZK = "czk", "Czech koruna";
    HUF = "huf", "Hungarian forint";
    CNY = "cny", "Chinese yuan";
    HKD = "hkd", "Hong Kong dollar";
    SGD = "sgd", "Singapore dollar";
    INR = "inr", "Indian rupee";
    BRL = "brl", "Brazilian real";
    MXN = "mxn", "Mexican peso";
    KRW = "krw", "South Korean won";
    THB = "thb", "Thai baht";
    MYR = "myr", "Malaysian ringgit";
    AED = "aed", "United Arab Emirates dirham";
    ZAR = "zar", "South African rand";
}

impl Currency {
    const fn code(code: [u8; 3]) -> Currency {
        Currency(Repr::Code(code))
    }

    /// A constant's code: three lower-case ASCII letters.
    const fn literal(code: &str) -> Currency {
        let bytes = code.as_bytes();
        Currency::code([bytes[0], bytes[1], bytes[2]])
    }

    /// The currency of `code`, in lower case.
    pub fn new(code: &str) -> Currency {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|byte| byte.is_ascii_alphabetic()) => {
                Currency::code([
                    a.to_ascii_lowercase(),
                    b.to_ascii_lowercase(),
                    c.to_ascii_lowercase(),
                ])
            }
            _ => Currency(Repr::Other(code.to_ascii_lowercase().into_boxed_str())),
        }
    }

    /// The code as Stripe sends it (`usd`).
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always ASCII letters (see `new`); the fallback cannot be reached.
            Repr::Code(code) => std::str::from_utf8(code).unwrap_or_default(),
            Repr::Other(other) => other,
        }
    }
}

impl AsRef<str> for Currency {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({:?})", self.as_str())
    }
}

impl FromStr for Currency {
    type Err = std::convert::Infallible;
    fn from_str(code: &str) -> Result<Currency, Self::Err> {
        Ok(Currency::new(code))
    }
}

impl From<&str> for Currency {
    fn from(code: &str) -> Currency {
        Currency::new(code)
    }
}

impl From<String> for Currency {
    fn from(code: String) -> Currency {
        Currency::new(&code)
    }
}

impl PartialEq<str> for Currency {
    fn eq(&self, other: &str) -> bool {
        self.as_str().eq_ignore_ascii_case(other)
    }
}

impl PartialEq<&str> for Currency {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Currency, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Currency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a currency code")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Currency, E> {
                Ok(Currency::new(code))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_lower_case_and_inline() {
        assert_eq!(Currency::new("USD"), Currency::USD);
        assert_eq!(Currency::new("usd").as_str(), "usd");
        assert!(matches!(Currency::new("Jpy").0, Repr::Code(_)));
        assert_eq!(Currency::EUR, "EUR");
    }

    #[test]
    fn unknown_values_are_kept() {
        let odd = Currency::new("usdc");
        assert_eq!(odd.as_str(), "usdc");
        assert_eq!(Currency::new("").as_str(), "");
        assert_eq!(Currency::new("€€€").as_str(), "€€€");
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"usdc\"");
        let back: Currency = serde_json::from_str("\"xts\"").unwrap();
        assert_eq!(back.to_string(), "xts");
    }
}
