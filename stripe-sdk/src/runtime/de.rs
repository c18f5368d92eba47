//! JSON decoding of the generated types, without serde's derive.
//!
//! `#[derive(Deserialize)]` expands to a few hundred lines of generic code per struct; for Stripe's
//! two thousand types that was over half of this crate's compile time. Here a value decodes into a
//! *slot*, `Option<T>`, through the object-safe [`Slot`] trait, and a JSON object decodes key by key
//! into its type's [`Builder`]: a struct of slots, one per field, whose `build` checks the required
//! ones. The generated code is small and not generic; one serde bridge ([`Seed`]) drives it from
//! any serde `Deserializer`, so every type still implements `serde::Deserialize`, and
//! [`decode_json`] reports the JSON path of a failure.
//!
//! A slot reads the entries of an object or the elements of an array itself, from a
//! [`MapReader`] or a [`SeqReader`]: the builder of an object lives on the stack of the call
//! that decodes it and is built straight into the slot, with no allocation per object.
//!
//! Polymorphic objects decode tag first: keys are buffered as JSON only until the `object` field
//! (and `deleted`, where it decides the variant) has been read, then replayed into the variant's
//! builder, and the rest of the object goes there directly.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess};
use serde_json::{Map, Number, Value};

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
            Scalar::Str(value) => DeError::invalid_type(format_args!("string {value:?}"), expected),
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
    /// Decodes the value of the key just read into `field`.
    fn value(&mut self, field: Field<'_>) -> Result<()>;
    /// Skips the value of the key just read.
    fn skip(&mut self) -> Result<()>;
}

/// The elements of a JSON array, read in order by the slot the array decodes into.
pub trait SeqReader {
    /// Decodes the next element into `slot`; `false` at the end of the array.
    fn next(&mut self, slot: &mut dyn Slot) -> Result<bool>;
}

/// A type decoded from a JSON object, key by key.
pub trait Object: Sized {
    type Builder: Builder<Self> + Default;
}

/// The partial state of an [`Object`] being decoded (object-safe: a polymorphic object holds the
/// builder of the variant it picked as a `Box<dyn Builder<U>>`).
pub trait Builder<T>: Keys {
    /// The decoded value, taken out of the builder.
    fn build(&mut self) -> Result<T>;
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
}

impl<T> Decode for T
where
    Option<T>: Slot,
{
    fn slot(out: &mut Option<Self>) -> &mut dyn Slot {
        out
    }
}

/// The value of a required field, or the error naming it.
pub fn required<T>(slot: Option<T>, field: &'static str) -> Result<T> {
    slot.ok_or_else(|| missing(field))
}

/// The error for a required field that is absent.
pub fn missing(field: &str) -> DeError {
    DeError::new(format!("missing field `{field}`"))
}

/// Implements decoding for a generated response struct: a builder with one slot per field
/// (`field: Type = "json name" => required | or_default | nullable | optional`, where the `Type`
/// of a nullable or optional field is the one inside its `Option`), [`Object`],
/// `serde::Deserialize` and `Debug`; with the `serialize` feature, `serde::Serialize` too
/// ([`serialize_struct!`](crate::runtime::ser)).
///
/// `build` checks the required fields before it moves any slot out, then takes the slots out at
/// once and moves them in one `match`: `?` after each field would give every field its own
/// cleanup of the fields not yet moved, which made large objects' builders quadratic in code
/// size, and a call per field (`Option::take`, `Default::default`) a cleanup path of its own.
macro_rules! decode_struct {
    ($name:ident { $($field:ident: $ty:ty = $wire:literal => $take:ident,)* }) => {
        const _: () = {
            #[allow(non_camel_case_types)]
            pub struct __Slots {
                $($field: Option<$ty>,)*
            }

            impl Default for __Slots {
                fn default() -> Self {
                    __Slots { $($field: None,)* }
                }
            }

            impl $crate::runtime::de::Keys for __Slots {
                fn key(&mut self, key: &str) -> $crate::runtime::de::Result<Option<$crate::runtime::de::Field<'_>>> {
                    match key {
                        $($wire => Ok(Some($crate::runtime::de::Field {
                            slot: &mut self.$field,
                            nullable: $crate::runtime::de::take!(nullable $take),
                        })),)*
                        _ => Ok(None),
                    }
                }
            }

            impl $crate::runtime::de::Builder<$name> for __Slots {
                #[allow(unreachable_patterns)]
                fn build(&mut self) -> $crate::runtime::de::Result<$name> {
                    $($crate::runtime::de::take!(check $take, self.$field, $wire);)*
                    let __Slots { $($field,)* } = ::std::mem::take(self);
                    match ($($field,)*) {
                        ($($crate::runtime::de::take!(pattern $take, $field),)*) => Ok($name {
                            $($field: $crate::runtime::de::take!(value $take, $field),)*
                        }),
                        // Not reached: the checks above returned for any missing required field.
                        _ => Err($crate::runtime::de::DeError::new("missing field")),
                    }
                }
            }

            impl $crate::runtime::de::Object for $name {
                type Builder = __Slots;
            }

            $crate::runtime::de::impl_deserialize!($name);

            $crate::runtime::debug::debug_struct!($name { $($field),* });

            #[cfg(feature = "serialize")]
            $crate::runtime::ser::serialize_struct!($name { $($field = $wire => $take,)* });
        };
    };
}
pub(crate) use decode_struct;

