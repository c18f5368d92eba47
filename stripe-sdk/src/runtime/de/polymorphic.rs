//! Polymorphic objects: tagged by their `object` field, or untagged and told apart by their
//! fields. From a reader that can read an object's entries again (the JSON reader), the keys
//! that decide are read first and the entries then read again into the variant; from others
//! (serde, buffered values), the entries are buffered as values until the variant is known,
//! then replayed into it.

use std::cmp::Reverse;

use serde_json::Value;

use super::object::build_wrapped;
use super::value::{buffered_entries, drive_field};
use super::{
    BoxedBuilder, Builder, Field, Keys, MapReader, Mark, Object, Result, Segment, Slot,
    MAX_QUOTED_CHARS,
};

/// How a polymorphic object picks its variant from its `object` and `deleted` fields.
pub enum Choice<U> {
    Variant(Box<dyn BoxedBuilder<U>>),
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

impl<T: Object, U> BoxedBuilder<U> for Variant<T, U> {
    fn read_boxed(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        self.builder.read(entries)
    }

    fn build_boxed(self: Box<Self>, out: &mut Option<U>) -> Result<()> {
        let Variant { builder, wrap } = *self;
        build_wrapped(builder, out, wrap)
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

/// The entries of a JSON object read as values, in order, for an object that cannot be typed
/// yet. A list, not a `serde_json::Map`: no hashing of each key, for the small objects that
/// are buffered on the way to their type. A key read twice is kept twice; replayed into a
/// builder the last value wins, as in a map.
#[derive(Default)]
pub struct Buffered {
    entries: Vec<(String, Value)>,
    key: String,
    next: Option<Value>,
}

impl Buffered {
    /// The slot for the value of `key`, after storing the previous value.
    pub(super) fn slot(&mut self, key: &str) -> &mut dyn Slot {
        self.flush();
        key.clone_into(&mut self.key);
        &mut self.next
    }

    fn flush(&mut self) {
        if let Some(value) = self.next.take() {
            self.entries.push((std::mem::take(&mut self.key), value));
        }
    }

    /// The entries, in the order they were read.
    pub(super) fn entries(&self) -> &[(String, Value)] {
        &self.entries
    }

    pub(super) fn into_value(mut self) -> Value {
        self.flush();
        Value::Object(self.entries.into_iter().collect())
    }

    /// Feeds the entries into the slots of `builder`.
    fn replay(&self, builder: &mut dyn Keys) -> Result<()> {
        for (key, value) in &self.entries {
            if let Some(field) = builder.key(key)? {
                drive_field(value, field).map_err(|err| {
                    err.at(Segment::Key(crate::error::shorten(key, MAX_QUOTED_CHARS)))
                })?;
            }
        }
        Ok(())
    }
}

/// Decodes a [`Tagged`] object: from a reader that can read the entries again, the keys up to
/// the tag first, then the entries into the variant; otherwise buffered until the variant is
/// known.
pub struct TaggedBuilder<U> {
    state: TagState<U>,
}

enum TagState<U> {
    Pending { entries: Buffered, object: Option<String>, deleted: Option<bool> },
    Decided(Box<dyn BoxedBuilder<U>>),
    Unknown(Buffered),
}

impl<U> Default for TaggedBuilder<U> {
    fn default() -> Self {
        TaggedBuilder {
            state: TagState::Pending { entries: Buffered::default(), object: None, deleted: None },
        }
    }
}

impl<U: Tagged> TaggedBuilder<U> {
    /// Notes the last value read if it is `object` or `deleted`, and decides the variant when
    /// they are enough (`end`: no more keys will come), replaying the buffered entries into it.
    fn choose_variant(&mut self, end: bool) -> Result<()> {
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
                entries.replay(&mut *builder)?;
                self.state = TagState::Decided(builder);
            }
        }
        Ok(())
    }
}

impl<U: Tagged> Keys for TaggedBuilder<U> {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>> {
        self.choose_variant(false)?;
        match &mut self.state {
            TagState::Decided(builder) => builder.key(key),
            TagState::Pending { entries, .. } | TagState::Unknown(entries) => {
                Ok(Some(Field::new(entries.slot(key))))
            }
        }
    }
}

impl<U: Tagged> Builder<U> for TaggedBuilder<U> {
    fn read(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        let Some(mark) = entries.mark() else { return entries.fill(self) };
        let choice = read_tag::<U>(entries)?;
        entries.rewind(mark);
        match choice {
            Choice::Variant(mut builder) => {
                builder.read_boxed(entries)?;
                self.state = TagState::Decided(builder);
                Ok(())
            }
            Choice::NeedDeleted | Choice::Unknown => {
                self.state = TagState::Unknown(Buffered::default());
                entries.fill(self)
            }
        }
    }

