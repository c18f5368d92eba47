//! Stripe's form encoding, for request bodies and query strings: nested objects as `a[b][c]=v`,
//! arrays indexed as `a[0]=v`, booleans as `true`/`false`, `None` left out, and the empty string
//! for a field being unset.
//!
//! Parameters go through a `serde::Serializer` that emits each pair as soon as it reaches a
//! scalar. It keeps one key buffer: entering a field, map entry, enum variant or array element
//! appends `[name]` or `[index]` (a bare `name` at the top level), and leaving it truncates the
//! buffer back. [`encode`] builds the key already percent-encoded and writes pairs straight into
//! its output; [`pairs`] collects them unescaped. The result is what converting to a
//! `serde_json::Value` and flattening it gives: `null` (and so `None`, `()`, NaN and the
//! infinities) is left out, numbers are printed by `serde_json::Number`, and map keys are turned
//! into text the way `serde_json` does it.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Impossible, Serialize};

/// Why parameters could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode request parameters: {0}")]
pub struct EncodeError(String);

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EncodeError(message.into())
    }
}

/// Encodes `params` as `application/x-www-form-urlencoded` in Stripe's bracket notation. Keys are
/// written in field order; brackets are left unescaped, as Stripe's own SDKs send them.
pub fn encode<P: Serialize + ?Sized>(params: &P) -> Result<String, EncodeError> {
    serialize(params, Escaped(String::with_capacity(256))).map(|sink| sink.0)
}

/// The `(name, value)` pairs of `params` in Stripe's bracket notation, not yet percent-encoded
/// (multipart bodies send them as text parts).
pub fn pairs<P: Serialize + ?Sized>(params: &P) -> Result<Vec<(String, String)>, EncodeError> {
    serialize(params, PairList(Vec::new())).map(|sink| sink.0)
}

/// Serializes `params` into `sink`.
fn serialize<P: Serialize + ?Sized, S: Sink>(params: &P, sink: S) -> Result<S, EncodeError> {
    let mut form = Form { sink, key: String::with_capacity(64), text: String::new() };
    match params.serialize(Field::top(&mut form)) {
        Ok(()) => Ok(form.sink),
        Err(Error::Message(message)) => Err(EncodeError(message)),
        Err(Error::NotAnObject) => Err(not_an_object(params)),
    }
}

/// The error for parameters that are not an object, which shows them as JSON (a rare path, so it
/// may take the slow way).
fn not_an_object<P: Serialize + ?Sized>(params: &P) -> EncodeError {
    match serde_json::to_value(params) {
        Ok(value) => EncodeError(format!("parameters must be an object, not {value}")),
        Err(err) => EncodeError(err.to_string()),
    }
}

/// Where the pairs go, and how their keys are spelled.
trait Sink {
    /// Appends a name (a field, a map key or an enum variant) to a key being built.
    fn push_name(key: &mut String, name: &str);

    /// Takes one pair, whose key was built with [`Sink::push_name`].
    fn pair(&mut self, key: &str, value: &str);
}

/// A form-encoded body. Keys are built escaped (escaping works byte by byte, so escaping each
/// name as it is appended gives the escaped key).
struct Escaped(String);

impl Sink for Escaped {
    fn push_name(key: &mut String, name: &str) {
        escape_into(name, Part::Key, key);
    }

    fn pair(&mut self, key: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.push_str(key);
        self.0.push('=');
        escape_into(value, Part::Value, &mut self.0);
    }
}

/// Pairs as they are.
struct PairList(Vec<(String, String)>);

impl Sink for PairList {
    fn push_name(key: &mut String, name: &str) {
        key.push_str(name);
    }

    fn pair(&mut self, key: &str, value: &str) {
        self.0.push((key.to_owned(), value.to_owned()));
    }
}

/// The serializer's state, which all its parts borrow in turn.
struct Form<S> {
    sink: S,
    /// The key of the value being serialized, e.g. `shipping[address][line1]`.
    key: String,
    /// Room to print a number (or anything else `Display`) before it is emitted.
    text: String,
}

impl<S: Sink> Form<S> {
    /// Appends a name to the key: bare at the top level, else as `[name]`.
    fn push_name(&mut self, name: &str, top: bool) {
        if top {
            S::push_name(&mut self.key, name);
        } else {
            self.key.push('[');
            S::push_name(&mut self.key, name);
            self.key.push(']');
        }
    }

