//! JSON decoding of the generated types, without serde's derive.
//!
//! `#[derive(Deserialize)]` expands to a few hundred lines of generic code per struct; for Stripe's
//! two thousand types that was over half of this crate's compile time. Here a value decodes into a
//! *slot*, `Option<T>`, through the object-safe [`Slot`] trait, and a JSON object decodes key by key
//! into its type's [`Builder`]: a struct of slots, one per field, whose `build_into` checks the
//! required ones and builds the value in the object's slot. The generated code is small and not
//! generic. [`decode_json`] reads JSON text itself (`json.rs`) and drives the slots directly;
//! one serde bridge ([`Seed`]) drives them from any serde `Deserializer`, so every type still
//! implements `serde::Deserialize`, and gives `decode_json` its errors, with the JSON path of a
//! failure.
//!
//! A slot reads the entries of an object or the elements of an array itself, from a
//! [`MapReader`] or a [`SeqReader`]: the builder of an object lives on the stack of the call
//! that decodes it and is built straight into the slot, with no allocation per object.
//!
//! Decoding is compiled where it is used, as serde's generic `Deserialize` impls are: the
//! builders' methods, the polymorphic objects' `variant`s, the string enums' conversions and the
//! webhook entry points that reach every event object are `#[inline]`, and nothing non-generic
//! and non-inline in this crate decodes a concrete type. So building `stripe-sdk` compiles no
//! decoder to machine code; an application compiles the decoders of the types its calls return
//! (all of them when it calls `Webhook::construct_event`),
//! once per crate that uses them. A new non-inline function that decodes a concrete type would
//! root every type it reaches in this crate's build again (`cargo llvm-lines -p stripe-sdk`
//! shows it: the `object` line counts one copy per type).
//!
//! Polymorphic objects decode tag first: keys are buffered as JSON only until the `object` field
//! (and `deleted`, where it decides the variant) has been read, then replayed into the variant's
//! builder, and the rest of the object goes there directly.

use std::fmt;

mod bridge;
mod container;
mod json;
mod object;
mod polymorphic;
mod scalar;
mod structs;
mod value;

pub use bridge::*;
pub use polymorphic::*;
pub(crate) use structs::{decode_struct, null_is_absent, take_field};
pub use value::*;

/// A failure of a slot or a builder, with the path below the value that reported it. Boxed, so
/// that the `Result`s every slot and builder call returns stay one or two words (in registers).
#[derive(Debug)]
pub struct DeError(Box<Failure>);

#[derive(Debug)]
struct Failure {
    message: String,
    /// Innermost segment first.
    path: Vec<Segment>,
}

impl DeError {
    pub fn new(message: impl Into<String>) -> DeError {
        DeError(Box::new(Failure { message: message.into(), path: Vec::new() }))
    }

    fn invalid_type(unexpected: fmt::Arguments<'_>, expected: &str) -> DeError {
        DeError::new(format!("invalid type: {unexpected}, expected {expected}"))
    }

    /// The JSON path of the failure below the value that was decoded (`created`, `items[0].id`;
    /// `.` for that value itself).
    pub fn path(&self) -> String {
        bridge::render(&self.0.path)
    }

    fn at(mut self, segment: Segment) -> DeError {
        self.0.path.push(segment);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

pub type Result<T> = std::result::Result<T, DeError>;

/// How much of a refused string (or of a key in a path) an error quotes.
const MAX_QUOTED_CHARS: usize = 100;

/// One step of a JSON path.
#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// A JSON value other than an object or an array.
#[derive(Clone, Copy, Debug)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'a str),
}

impl Scalar<'_> {
    /// The error for a slot that does not take this value.
    pub fn refused(self, expected: &str) -> DeError {
        match self {
            Scalar::Null => DeError::invalid_type(format_args!("null"), expected),
            Scalar::Bool(value) => {
                DeError::invalid_type(format_args!("boolean `{value}`"), expected)
            }
            Scalar::I64(value) => {
                DeError::invalid_type(format_args!("integer `{value}`"), expected)
            }
            Scalar::U64(value) => {
                DeError::invalid_type(format_args!("integer `{value}`"), expected)
            }
            Scalar::F64(value) => {
                DeError::invalid_type(format_args!("floating point `{value}`"), expected)
            }
            Scalar::Str(value) => DeError::invalid_type(
                format_args!("string {:?}", crate::error::shorten(value, MAX_QUOTED_CHARS)),
                expected,
            ),
        }
    }
}

/// Something a JSON value decodes into: `Option<T>` for every decodable `T`. Three methods, one
/// per kind of JSON value, keep the vtable of each of the crate's thousands of slot types small;
/// the defaults refuse the value.
pub trait Slot {
    /// What the slot accepts, for error messages (`a string`).
    fn expected(&self) -> &'static str;

    fn scalar(&mut self, value: Scalar<'_>) -> Result<()> {
        Err(value.refused(self.expected()))
    }
    fn map(&mut self, _entries: &mut dyn MapReader) -> Result<()> {
        Err(refused("map", self.expected()))
    }
    fn seq(&mut self, _elements: &mut dyn SeqReader) -> Result<()> {
        Err(refused("sequence", self.expected()))
    }

    /// Writes the name of the slot's type as users write it (`stripe_sdk::billing_portal::Session`,
    /// `stripe_sdk::List<stripe_sdk::Customer>`), for decode errors. Generated types carry the
    /// name the generator gave them, so it is never rebuilt from where a type is defined.
    fn type_name(out: &mut String)
    where
        Self: Sized;
}