    fn build_into(mut self, out: &mut Option<U>) -> Result<()> {
        self.choose_variant(true)?;
        match self.state {
            TagState::Decided(builder) => builder.build_boxed(out),
            TagState::Pending { entries, .. } | TagState::Unknown(entries) => {
                *out = Some(U::unknown(entries.into_value()));
                Ok(())
            }
        }
    }
}

/// Reads an object's keys up to those that decide its variant: `object`, then `deleted` if
/// the variant needs it (all the keys if it does and there is none). The rest of each value
/// is skipped; as where entries are buffered, an `object` that is not a string or a `deleted`
/// that is not a boolean is not noted.
fn read_tag<U: Tagged>(entries: &mut dyn MapReader) -> Result<Choice<U>> {
    let (mut object, mut deleted) = (None, None);
    while let Some(key) = entries.next_key()? {
        let is_object = match key {
            "object" => true,
            "deleted" => false,
            _ => {
                entries.skip()?;
                continue;
            }
        };
        let mut value = None;
        entries.value(&mut value, false)?;
        match value {
            Some(Value::String(tag)) if is_object => object = Some(tag),
            Some(Value::Bool(flag)) if !is_object => deleted = Some(flag),
            _ => {}
        }
        if let Some(object) = &object {
            match U::variant(object, deleted) {
                Choice::NeedDeleted => {}
                decided => return Ok(decided),
            }
        }
    }
    Ok(match object {
        Some(object) => U::variant(&object, Some(deleted.unwrap_or(false))),
        None => Choice::Unknown,
    })
}

/// A polymorphic object without an `object` field, told apart by its fields.
pub trait Untagged: Sized {
    /// The JSON fields of each variant.
    const FIELDS: &'static [&'static [&'static str]];
    /// Decodes the object, its entries read from `entries`, as variant `index`.
    fn variant(index: usize, entries: &mut dyn MapReader) -> Result<Self>;
    fn unknown(value: Value) -> Self;
}

/// Decodes an [`Untagged`] object: the variant whose fields cover the most keys is tried first,
/// then the others in order of fit. From a reader that can read the entries again (the JSON
/// reader), the keys are read first and the entries then read into each variant tried;
/// otherwise they are buffered as values and replayed.
pub struct UntaggedBuilder<U> {
    entries: Buffered,
    /// The object, decoded as it was read (from a reader that can read it again).
    decoded: Option<U>,
}

impl<U> Default for UntaggedBuilder<U> {
    fn default() -> Self {
        UntaggedBuilder { entries: Buffered::default(), decoded: None }
    }
}

impl<U> Keys for UntaggedBuilder<U> {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>> {
        Ok(Some(Field::new(self.entries.slot(key))))
    }
}

impl<U: Untagged> Builder<U> for UntaggedBuilder<U> {
    fn build_into(self, out: &mut Option<U>) -> Result<()> {
        if let Some(decoded) = self.decoded {
            *out = Some(decoded);
            return Ok(());
        }
        let mut object = self.entries;
        object.flush();
        // Each variant's names counted once, however often the object repeats a key.
        let present = |name: &&&str| object.entries.iter().any(|(key, _)| key == **name);
        let count = |index: usize| U::FIELDS[index].iter().filter(present).count();
        for index in by_fit(U::FIELDS.len(), count) {
            if let Ok(decoded) = U::variant(index, &mut buffered_entries(&object)) {
                *out = Some(decoded);
                return Ok(());
            }
        }
        *out = Some(U::unknown(object.into_value()));
        Ok(())
    }