    /// Appends an array index to the key, as `[index]`.
    fn push_index(&mut self, index: usize) -> Result<(), Error> {
        Ok(write!(self.key, "[{index}]")?)
    }

    /// Appends `name`'s text to the key, e.g. a map key that is a number.
    fn push_display_name(&mut self, name: impl Display) -> Result<(), Error> {
        self.text.clear();
        write!(self.text, "{name}")?;
        S::push_name(&mut self.key, &self.text);
        Ok(())
    }

    /// Emits the current key with `value`.
    fn pair(&mut self, value: &str) -> Result<(), Error> {
        self.sink.pair(&self.key, value);
        Ok(())
    }

    /// Emits the current key with `value`'s text.
    fn pair_display(&mut self, value: impl Display) -> Result<(), Error> {
        self.text.clear();
        write!(self.text, "{value}")?;
        self.sink.pair(&self.key, &self.text);
        Ok(())
    }

    /// Emits a float as `serde_json` prints it, or nothing if it is not finite (JSON's `null`).
    fn pair_float(&mut self, value: f64) -> Result<(), Error> {
        match serde_json::Number::from_f64(value) {
            Some(number) => self.pair_display(number),
            None => Ok(()),
        }
    }
}

/// The serializer's own error, turned into an [`EncodeError`] at the end.
#[derive(Debug)]
enum Error {
    /// The reason, worded as `serde_json::to_value` words it.
    Message(String),
    /// The top-level value is not an object (see [`not_an_object`]).
    NotAnObject,
}

impl Error {
    fn message(message: &str) -> Self {
        Error::Message(message.to_owned())
    }
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Message(message) => f.write_str(message),
            Error::NotAnObject => f.write_str("parameters must be an object"),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(message: T) -> Self {
        Error::Message(message.to_string())
    }
}

impl From<fmt::Error> for Error {
    fn from(_: fmt::Error) -> Self {
        Error::message("a Display implementation returned an error")
    }
}

/// Implements `Serializer` methods that hand their value to the serializer's `display` method
/// (the integers, printed as they are).
macro_rules! display {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method(self, value: $ty) -> Result<(), Error> {
                self.display(value)
            }
        )*
    };
}

/// Implements `Serializer` methods that take no value to serialize and all fail with one error.
macro_rules! reject {
    ($error:expr => $($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ok, Error> {
                Err($error)
            }
        )*
    };
}

/// Serializes one value under the current key: a scalar becomes a pair, anything with parts
/// becomes a pair per part. At the `top`, the value is the parameters themselves, which must be
/// an object (a struct, a map or an enum variant with data, under its name) or nothing at all
/// (`None`, `()`, a float that is not finite): their names are appended bare, and anything
/// else fails with [`Error::NotAnObject`].
struct Field<'a, S> {
    form: &'a mut Form<S>,
    top: bool,
}

impl<'a, S: Sink> Field<'a, S> {
    fn top(form: &'a mut Form<S>) -> Self {
        Field { form, top: true }
    }

    fn part(form: &'a mut Form<S>) -> Self {
        Field { form, top: false }
    }

    /// Emits a value's text as one pair.
    fn display(self, value: impl Display) -> Result<(), Error> {
        self.leaf(|form| form.pair_display(value))
    }

    /// Emits a value that is one pair, which the parameters themselves cannot be.
    fn leaf(self, emit: impl FnOnce(&mut Form<S>) -> Result<(), Error>) -> Result<(), Error> {
        if self.top {
            return Err(Error::NotAnObject);
        }
        emit(self.form)
    }

    /// A sequence or a tuple: one pair per element, not an object.
    fn elements(self) -> Result<Compound<'a, S>, Error> {
        if self.top {
            return Err(Error::NotAnObject);
        }
        Ok(Compound::new(self.form, false))
    }

    /// Serializes an enum variant's data under the variant's name, as `serde_json` does.
    fn variant<T: Serialize + ?Sized>(self, variant: &str, value: &T) -> Result<(), Error> {
        let outer = self.form.key.len();
        self.form.push_name(variant, self.top);
        value.serialize(Field::part(&mut *self.form))?;
        self.form.key.truncate(outer);
        Ok(())
    }
}