/// The error for a map or a sequence where the slot takes something else (one function, not a
/// copy in each of the crate's thousands of slot types).
fn refused(unexpected: &str, expected: &str) -> DeError {
    DeError::invalid_type(format_args!("{unexpected}"), expected)
}

/// The slot of a key's value. For an optional field `null` leaves the slot empty, as an absent key
/// does, so that `Option<T>` fields need no `Option<Option<T>>` slot.
pub struct Field<'a> {
    pub slot: &'a mut dyn Slot,
    pub nullable: bool,
}

impl<'a> Field<'a> {
    pub fn new(slot: &'a mut dyn Slot) -> Field<'a> {
        Field { slot, nullable: false }
    }
}

/// The entries of a JSON object, read in order by the slot the object decodes into. A failure
/// in a value adds the value's key to the path.
pub trait MapReader {
    /// The next key, or `None` at the end of the object.
    fn next_key(&mut self) -> Result<Option<&str>>;
    /// Decodes the value of the key just read into `slot`; with `nullable`, `null` leaves the
    /// slot empty. (The two parts of a [`Field`], in registers: a `Field` passed by reference
    /// was copied with its padding bytes by overlapping moves that stalled store forwarding, on
    /// every key.)
    fn value(&mut self, slot: &mut dyn Slot, nullable: bool) -> Result<()>;
    /// Skips the value of the key just read.
    fn skip(&mut self) -> Result<()>;

    /// Where the entries start, before the first key is read, for a reader that can read them
    /// again ([`MapReader::rewind`]). The JSON reader can: a polymorphic object reads the keys
    /// that decide its variant, then the entries again into the variant, with no copy of the
    /// values, and a webhook event's `data.object` is typed first and read as JSON only if that
    /// fails. Readers of serde or of buffered values cannot (`None`).
    fn mark(&self) -> Option<Mark> {
        None
    }
    /// Goes back to `mark`: the next key read is the first again.
    fn rewind(&mut self, _mark: Mark) {}

    /// Reads all the entries into the slots of `keys`: one call through a reader's vtable per
    /// object, the reader's own methods called directly for each key.
    fn fill(&mut self, keys: &mut dyn Keys) -> Result<()> {
        while let Some(key) = self.next_key()? {
            match keys.key(key)? {
                Some(Field { slot, nullable }) => self.value(slot, nullable)?,
                None => self.skip()?,
            }
        }
        Ok(())
    }
}

/// A position of a [`MapReader`] that can be read again: where the entries of an object start.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    pos: usize,
}

/// The elements of a JSON array, read in order by the slot the array decodes into.
pub trait SeqReader {
    /// Decodes the next element into `slot`; `false` at the end of the array.
    fn next(&mut self, slot: &mut dyn Slot) -> Result<bool>;
}

/// A type decoded from a JSON object, key by key.
pub trait Object: Sized {
    type Builder: Builder<Self>;

    /// Writes the type's name as users write it (see [`Slot::type_name`]).
    fn type_name(out: &mut String);
}

/// The partial state of an [`Object`] being decoded.
pub trait Builder<T>: Keys + Default {
    /// Builds the decoded value into `out`, the slot of the object: built there, not returned
    /// and then moved (a struct of a few hundred bytes is copied with each move). The builder
    /// is consumed, so its values move out of their slots without `None` written back.
    fn build_into(self, out: &mut Option<T>) -> Result<()>;

    /// Reads the entries of an object, each into the slot of its key. A polymorphic object
    /// reads them its own way.
    #[inline]
    fn read(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        entries.fill(self)
    }
}

/// A [`Builder`] behind a `Box<dyn …>`: the variant a polymorphic object picked while it was
/// read.
pub trait BoxedBuilder<T>: Keys {
    /// [`Builder::read`].
    fn read_boxed(&mut self, entries: &mut dyn MapReader) -> Result<()>;
    fn build_boxed(self: Box<Self>, out: &mut Option<T>) -> Result<()>;
}

/// The slots of a [`Builder`], by JSON key (`None`: ignore the value).
pub trait Keys {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>>;
}

/// A type the client can decode responses into: every generated response type, [`crate::List`],
/// [`serde_json::Value`], and options, vectors and maps of them.
pub trait Decode: Sized {
    #[doc(hidden)]
    fn slot(out: &mut Option<Self>) -> &mut dyn Slot;

    /// The type's name as users write it (`stripe_sdk::List<stripe_sdk::Customer>`), for
    /// decode errors.
    #[doc(hidden)]
    fn type_name() -> String {
        let mut out = String::new();
        Self::write_type_name(&mut out);
        out
    }

    /// Writes [`Decode::type_name`] into `out`: how a generic type (a list, a vector) names
    /// its parameters.
    #[doc(hidden)]
    fn write_type_name(out: &mut String);
}

impl<T> Decode for T
where
    Option<T>: Slot,
{
    fn slot(out: &mut Option<Self>) -> &mut dyn Slot {
        out
    }

    fn write_type_name(out: &mut String) {
        <Option<T> as Slot>::type_name(out)
    }
}

/// Writes `outer<inner>` (`stripe_sdk::List<stripe_sdk::Customer>`).
pub fn generic_type_name<T: Decode>(outer: &str, out: &mut String) {
    out.push_str(outer);
    out.push('<');
    T::write_type_name(out);
    out.push('>');
}

/// The value of a required field, or the error naming it.
pub fn required<T>(slot: Option<T>, field: &'static str) -> Result<T> {
    slot.ok_or_else(|| missing(field))
}

/// The error for a required field that is absent.
pub fn missing(field: &str) -> DeError {
    DeError::new(format!("missing field `{field}`"))
}
