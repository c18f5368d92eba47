//! Decoding from JSON already read (`serde_json::Value`): replays of buffered entries.

use serde_json::Value;

use super::polymorphic::Buffered;
use super::{
    DeError, Decode, Field, MapReader, Result, Scalar, Segment, SeqReader, Slot, MAX_QUOTED_CHARS,
};

/// Decodes a `T` from a JSON value already read.
pub fn from_value<T: Decode>(value: &Value) -> Result<T> {
    let mut out = None;
    drive(value, T::slot(&mut out))?;
    out.ok_or_else(|| DeError::new("no value"))
}

/// Decodes a `T` from the entries of an object (an untagged union's variant).
pub fn from_map<T: Decode>(entries: &mut dyn MapReader) -> Result<T> {
    let mut out = None;
    T::slot(&mut out).map(entries)?;
    out.ok_or_else(|| DeError::new("no value"))
}

/// The entries of an object buffered as values, to be read as an object again.
pub(super) fn buffered_entries(object: &Buffered) -> impl MapReader + '_ {
    let entries = object.entries().iter().map(|(key, value)| (key, value));
    ValueMap { entries, value: None }
}

/// Feeds an object's value into the slot of its key.
pub(super) fn drive_field(value: &Value, field: Field<'_>) -> Result<()> {
    match value {
        Value::Null if field.nullable => Ok(()),
        value => drive(value, field.slot),
    }
}

/// Feeds a JSON value into a slot.
pub(super) fn drive(value: &Value, slot: &mut dyn Slot) -> Result<()> {
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
struct ValueMap<'a, I> {
    entries: I,
    value: Option<(&'a String, &'a Value)>,
}

impl<'a, I: Iterator<Item = (&'a String, &'a Value)>> MapReader for ValueMap<'a, I> {
    fn next_key(&mut self) -> Result<Option<&str>> {
        self.value = self.entries.next();
        Ok(self.value.map(|(key, _)| key.as_str()))
    }

    fn value(&mut self, slot: &mut dyn Slot, nullable: bool) -> Result<()> {
        let Some((key, value)) = self.value else { return Ok(()) };
        drive_field(value, Field { slot, nullable })
            .map_err(|err| err.at(Segment::Key(crate::error::shorten(key, MAX_QUOTED_CHARS))))
    }

    fn skip(&mut self) -> Result<()> {
        Ok(())
    }
}