impl<'a, S: Sink> ser::Serializer for Field<'a, S> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, S>;
    type SerializeTuple = Compound<'a, S>;
    type SerializeTupleStruct = Compound<'a, S>;
    type SerializeTupleVariant = Compound<'a, S>;
    type SerializeMap = Compound<'a, S>;
    type SerializeStruct = Compound<'a, S>;
    type SerializeStructVariant = Compound<'a, S>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.leaf(|form| form.pair(if value { "true" } else { "false" }))
    }

    display! {
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
    }

    /// Like `serde_json`, takes what fits in an `i64` or a `u64`.
    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        self.leaf(|form| {
            if i64::try_from(value).is_err() && u64::try_from(value).is_err() {
                return Err(Error::message("number out of range"));
            }
            form.pair_display(value)
        })
    }

    /// Like `serde_json`, takes what fits in a `u64`.
    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        self.leaf(|form| {
            if u64::try_from(value).is_err() {
                return Err(Error::message("number out of range"));
            }
            form.pair_display(value)
        })
    }

    /// Printed as the `f64` it widens to, as `serde_json` does.
    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(value))
    }

    /// A float that is not finite is JSON's `null`, so nothing (at the top too).
    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        if !value.is_finite() {
            return Ok(());
        }
        self.leaf(|form| form.pair_float(value))
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        self.leaf(|form| form.pair(value.encode_utf8(&mut [0; 4])))
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.leaf(|form| form.pair(value))
    }

    /// Bytes are an array of numbers, as in `serde_json`.
    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        self.leaf(|form| {
            let outer = form.key.len();
            for (index, byte) in value.iter().enumerate() {
                form.push_index(index)?;
                form.pair_display(byte)?;
                form.key.truncate(outer);
            }
            Ok(())
        })
    }

    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.leaf(|form| form.pair(variant))
    }

    fn serialize_newtype_struct<T>(self, _: &'static str, value: &T) -> Result<(), Error>
    where
        T: Serialize + ?Sized,
    {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error>
    where
        T: Serialize + ?Sized,
    {
        self.variant(variant, value)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, S>, Error> {
        self.elements()
    }

    fn serialize_tuple(self, _: usize) -> Result<Compound<'a, S>, Error> {
        self.elements()
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a, S>, Error> {
        self.elements()
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, S>, Error> {
        Ok(Compound::variant(self.form, variant, self.top))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, S>, Error> {
        Ok(Compound::new(self.form, self.top))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a, S>, Error> {
        Ok(Compound::new(self.form, self.top))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, S>, Error> {
        Ok(Compound::variant(self.form, variant, self.top))
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.leaf(|form| form.pair_display(value))
    }
}

/// The parts of a struct, map, array or tuple (or of an enum variant shaped like one), each
/// serialized under its own key segment.
struct Compound<'a, S> {
    form: &'a mut Form<S>,
    /// Whether names are appended bare, as the parameters' own fields are.
    top: bool,
    /// The length of this compound's key; each part's segment is cut off back to it.
    base: usize,
    /// The key length to go back to at the end: shorter than `base` under a variant's name.
    outer: usize,
    /// The index of the next array element.
    index: usize,
}

impl<'a, S: Sink> Compound<'a, S> {
    fn new(form: &'a mut Form<S>, top: bool) -> Self {
        let base = form.key.len();
        Compound { form, top, base, outer: base, index: 0 }
    }

    /// The parts of an enum variant, under the variant's name.
    fn variant(form: &'a mut Form<S>, variant: &str, top: bool) -> Self {
        let outer = form.key.len();
        form.push_name(variant, top);
        Compound { outer, ..Compound::new(form, false) }
    }

    /// Serializes the next array element, under `[index]`.
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.form.push_index(self.index)?;
        self.index += 1;
        self.value(value)
    }

    /// Serializes a struct field, under its name.
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.form.push_name(name, self.top);
        self.value(value)
    }

    /// Appends a map key to the key; [`Compound::value`] follows.
    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.form.key.truncate(self.base);
        if self.top {
            key.serialize(MapKey(&mut *self.form))
        } else {
            self.form.key.push('[');
            key.serialize(MapKey(&mut *self.form))?;
            self.form.key.push(']');
            Ok(())
        }
    }

    /// Serializes a part whose segment is on the key, then cuts the segment off.
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Field::part(&mut *self.form))?;
        self.form.key.truncate(self.base);
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.form.key.truncate(self.outer);
        Ok(())
    }
}

