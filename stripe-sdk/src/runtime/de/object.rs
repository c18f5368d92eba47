//! Objects: a builder filled key by key, boxed objects and expandable fields.

use super::{Builder, Field, Keys, MapReader, Object, Result, Scalar, Slot};

/// Decodes a `T` from the entries of an object into `out`. This and the slots that call it are
/// written without `?` or closures on `Result<T>`: in an unoptimized build each would be
/// compiled again for every one of the crate's object types.
fn object<T: Object>(entries: &mut dyn MapReader, out: &mut Option<T>) -> Result<()> {
    let mut builder = T::Builder::default();
    builder.read(entries)?;
    builder.build_into(out)
}

impl<T: Object> Slot for Option<T> {
    fn expected(&self) -> &'static str {
        "an object"
    }

    fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        object(entries, self)
    }

    fn type_name(out: &mut String) {
        T::type_name(out)
    }
}

/// Builds `builder`'s value into `out`, made a `U` by `wrap` (boxed, or the variant of a
/// polymorphic object): the value is built in a local slot, then moved once.
pub(super) fn build_wrapped<T, U>(
    builder: impl Builder<T>,
    out: &mut Option<U>,
    wrap: impl FnOnce(T) -> U,
) -> Result<()> {
    let mut value = None;
    match builder.build_into(&mut value) {
        Ok(()) => *out = value.map(wrap),
        Err(err) => return Err(err),
    }
    Ok(())
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
    fn build_into(self, out: &mut Option<Box<T>>) -> Result<()> {
        build_wrapped(self.0, out, Box::new)
    }

    /// Read as `T` reads itself (a polymorphic object has its own way).
    fn read(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        self.0.read(entries)
    }
}

impl<T: Object> Object for Box<T> {
    type Builder = BoxBuilder<T>;

    fn type_name(out: &mut String) {
        super::generic_type_name::<T>("Box", out)
    }
}

impl<T: Object> Slot for Option<crate::Expandable<T>> {
    fn expected(&self) -> &'static str {
        "an object id or an expanded object"
    }

    fn scalar(&mut self, value: Scalar<'_>) -> Result<()> {
        match value {
            Scalar::Str(id) => *self = Some(crate::Expandable::Id(crate::Id::new(id))),
            other => return Err(other.refused(self.expected())),
        }
        Ok(())
    }

    fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        let mut value = None;
        match object(entries, &mut value) {
            Ok(()) => *self = value.map(|value| crate::Expandable::Object(Box::new(value))),
            Err(err) => return Err(err),
        }
        Ok(())
    }

    fn type_name(out: &mut String) {
        super::generic_type_name::<T>("stripe_sdk::Expandable", out)
    }
}
