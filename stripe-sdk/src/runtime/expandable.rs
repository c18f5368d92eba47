//! [`Expandable`]: a field Stripe returns as an id or, when expanded, as the object; [`HasId`]
//! for objects with an id and [`LiveOrDeleted`] for the unions of an object and its deleted form.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that Stripe returns as an object id, or as the whole object when the request
/// asked to [expand](https://stripe.com/docs/api/expanding_objects) it.
#[derive(Clone, Debug, PartialEq)]
pub enum Expandable<T> {
    /// The id of the object (not expanded).
    Id(crate::Id<T>),
    /// The expanded object.
    Object(Box<T>),
}

impl<T> Expandable<T> {
    /// The expanded object, if the field was expanded.
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }

    /// The expanded object, if the field was expanded.
    pub fn into_object(self) -> Option<T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(*object),
        }
    }

    /// Whether the field holds the expanded object.
    pub fn is_object(&self) -> bool {
        matches!(self, Expandable::Object(_))
    }
}

impl<T: HasId> Expandable<T> {
    /// The id of the object, whether or not it was expanded.
    pub fn id(&self) -> &str {
        match self {
            Expandable::Id(id) => id.as_str(),
            Expandable::Object(object) => object.id(),
        }
    }
}

/// A union of an object and its deleted form (`CustomerOrDeletedCustomer`, what Stripe answers
/// where an object may have been deleted since).
pub trait LiveOrDeleted {
    /// The live object's type (`Customer`).
    type Live;
    /// The live object, if it is not deleted.
    fn live(&self) -> Option<&Self::Live>;
}

impl<T: LiveOrDeleted> Expandable<T> {
    /// The expanded object if it is live: `price.product.as_live_object()` is the `Product`
    /// when `product` was expanded and the product is not deleted.
    pub fn as_live_object(&self) -> Option<&T::Live> {
        self.as_object().and_then(LiveOrDeleted::live)
    }
}

/// An object that carries a Stripe id.
pub trait HasId {
    /// The object's id (for example `cus_123`).
    fn id(&self) -> &str;
}

/// Large objects are boxed where other objects hold them (see the README's decoding rules).
impl<T: HasId + ?Sized> HasId for Box<T> {
    fn id(&self) -> &str {
        (**self).id()
    }
}

impl<T: Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => serializer.serialize_str(id),
            Expandable::Object(object) => object.serialize(serializer),
        }
    }
}

/// Decodes through the crate's slots, like every response type (see `runtime::de`).
impl<'de, T: super::de::Object> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::de::deserialize(deserializer)
    }
}