/// The parts of [`decode_struct!`] that depend on how a field is taken from its slot.
macro_rules! take {
    (nullable optional) => {
        true
    };
    (nullable nullable) => {
        true
    };
    (nullable $take:ident) => {
        false
    };
    (check required, $slot:expr, $wire:literal) => {
        match $slot {
            Some(_) => {}
            None => return Err($crate::runtime::de::missing($wire)),
        }
    };
    (check $take:ident, $slot:expr, $wire:literal) => {};
    (pattern required, $value:ident) => {
        Some($value)
    };
    (pattern $take:ident, $value:ident) => {
        $value
    };
    (value or_default, $value:ident) => {
        $value.unwrap_or_default()
    };
    (value $take:ident, $value:ident) => {
        $value
    };
}
pub(crate) use take;

// ---- objects ----

/// Reads an object's entries into the slots of `builder`.
fn fill(builder: &mut dyn Keys, entries: &mut dyn MapReader) -> Result<()> {
    while let Some(key) = entries.next_key()? {
        match builder.key(key)? {
            Some(field) => entries.value(field)?,
            None => entries.skip()?,
        }
    }
    Ok(())
}

/// Decodes a `T` from the entries of an object. This and the slots that call it are written
/// without `?` or closures on `Result<T>`: in an unoptimized build each would be compiled again
/// for every one of the crate's object types.
fn object<T: Object>(entries: &mut dyn MapReader) -> Result<T> {
    let mut builder = T::Builder::default();
    fill(&mut builder, entries)?;
    builder.build()
}

impl<T: Object> Slot for Option<T> {
    fn expected(&self) -> &'static str {
        "an object"
    }

    fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        match object(entries) {
            Ok(value) => *self = Some(value),
            Err(err) => return Err(err),
        }
        Ok(())
    }
}

/// Large objects are boxed where other objects hold them.
pub struct BoxBuilder<T: Object>(T::Builder);

impl<T: Object> Default for BoxBuilder<T> {
    fn default() -> Self {
        BoxBuilder(T::Builder::default())
    }
}

impl<T: Object> Keys for BoxBuilder<T> {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>> {
        self.0.key(key)
    }
}

impl<T: Object> Builder<Box<T>> for BoxBuilder<T> {
    fn build(&mut self) -> Result<Box<T>> {
        self.0.build().map(Box::new)
    }
}

impl<T: Object> Object for Box<T> {
    type Builder = BoxBuilder<T>;
}

impl<T: Object> Slot for Option<crate::Expandable<T>> {
    fn expected(&self) -> &'static str {
        "an object id or an expanded object"
    }

    fn scalar(&mut self, value: Scalar<'_>) -> Result<()> {
        match value {
            Scalar::Str(id) => *self = Some(crate::Expandable::Id(id.to_owned())),
            other => return Err(other.refused(self.expected())),
        }
        Ok(())
    }

    fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        match object(entries) {
            Ok(value) => *self = Some(crate::Expandable::Object(Box::new(value))),
            Err(err) => return Err(err),
        }
        Ok(())
    }
}

// ---- polymorphic objects ----

/// How a polymorphic object picks its variant from its `object` and `deleted` fields.
pub enum Choice<U> {
    Variant(Box<dyn Builder<U>>),
    /// `object` alone does not decide: read `deleted` first.
    NeedDeleted,
    Unknown,
}

/// The builder of a `T`, made into a `U` by `wrap` (a polymorphic object's variant).
struct Variant<T: Object, U> {
    builder: T::Builder,
    wrap: fn(T) -> U,
}

impl<T: Object, U> Keys for Variant<T, U> {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>> {
        self.builder.key(key)
    }
}

impl<T: Object, U> Builder<U> for Variant<T, U> {
    fn build(&mut self) -> Result<U> {
        self.builder.build().map(self.wrap)
    }
}