    fn read(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        match entries.mark() {
            Some(mark) if Coverage::fits(U::FIELDS) => read_again(entries, mark, &mut self.decoded),
            _ => entries.fill(self),
        }
    }
}

/// Which names of each variant an object's keys cover, a bit per name: for unions of up to
/// `MAX_VARIANTS` variants of up to 64 fields (Stripe's have two, of up to 13).
struct Coverage([u64; Coverage::MAX_VARIANTS]);

impl Coverage {
    const MAX_VARIANTS: usize = 8;

    fn fits(fields: &[&[&str]]) -> bool {
        fields.len() <= Coverage::MAX_VARIANTS && fields.iter().all(|names| names.len() <= 64)
    }

    fn add(&mut self, fields: &[&[&str]], key: &str) {
        for (bits, names) in self.0.iter_mut().zip(fields) {
            if let Some(at) = names.iter().position(|name| *name == key) {
                *bits |= 1 << at;
            }
        }
    }

    /// How many names of variant `index` are covered.
    fn count(&self, index: usize) -> usize {
        self.0[index].count_ones() as usize
    }
}

/// Decodes an untagged union from a reader that can read its entries again: the keys first,
/// for the order of the variants, then the entries into each variant tried, and as raw JSON
/// if none takes them.
fn read_again<U: Untagged>(
    entries: &mut dyn MapReader,
    mark: Mark,
    out: &mut Option<U>,
) -> Result<()> {
    let mut coverage = Coverage([0; Coverage::MAX_VARIANTS]);
    while let Some(key) = entries.next_key()? {
        coverage.add(U::FIELDS, key);
        entries.skip()?;
    }
    for index in by_fit(U::FIELDS.len(), |index| coverage.count(index)) {
        entries.rewind(mark);
        if let Ok(decoded) = U::variant(index, entries) {
            *out = Some(decoded);
            return Ok(());
        }
    }
    entries.rewind(mark);
    let mut value = None;
    Slot::map(&mut value, entries)?;
    *out = value.map(U::unknown);
    Ok(())
}

/// The indexes of `variants`, best first: the variant with the most of its names among the
/// object's keys (`count`), ties in declaration order. Each step takes the best variant ranked
/// below the last one, so nothing is allocated (unions have two or three variants).
fn by_fit(variants: usize, count: impl Fn(usize) -> usize) -> impl Iterator<Item = usize> {
    let rank = move |index: usize| (count(index), Reverse(index));
    let mut last = None;
    std::iter::from_fn(move || {
        let below_last = |ranked: &(usize, Reverse<usize>)| last.is_none_or(|last| *ranked < last);
        let next = (0..variants).map(&rank).filter(below_last).max()?;
        last = Some(next);
        Some(next.1 .0)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn variants_are_tried_by_fit_then_in_declaration_order() {
        let counts = [1, 3, 0, 3, 1];
        let order: Vec<usize> = super::by_fit(counts.len(), |index| counts[index]).collect();
        assert_eq!(order, [1, 3, 0, 4, 2]);
        assert_eq!(super::by_fit(0, |_| 0).count(), 0);
    }

    #[test]
    fn coverage_counts_each_name_of_a_variant_once() {
        let fields: &[&[&str]] = &[&["a", "b", "c"], &["b"], &[]];
        let mut coverage = super::Coverage([0; super::Coverage::MAX_VARIANTS]);
        for key in ["b", "x", "a", "b"] {
            coverage.add(fields, key);
        }
        assert_eq!([0, 1, 2].map(|index| coverage.count(index)), [2, 1, 0]);
        assert!(super::Coverage::fits(fields));
        let wide: Vec<&str> = (0..65).map(|_| "a").collect();
        assert!(!super::Coverage::fits(&[&wide]));
    }
}
