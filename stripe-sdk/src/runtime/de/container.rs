//! Arrays, maps and arbitrary JSON.

use std::collections::BTreeMap;

use serde_json::{Number, Value};

use super::polymorphic::Buffered;
use super::{Decode, MapReader, Result, Scalar, SeqReader, Slot};

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

    fn type_name(out: &mut String) {
        super::generic_type_name::<T>("Vec", out)
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
            entries.value(T::slot(&mut value), false)?;
            map.extend(value.map(|value| (key, value)));
        }
        *self = Some(map);
        Ok(())
    }

    fn type_name(out: &mut String) {
        out.push_str("BTreeMap<String, ");
        T::write_type_name(out);
        out.push('>');
    }
}

impl Slot for Option<Value> {
    fn expected(&self) -> &'static str {
        "any JSON value"
    }

    fn type_name(out: &mut String) {
        out.push_str("serde_json::Value")
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
        let mut values = Buffered::default();
        while let Some(key) = entries.next_key()? {
            let slot = values.slot(key);
            entries.value(slot, false)?;
        }
        *self = Some(values.into_value());
        Ok(())
    }
    fn seq(&mut self, elements: &mut dyn SeqReader) -> Result<()> {
        *self = Some(Value::Array(self::elements(elements)?));
        Ok(())
    }
}