/// The serde traits whose values are elements of an array: each gets the next `[index]`.
macro_rules! element_impls {
    ($($trait:ident::$method:ident),*) => {$(
        impl<S: Sink> ser::$trait for Compound<'_, S> {
            type Ok = ();
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }

            fn end(self) -> Result<(), Error> {
                Compound::end(self)
            }
        }
    )*};
}

element_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The serde traits whose values are named fields: each gets `[name]`.
macro_rules! field_impls {
    ($($trait:ident),*) => {$(
        impl<S: Sink> ser::$trait for Compound<'_, S> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T>(&mut self, name: &'static str, value: &T) -> Result<(), Error>
            where
                T: Serialize + ?Sized,
            {
                self.field(name, value)
            }

            fn end(self) -> Result<(), Error> {
                Compound::end(self)
            }
        }
    )*};
}

field_impls!(SerializeStruct, SerializeStructVariant);

impl<S: Sink> ser::SerializeMap for Compound<'_, S> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }

    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// Appends a map key to the key, turned into text as `serde_json` does: strings, chars, unit
/// variants, booleans and numbers are taken; anything else is an error.
struct MapKey<'a, S>(&'a mut Form<S>);

impl<S: Sink> MapKey<'_, S> {
    /// A key's text, appended to the key (a map key that is a number).
    fn display(self, value: impl Display) -> Result<(), Error> {
        self.0.push_display_name(value)
    }

    /// A float key, printed as `serde_json` prints it (as an `f32` if it is one).
    fn float<F: Serialize>(self, value: F, finite: bool) -> Result<(), Error> {
        if !finite {
            return Err(Error::message("float key must be finite (got NaN or +/-inf)"));
        }
        let text = serde_json::to_string(&value).map_err(<Error as ser::Error>::custom)?;
        S::push_name(&mut self.0.key, &text);
        Ok(())
    }
}