/// The variant of `U` that `wrap` makes from a `T`.
pub fn variant<T: Object + 'static, U: 'static>(wrap: fn(T) -> U) -> Choice<U> {
    Choice::Variant(Box::new(Variant { builder: T::Builder::default(), wrap }))
}

/// A polymorphic object told apart by its `object` field (and `deleted`).
pub trait Tagged: Sized {
    /// The variant for an `object` value; `deleted` is `None` while it has not been read.
    fn variant(object: &str, deleted: Option<bool>) -> Choice<Self>;
    /// An object of a type this version does not know.
    fn unknown(value: Value) -> Self;
}

/// JSON object entries read as values, for objects that cannot be typed yet.
#[derive(Default)]
struct Entries {
    map: Map<String, Value>,
    key: String,
    next: Option<Value>,
}

impl Entries {
    /// The slot for the value of `key`, after storing the previous value.
    fn slot(&mut self, key: &str) -> &mut dyn Slot {
        self.flush();
        key.clone_into(&mut self.key);
        &mut self.next
    }

    fn flush(&mut self) {
        if let Some(value) = self.next.take() {
            self.map.insert(std::mem::take(&mut self.key), value);
        }
    }

    fn into_value(mut self) -> Value {
        self.flush();
        Value::Object(self.map)
    }
}

/// Decodes a [`Tagged`] object: buffers entries until the variant is known.
pub struct TaggedBuilder<U> {
    state: TagState<U>,
}

enum TagState<U> {
    Pending { entries: Entries, object: Option<String>, deleted: Option<bool> },
    Decided(Box<dyn Builder<U>>),
    Unknown(Entries),
}

impl<U> Default for TaggedBuilder<U> {
    fn default() -> Self {
        TaggedBuilder {
            state: TagState::Pending { entries: Entries::default(), object: None, deleted: None },
        }
    }
}

impl<U: Tagged> TaggedBuilder<U> {
    /// Notes the last value read if it is `object` or `deleted`, and decides the variant when
    /// they are enough (`end`: no more keys will come), replaying the buffered entries into it.
    fn settle(&mut self, end: bool) -> Result<()> {
        let TagState::Pending { entries, object, deleted } = &mut self.state else { return Ok(()) };
        match (entries.key.as_str(), &entries.next) {
            ("object", Some(Value::String(tag))) => *object = Some(tag.clone()),
            ("deleted", Some(Value::Bool(flag))) => *deleted = Some(*flag),
            _ => {}
        }
        let choice = match object {
            Some(object) => {
                U::variant(object, if end { Some(deleted.unwrap_or(false)) } else { *deleted })
            }
            None if end => Choice::Unknown,
            None => return Ok(()),
        };
        match choice {
            Choice::NeedDeleted => {}
            Choice::Unknown => self.state = TagState::Unknown(std::mem::take(entries)),
            Choice::Variant(mut builder) => {
                entries.flush();
                for (key, value) in &std::mem::take(&mut entries.map) {
                    if let Some(field) = builder.key(key)? {
                        drive_field(value, field)
                            .map_err(|err| err.at(Segment::Key(key.clone())))?;
                    }
                }
                self.state = TagState::Decided(builder);
            }
        }
        Ok(())
    }
}

impl<U: Tagged> Keys for TaggedBuilder<U> {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>> {
        self.settle(false)?;
        match &mut self.state {
            TagState::Decided(builder) => builder.key(key),
            TagState::Pending { entries, .. } | TagState::Unknown(entries) => {
                Ok(Some(Field::new(entries.slot(key))))
            }
        }
    }
}

impl<U: Tagged> Builder<U> for TaggedBuilder<U> {
    fn build(&mut self) -> Result<U> {
        self.settle(true)?;
        match std::mem::replace(&mut self.state, TagState::Unknown(Entries::default())) {
            TagState::Decided(mut builder) => builder.build(),
            TagState::Pending { entries, .. } | TagState::Unknown(entries) => {
                Ok(U::unknown(entries.into_value()))
            }
        }
    }
}

