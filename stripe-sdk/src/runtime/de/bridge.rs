//! The serde bridge: drives slots from any serde `Deserializer` and keeps the JSON path of a
//! failure; and `decode_json`, which tries the JSON reader first and the bridge for errors.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess};

use super::{
    DeError, Decode, Failure, MapReader, Result, Scalar, Segment, SeqReader, Slot, MAX_QUOTED_CHARS,
};

/// Drives a [`Slot`] from a serde `Deserializer`. A failure below it adds its path segments to
/// `trail` (innermost first) on its way up.
pub struct Seed<'a> {
    slot: &'a mut dyn Slot,
    /// Whether `null` leaves the slot empty (see [`Field`]).
    nullable: bool,
    trail: &'a mut Vec<Segment>,
}

impl Seed<'_> {
    fn visit<E: de::Error>(self, value: Scalar<'_>) -> std::result::Result<(), E> {
        self.slot.scalar(value).map_err(|err| raise(self.trail, err))
    }
}

/// A slot's or builder's failure as the deserializer's error, its path kept in `trail`.
fn raise<E: de::Error>(trail: &mut Vec<Segment>, err: DeError) -> E {
    let Failure { message, path } = *err.0;
    trail.extend(path);
    E::custom(message)
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slot.expected())
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        if self.nullable {
            return Ok(());
        }
        self.visit(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<(), E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> std::result::Result<(), E> {
        self.visit(Scalar::Bool(value))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> std::result::Result<(), E> {
        self.visit(Scalar::I64(value))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> std::result::Result<(), E> {
        self.visit(Scalar::U64(value))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> std::result::Result<(), E> {
        self.visit(Scalar::F64(value))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> std::result::Result<(), E> {
        self.visit(Scalar::Str(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> std::result::Result<(), A::Error> {
        let mut entries = SerdeMap {
            access,
            key: Some(""),
            escaped: String::new(),
            error: None,
            trail: &mut *self.trail,
        };
        let decoded = self.slot.map(&mut entries);
        let error = entries.error;
        first_error(decoded, error, self.trail)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, access: A) -> std::result::Result<(), A::Error> {
        let mut elements = SerdeSeq {
            access,
            index: 0,
            error: None,
            trail: &mut *self.trail,
            _de: std::marker::PhantomData,
        };
        let decoded = self.slot.seq(&mut elements);
        let error = elements.error;
        first_error(decoded, error, self.trail)
    }
}

/// The outcome of a slot that read from a deserializer: the deserializer's own error if it
/// failed (its path already in `trail`), else the slot's.
fn first_error<E: de::Error>(
    decoded: Result<()>,
    error: Option<E>,
    trail: &mut Vec<Segment>,
) -> std::result::Result<(), E> {
    match error {
        Some(error) => Err(error),
        None => decoded.map_err(|err| raise(trail, err)),
    }
}

/// The error a reader returns to the slot when the deserializer failed: the slot passes it up
/// unread, and the bridge returns the deserializer's error it kept.
fn deserializer_failed() -> DeError {
    DeError::new(String::new())
}

/// A serde `MapAccess` as a [`MapReader`]. The deserializer's error is kept here, the key of the
/// value that failed added to `trail`.
struct SerdeMap<'t, 'de, A: MapAccess<'de>> {
    access: A,
    /// The current key, borrowed from the input, or `None` when it had to be unescaped into
    /// `escaped`. Returned from registers, not reloaded from a `Cow` just written (a store
    /// forwarding stall on every key in profiles).
    key: Option<&'de str>,
    escaped: String,
    error: Option<A::Error>,
    trail: &'t mut Vec<Segment>,
}

impl<'de, A: MapAccess<'de>> SerdeMap<'_, 'de, A> {
    fn keep(&mut self, error: A::Error) -> DeError {
        self.error = Some(error);
        deserializer_failed()
    }
}

impl<'de, A: MapAccess<'de>> MapReader for SerdeMap<'_, 'de, A> {
    fn next_key(&mut self) -> Result<Option<&str>> {
        match self.access.next_key_seed(KeySeed { buffer: &mut self.escaped }) {
            Ok(Some(Some(key))) => {
                self.key = Some(key);
                Ok(Some(key))
            }
            Ok(Some(None)) => {
                self.key = None;
                Ok(Some(&self.escaped))
            }
            Ok(None) => Ok(None),
            Err(error) => Err(self.keep(error)),
        }
    }

    fn value(&mut self, slot: &mut dyn Slot, nullable: bool) -> Result<()> {
        let seed = Seed { slot, nullable, trail: &mut *self.trail };
        self.access.next_value_seed(seed).map_err(|error| {
            let key = self.key.unwrap_or(&self.escaped);
            self.trail.push(Segment::Key(crate::error::shorten(key, MAX_QUOTED_CHARS)));
            self.keep(error)
        })
    }

    fn skip(&mut self) -> Result<()> {
        match self.access.next_value::<IgnoredAny>() {
            Ok(_) => Ok(()),
            Err(error) => Err(self.keep(error)),
        }
    }
}

/// A serde `SeqAccess` as a [`SeqReader`], like [`SerdeMap`].
struct SerdeSeq<'t, 'de, A: SeqAccess<'de>> {
    access: A,
    index: usize,
    error: Option<A::Error>,
    trail: &'t mut Vec<Segment>,
    _de: std::marker::PhantomData<&'de ()>,
}

impl<'de, A: SeqAccess<'de>> SeqReader for SerdeSeq<'_, 'de, A> {
    fn next(&mut self, slot: &mut dyn Slot) -> Result<bool> {
        match self.access.next_element_seed(Seed { slot, nullable: false, trail: &mut *self.trail })
        {
            Ok(Some(())) => {
                self.index += 1;
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(error) => {
                self.trail.push(Segment::Index(self.index));
                self.error = Some(error);
                Err(deserializer_failed())
            }
        }
    }
}

/// Reads a map key: `Some` borrowed from the input where it has no escapes, else `None` with the
/// unescaped key written into `buffer`.
struct KeySeed<'b> {
    buffer: &'b mut String,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<&'de str>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Option<&'de str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> de::Visitor<'de> for KeySeed<'_> {
    type Value = Option<&'de str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(
        self,
        value: &'de str,
    ) -> std::result::Result<Option<&'de str>, E> {
        Ok(Some(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> std::result::Result<Option<&'de str>, E> {
        self.buffer.clear();
        self.buffer.push_str(value);
        Ok(None)
    }
}

/// `serde::Deserialize` for the generated types: decodes through their slots.
pub fn deserialize<'de, D: Deserializer<'de>, T: Decode>(
    deserializer: D,
) -> std::result::Result<T, D::Error> {
    let mut out = None;
    let mut trail = Vec::new();
    Seed { slot: T::slot(&mut out), nullable: false, trail: &mut trail }
        .deserialize(deserializer)?;
    out.ok_or_else(|| de::Error::custom("no value"))
}

/// A failure to decode JSON text: serde_json's error (with line and column) and the JSON path
/// of the value that failed (`.` for the whole document, `data[0].amount`).
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    pub path: String,
    pub error: serde_json::Error,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.error)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Decodes JSON text into a Stripe type as the client does (a stored object, a webhook body
/// you verified yourself), naming the JSON path of a failure. It decodes what
/// `serde_json::from_slice` decodes, into the same value, faster: it reads the text itself and
/// leaves it to serde_json only to describe a failure.
///
/// ```
/// let body = br#"{"id": "cus_1", "object": "customer", "created": "yesterday", "livemode": false}"#;
/// let err = stripe_sdk::decode_json::<stripe_sdk::Customer>(body).unwrap_err();
/// assert_eq!(err.path, "created");
/// ```
pub fn decode_json<T: Decode>(bytes: &[u8]) -> std::result::Result<T, DecodeError> {
    // One UTF-8 check of the whole text is faster than serde_json's check of each string.
    let text = std::str::from_utf8(bytes);
    if let Ok(text) = text {
        let mut out = None;
        if super::json::read(text, T::slot(&mut out)).is_ok() {
            if let Some(value) = out {
                return Ok(value);
            }
        }
    }
    // The fast reader failed: serde_json reads the text again, for an error with the line, the
    // column and the JSON path (text that is not UTF-8 is read as bytes, for the position).
    let mut out = None;
    let mut trail = Vec::new();
    let seed = Seed { slot: T::slot(&mut out), nullable: false, trail: &mut trail };
    let decoded = match text {
        Ok(text) => read(seed, serde_json::Deserializer::from_str(text)),
        Err(_) => read(seed, serde_json::Deserializer::from_slice(bytes)),
    };
    if let Err(error) = decoded {
        return Err(DecodeError { path: render(&trail), error });
    }
    out.ok_or_else(|| DecodeError { path: ".".to_owned(), error: de::Error::custom("no value") })
}

/// Drives `seed` over the whole of the JSON text.
fn read<'de, R: serde_json::de::Read<'de>>(
    seed: Seed<'_>,
    mut deserializer: serde_json::Deserializer<R>,
) -> serde_json::Result<()> {
    seed.deserialize(&mut deserializer)?;
    deserializer.end()
}

/// `a.b[0].c` from segments innermost first; `.` when empty.
pub(super) fn render(trail: &[Segment]) -> String {
    if trail.is_empty() {
        return ".".to_owned();
    }
    let mut path = String::new();
    for segment in trail.iter().rev() {
        match segment {
            Segment::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Index(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// Implements `serde::Deserialize` for generated types through their slots.
macro_rules! impl_deserialize {
    ($($name:ty),* $(,)?) => {
        $(
            impl<'de> ::serde::Deserialize<'de> for $name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    $crate::runtime::de::deserialize(deserializer)
                }
            }
        )*
    };
}
pub(crate) use impl_deserialize;