impl<S: Sink> ser::Serializer for MapKey<'_, S> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        S::push_name(&mut self.0.key, value);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        self.serialize_str(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.serialize_str(if value { "true" } else { "false" })
    }

    display! {
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        self.float(value, value.is_finite())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        self.float(value, value.is_finite())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T>(self, _: &'static str, value: &T) -> Result<(), Error>
    where
        T: Serialize + ?Sized,
    {
        value.serialize(self)
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.0.push_display_name(value)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(Error::message("key must be a string"))
    }

    fn serialize_newtype_variant<T>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error>
    where
        T: Serialize + ?Sized,
    {
        Err(Error::message("key must be a string"))
    }

    reject! { Error::message("key must be a string") =>
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

/// What a percent-encoded piece of text is, which decides the few characters left as they are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// A form key: brackets stay, space is `+`.
    Key,
    /// A form value: space is `+`.
    Value,
    /// A URL path segment: only unreserved characters stay.
    Path,
}

/// Percent-encodes everything but unreserved characters (RFC 3986), with `part`'s exceptions.
pub(super) fn escape_into(text: &str, part: Part, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            b'[' | b']' if part == Part::Key => out.push(char::from(byte)),
            b' ' if part != Part::Path => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Metadata, Unsettable};
    use serde::{Serialize, Serializer};
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    enum Interval {
        #[serde(rename = "day")]
        Day,
        #[serde(rename = "a b&c")]
        Odd,
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Source {
        Token(String),
        Card(Card),
    }

    #[derive(Serialize, Default)]
    struct Card {
        #[serde(skip_serializing_if = "Option::is_none")]
        number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        exp_month: Option<i64>,
    }

    #[derive(Serialize, Default)]
    struct Address {
        #[serde(skip_serializing_if = "Option::is_none")]
        city: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line1: Option<String>,
    }

    #[derive(Serialize)]
    struct Shipping {
        address: Address,
        name: String,
    }

    #[derive(Serialize)]
    struct Item {
        price: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        tax_rates: Option<Unsettable<Vec<String>>>,
    }

    #[derive(Serialize, Default)]
    struct Nothing {}

    #[derive(Serialize)]
    struct Params {
        amount: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        interval: Option<Interval>,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<Unsettable<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        metadata: Option<Unsettable<Metadata>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        shipping: Option<Shipping>,
        #[serde(skip_serializing_if = "Option::is_none")]
        items: Option<Vec<Item>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<Source>,
        #[serde(skip_serializing_if = "Option::is_none")]
        expand: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        confirm: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reset: Option<Option<i64>>,
        empty: Nothing,
        #[serde(rename = "odd key")]
        odd: Option<String>,
    }

    fn params() -> Params {
        Params {
            amount: 2000,
            interval: Some(Interval::Odd),
            description: Some(Unsettable::Unset),
            metadata: Some(Unsettable::Set(Metadata::from([
                ("order id".to_owned(), "6735".to_owned()),
                ("ü[x]".to_owned(), "✓ &=+%".to_owned()),
            ]))),
            shipping: Some(Shipping {
                address: Address { city: Some("São Paulo".into()), line1: None },
                name: "Jenny Rosen".into(),
            }),
            items: Some(vec![
                Item { price: "price_1".into(), tax_rates: Some(Unsettable::Unset) },
                Item {
                    price: "price_2".into(),
                    tax_rates: Some(Unsettable::Set(vec!["txr_1".into(), "txr_2".into()])),
                },
                Item { price: "price_3".into(), tax_rates: Some(Unsettable::Set(vec![])) },
            ]),
            source: Some(Source::Card(Card { number: Some("4242".into()), exp_month: Some(12) })),
            expand: Some(vec![]),
            confirm: Some(false),
            reset: Some(None),
            empty: Nothing {},
            odd: Some(String::new()),
        }
    }

    #[test]
    fn encodes_nested_objects_arrays_and_scalars() {
        let params = json!({
            "customer": "cus_123",
            "expand": ["data.customer", "data.invoice"],
            "items": [{"price": "price_1", "quantity": 2}],
            "metadata": {"order id": "6735"},
            "flag": true,
            "skipped": null,
            "unset": "",
            "return_url": "https://example.com/a?b=c"
        });
        assert_eq!(
            encode(&params).unwrap(),
            "customer=cus_123&expand[0]=data.customer&expand[1]=data.invoice&items[0][price]=price_1\
             &items[0][quantity]=2&metadata[order+id]=6735&flag=true&unset=\
             &return_url=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc"
        );
    }

    #[test]
    fn rejects_non_objects() {
        assert!(encode(&json!([1])).is_err());
        assert_eq!(encode(&json!(null)).unwrap(), "");
    }

    #[test]
    fn encodes_structs_like_the_generated_ones() {
        let mut params = params();
        assert_eq!(
            encode(&params).unwrap(),
            "amount=2000&interval=a+b%26c&description=&metadata[order+id]=6735\
             &metadata[%C3%BC[x]]=%E2%9C%93+%26%3D%2B%25&shipping[address][city]=S%C3%A3o+Paulo\
             &shipping[name]=Jenny+Rosen&items[0][price]=price_1&items[0][tax_rates]=\
             &items[1][price]=price_2&items[1][tax_rates][0]=txr_1&items[1][tax_rates][1]=txr_2\
             &items[2][price]=price_3&source[number]=4242&source[exp_month]=12&confirm=false&odd+key="
        );
        params.interval = Some(Interval::Day);
        params.metadata = Some(Unsettable::Unset);
        params.shipping = None;
        params.items = None;
        params.source = Some(Source::Token("tok visa".into()));
        params.reset = Some(Some(-1));
        assert_eq!(
            encode(&params).unwrap(),
            "amount=2000&interval=day&description=&metadata=&source=tok+visa&confirm=false&reset=-1&odd+key="
        );
    }

    #[test]
    fn pairs_are_not_escaped() {
        let pairs = pairs(&params()).unwrap();
        let expected = [
            ("amount", "2000"),
            ("interval", "a b&c"),
            ("description", ""),
            ("metadata[order id]", "6735"),
            ("metadata[ü[x]]", "✓ &=+%"),
            ("shipping[address][city]", "São Paulo"),
            ("shipping[name]", "Jenny Rosen"),
            ("items[0][price]", "price_1"),
            ("items[0][tax_rates]", ""),
            ("items[1][price]", "price_2"),
            ("items[1][tax_rates][0]", "txr_1"),
            ("items[1][tax_rates][1]", "txr_2"),
            ("items[2][price]", "price_3"),
            ("source[number]", "4242"),
            ("source[exp_month]", "12"),
            ("confirm", "false"),
            ("odd key", ""),
        ];
        let expected: Vec<(String, String)> =
            expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn formats_numbers_as_serde_json_does() {
        let floats = [1.0, 0.1, 1e21, 1e-7, -0.0, 100.0, 1.5e300, f64::NAN, f64::INFINITY];
        assert_eq!(
            encode(&BTreeMap::from([("f", floats)])).unwrap(),
            "f[0]=1.0&f[1]=0.1&f[2]=1e%2B21&f[3]=1e-7&f[4]=-0.0&f[5]=100.0&f[6]=1.5e%2B300"
        );
        assert_eq!(
            encode(&BTreeMap::from([("i", [i64::MIN, 0, i64::MAX])])).unwrap(),
            "i[0]=-9223372036854775808&i[1]=0&i[2]=9223372036854775807"
        );
        assert_eq!(encode(&BTreeMap::from([("u", u64::MAX)])).unwrap(), "u=18446744073709551615");
        // An `f32` is printed as the `f64` it widens to.
        assert_eq!(encode(&BTreeMap::from([("f", 0.1f32)])).unwrap(), "f=0.10000000149011612");
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        New(i64),
        Tuple(i64, &'static str),
        Struct { a: i64, b: Option<i64> },
    }

    struct Bytes(&'static [u8]);

    impl Serialize for Bytes {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    struct Failing;

    impl Serialize for Failing {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no good"))
        }
    }

    #[test]
    fn encodes_other_serde_shapes_as_json_would() {
        let shapes =
            [Shape::Unit, Shape::New(1), Shape::Tuple(2, "x"), Shape::Struct { a: 3, b: None }];
        assert_eq!(
            encode(&BTreeMap::from([("s", shapes)])).unwrap(),
            "s[0]=Unit&s[1][New]=1&s[2][Tuple][0]=2&s[2][Tuple][1]=x&s[3][Struct][a]=3"
        );
        assert_eq!(encode(&Shape::Struct { a: 3, b: Some(4) }).unwrap(), "Struct[a]=3&Struct[b]=4");
        assert_eq!(encode(&Shape::New(5)).unwrap(), "New=5");
        assert_eq!(encode(&BTreeMap::from([("b", Bytes(b"h\xff"))])).unwrap(), "b[0]=104&b[1]=255");
        assert_eq!(encode(&BTreeMap::from([("t", (1, 'c', ()))])).unwrap(), "t[0]=1&t[1]=c");
        assert_eq!(
            encode(&BTreeMap::from([(1, "one"), (-2, "minus two")])).unwrap(),
            "-2=minus+two&1=one"
        );
        assert_eq!(
            encode(&BTreeMap::from([("m", BTreeMap::from([(true, "yes")]))])).unwrap(),
            "m[true]=yes"
        );
        assert_eq!(encode(&BTreeMap::from([("", BTreeMap::from([("", "")]))])).unwrap(), "[]=");
    }

    #[test]
    fn reports_what_cannot_be_encoded() {
        let message = |result: Result<String, EncodeError>| result.unwrap_err().to_string();
        let not_object = "cannot encode request parameters: parameters must be an object, not";
        assert_eq!(message(encode(&vec![1, 2])), format!("{not_object} [1,2]"));
        assert_eq!(message(encode(&"text")), format!("{not_object} \"text\""));
        assert_eq!(message(encode(&Shape::Unit)), format!("{not_object} \"Unit\""));
        assert_eq!(message(encode(&Unsettable::<Address>::Unset)), format!("{not_object} \"\""));
        assert_eq!(
            message(encode(&BTreeMap::from([("m", BTreeMap::from([(Some(1), "a")]))]))),
            "cannot encode request parameters: key must be a string"
        );
        assert_eq!(
            message(encode(&BTreeMap::from([("n", i128::MAX)]))),
            "cannot encode request parameters: number out of range"
        );
        assert_eq!(
            message(encode(&BTreeMap::from([("x", Failing)]))),
            "cannot encode request parameters: no good"
        );
        assert!(pairs(&BTreeMap::from([("x", Failing)])).is_err());
        // Nothing at all (JSON's `null`) is no parameters.
        assert_eq!(encode(&()).unwrap(), "");
        assert_eq!(encode(&None::<Address>).unwrap(), "");
        assert_eq!(encode(&f64::NAN).unwrap(), "");
    }
}