/// A polymorphic object without an `object` field, told apart by its fields.
pub trait Untagged: Sized {
    /// The JSON fields of each variant.
    const FIELDS: &'static [&'static [&'static str]];
    /// Decodes the object as variant `index`.
    fn variant(index: usize, value: &Value) -> Result<Self>;
    fn unknown(value: Value) -> Self;
}

/// Decodes an [`Untagged`] object: the variant whose fields cover the most keys is tried first,
/// then the others in order of fit.
pub struct UntaggedBuilder<U> {
    entries: Entries,
    _variant: std::marker::PhantomData<fn() -> U>,
}

impl<U> Default for UntaggedBuilder<U> {
    fn default() -> Self {
        UntaggedBuilder { entries: Entries::default(), _variant: std::marker::PhantomData }
    }
}

impl<U> Keys for UntaggedBuilder<U> {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>> {
        Ok(Some(Field::new(self.entries.slot(key))))
    }
}

impl<U: Untagged> Builder<U> for UntaggedBuilder<U> {
    fn build(&mut self) -> Result<U> {
        let value = std::mem::take(&mut self.entries).into_value();
        for index in by_fit(&value, U::FIELDS) {
            if let Ok(decoded) = U::variant(index, &value) {
                return Ok(decoded);
            }
        }
        Ok(U::unknown(value))
    }
}

/// Variant indexes, best first: the variant whose known fields cover the most keys of the
/// object, ties in declaration order.
fn by_fit(value: &Value, fields: &[&[&str]]) -> Vec<usize> {
    let keys: Vec<&String> =
        value.as_object().map(|object| object.keys().collect()).unwrap_or_default();
    let mut order: Vec<(usize, usize)> = fields
        .iter()
        .enumerate()
        .map(|(index, names)| {
            (keys.iter().filter(|key| names.contains(&key.as_str())).count(), index)
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, index)| index).collect()
}

/// Decodes a `T` from a JSON value already read.
pub fn from_value<T: Decode>(value: &Value) -> Result<T> {
    let mut out = None;
    drive(value, T::slot(&mut out))?;
    out.ok_or_else(|| DeError::new("no value"))
}

/// Feeds an object's value into the slot of its key.
fn drive_field(value: &Value, field: Field<'_>) -> Result<()> {
    match value {
        Value::Null if field.nullable => Ok(()),
        value => drive(value, field.slot),
    }
}

/// Feeds a JSON value into a slot.
fn drive(value: &Value, slot: &mut dyn Slot) -> Result<()> {
    match value {
        Value::Null => slot.scalar(Scalar::Null),
        Value::Bool(value) => slot.scalar(Scalar::Bool(*value)),
        Value::Number(number) => slot.scalar(if let Some(value) = number.as_u64() {
            Scalar::U64(value)
        } else if let Some(value) = number.as_i64() {
            Scalar::I64(value)
        } else {
            Scalar::F64(number.as_f64().unwrap_or(f64::NAN))
        }),
        Value::String(value) => slot.scalar(Scalar::Str(value)),
        Value::Array(items) => slot.seq(&mut ValueSeq { items: items.iter(), index: 0 }),
        Value::Object(entries) => slot.map(&mut ValueMap { entries: entries.iter(), value: None }),
    }
}

/// The elements of a JSON array already read.
struct ValueSeq<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
}

impl SeqReader for ValueSeq<'_> {
    fn next(&mut self, slot: &mut dyn Slot) -> Result<bool> {
        let Some(item) = self.items.next() else { return Ok(false) };
        drive(item, slot).map_err(|err| err.at(Segment::Index(self.index)))?;
        self.index += 1;
        Ok(true)
    }
}

/// The entries of a JSON object already read.
struct ValueMap<'a> {
    entries: serde_json::map::Iter<'a>,
    value: Option<(&'a String, &'a Value)>,
}

impl MapReader for ValueMap<'_> {
    fn next_key(&mut self) -> Result<Option<&str>> {
        self.value = self.entries.next();
        Ok(self.value.map(|(key, _)| key.as_str()))
    }

    fn value(&mut self, field: Field<'_>) -> Result<()> {
        let Some((key, value)) = self.value else { return Ok(()) };
        drive_field(value, field).map_err(|err| err.at(Segment::Key(key.clone())))
    }

    fn skip(&mut self) -> Result<()> {
        Ok(())
    }
}

// ---- scalars ----

