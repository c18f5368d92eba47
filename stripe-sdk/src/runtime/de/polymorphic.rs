//! Polymorphic objects: tagged by their `object` field (buffered until the tag is read), or
//! untagged and told apart by their fields.

use serde_json::Value;

use super::object::build_wrapped;
use super::value::drive_field;
use super::{BoxedBuilder, Builder, Field, Keys, Object, Result, Segment, Slot, MAX_QUOTED_CHARS};

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

/// Decodes a [`Tagged`] object: buffers entries until the variant is known.
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

/// A polymorphic object without an `object` field, told apart by its fields.
pub trait Untagged: Sized {
    /// The JSON fields of each variant.
    const FIELDS: &'static [&'static [&'static str]];
    /// Decodes the object as variant `index`.
    fn variant(index: usize, object: &Buffered) -> Result<Self>;
    fn unknown(value: Value) -> Self;
}

/// Decodes an [`Untagged`] object: the variant whose fields cover the most keys is tried first,
/// then the others in order of fit.
pub struct UntaggedBuilder<U> {
    entries: Buffered,
    _variant: std::marker::PhantomData<fn() -> U>,
}

impl<U> Default for UntaggedBuilder<U> {
    fn default() -> Self {
        UntaggedBuilder { entries: Buffered::default(), _variant: std::marker::PhantomData }
    }
}

impl<U> Keys for UntaggedBuilder<U> {
    fn key(&mut self, key: &str) -> Result<Option<Field<'_>>> {
        Ok(Some(Field::new(self.entries.slot(key))))
    }
}

impl<U: Untagged> Builder<U> for UntaggedBuilder<U> {
    fn build_into(self, out: &mut Option<U>) -> Result<()> {
        let mut object = self.entries;
        object.flush();
        for index in by_fit(&object, U::FIELDS) {
            if let Ok(decoded) = U::variant(index, &object) {
                *out = Some(decoded);
                return Ok(());
            }
        }
        *out = Some(U::unknown(object.into_value()));
        Ok(())
    }
}

/// Variant indexes, best first: the variant whose known fields cover the most keys of the
/// object, ties in declaration order.
fn by_fit(object: &Buffered, fields: &[&[&str]]) -> Vec<usize> {
    // Each variant's names counted once, however often the object repeats a key: the count of
    // distinct keys a map of the object would have. Linear in the object's size per variant.
    let present = |name: &&&str| object.entries.iter().any(|(key, _)| key == **name);
    let mut order: Vec<(usize, usize)> = fields
        .iter()
        .enumerate()
        .map(|(index, names)| (names.iter().filter(present).count(), index))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, index)| index).collect()
}