/// `Slot` for `Option<$ty>`: the listed scalars make the value, anything else is refused.
macro_rules! scalar_slot {
    ($ty:ty, $expected:literal, $($pattern:pat => $value:expr),+ $(,)?) => {
        impl Slot for Option<$ty> {
            fn expected(&self) -> &'static str {
                $expected
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

scalar_slot!(String, "a string", Scalar::Str(value) => value.to_owned());
scalar_slot!(bool, "a boolean", Scalar::Bool(value) => value);
scalar_slot!(u64, "a non-negative integer", Scalar::U64(value) => value);
scalar_slot!(
    i64,
    "an integer",
    Scalar::I64(value) => value,
    Scalar::U64(value) => i64::try_from(value).map_err(|_| Scalar::U64(value).refused("an integer that fits 64 bits"))?,
);
scalar_slot!(
    f64,
    "a number",
    Scalar::I64(value) => value as f64,
    Scalar::U64(value) => value as f64,
    Scalar::F64(value) => value,
);

// ---- containers ----

/// Decodes the elements of an array.
fn elements<T: Decode>(elements: &mut dyn SeqReader) -> Result<Vec<T>> {
    let mut items = Vec::new();
    loop {
        let mut next = None;
        if !elements.next(T::slot(&mut next))? {
            return Ok(items);
        }
        items.extend(next);
    }
}

impl<T: Decode> Slot for Option<Vec<T>> {
    fn expected(&self) -> &'static str {
        "an array"
    }

    fn seq(&mut self, elements: &mut dyn SeqReader) -> Result<()> {
        *self = Some(self::elements(elements)?);
        Ok(())
    }
}

impl<T: Decode> Slot for Option<BTreeMap<String, T>> {
    fn expected(&self) -> &'static str {
        "a map"
    }

    fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        let mut map = BTreeMap::new();
        while let Some(key) = entries.next_key()? {
            let key = key.to_owned();
            let mut value = None;
            entries.value(Field::new(T::slot(&mut value)))?;
            map.extend(value.map(|value| (key, value)));
        }
        *self = Some(map);
        Ok(())
    }
}

// ---- arbitrary JSON ----

impl Slot for Option<Value> {
    fn expected(&self) -> &'static str {
        "any JSON value"
    }

    fn scalar(&mut self, value: Scalar<'_>) -> Result<()> {
        *self = Some(match value {
            Scalar::Null => Value::Null,
            Scalar::Bool(value) => Value::Bool(value),
            Scalar::I64(value) => Value::Number(value.into()),
            Scalar::U64(value) => Value::Number(value.into()),
            Scalar::F64(value) => Number::from_f64(value).map_or(Value::Null, Value::Number),
            Scalar::Str(value) => Value::String(value.to_owned()),
        });
        Ok(())
    }
    fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        let mut values = Entries::default();
        while let Some(key) = entries.next_key()? {
            let slot = values.slot(key);
            entries.value(Field::new(slot))?;
        }
        *self = Some(values.into_value());
        Ok(())
    }
    fn seq(&mut self, elements: &mut dyn SeqReader) -> Result<()> {
        *self = Some(Value::Array(self::elements(elements)?));
        Ok(())
    }
}

// ---- the serde bridge ----

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
        let mut entries =
            SerdeMap { access, key: Cow::Borrowed(""), error: None, trail: &mut *self.trail };
        let decoded = self.slot.map(&mut entries);
        let error = entries.error;
        settle(decoded, error, self.trail)
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
        settle(decoded, error, self.trail)
    }
}

/// The outcome of a slot that read from a deserializer: the deserializer's own error if it
/// failed (its path already in `trail`), else the slot's.
fn settle<E: de::Error>(
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
    /// Borrowed from the input unless it had to be unescaped.
    key: Cow<'de, str>,
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
        match self.access.next_key_seed(KeySeed) {
            Ok(Some(key)) => {
                self.key = key;
                Ok(Some(&self.key))
            }
            Ok(None) => Ok(None),
            Err(error) => Err(self.keep(error)),
        }
    }

    fn value(&mut self, field: Field<'_>) -> Result<()> {
        let seed = Seed { slot: field.slot, nullable: field.nullable, trail: &mut *self.trail };
        self.access.next_value_seed(seed).map_err(|error| {
            self.trail.push(Segment::Key(self.key.to_string()));
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

/// Reads a map key, borrowing it from the input where it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> de::Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(
        self,
        value: &'de str,
    ) -> std::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> std::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(value.to_owned()))
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
/// you verified yourself), naming the JSON path of a failure.
///
/// ```
/// let body = br#"{"id": "cus_1", "object": "customer", "created": "yesterday", "livemode": false}"#;
/// let err = stripe_sdk::decode_json::<stripe_sdk::Customer>(body).unwrap_err();
/// assert_eq!(err.path, "created");
/// ```
pub fn decode_json<T: Decode>(bytes: &[u8]) -> std::result::Result<T, DecodeError> {
    let mut out = None;
    let mut trail = Vec::new();
    let seed = Seed { slot: T::slot(&mut out), nullable: false, trail: &mut trail };
    // One UTF-8 check of the whole text is faster than serde_json's check of each string; text
    // that is not UTF-8 is read as bytes, for serde_json's error with the position.
    let decoded = match std::str::from_utf8(bytes) {
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
fn render(trail: &[Segment]) -> String {
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
