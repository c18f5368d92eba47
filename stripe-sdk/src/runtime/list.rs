//! The list envelopes: [`List`] (`object: list`), [`SearchList`] (`object: search_result`) and
//! [`V2List`] (a v2 page with `next_page_url`), decoded through the crate's builders.

#[cfg(feature = "serialize")]
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer};
#[cfg(feature = "serialize")]
use serde::{Serialize, Serializer};

use super::de::{self, Builder, Decode, Field, Keys, Object};

/// One page of a Stripe list (`"object": "list"`).
#[derive(Clone, Debug, PartialEq)]
pub struct List<T> {
    /// The objects on this page.
    pub data: Vec<T>,
    /// Whether there are more objects after this page.
    pub has_more: bool,
    /// The URL of this list.
    pub url: String,
}

#[cfg(feature = "serialize")]
impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("List", 4)?;
        state.serialize_field("object", "list")?;
        state.serialize_field("data", &self.data)?;
        state.serialize_field("has_more", &self.has_more)?;
        state.serialize_field("url", &self.url)?;
        state.end()
    }
}

/// One page of Stripe search results (`"object": "search_result"`).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchList<T> {
    /// The objects on this page.
    pub data: Vec<T>,
    /// Whether there are more results after this page.
    pub has_more: bool,
    /// The `page` value that fetches the next page, when there is one.
    pub next_page: Option<String>,
    /// The total number of results, when Stripe reports it.
    pub total_count: Option<u64>,
    /// The URL of this search.
    pub url: String,
}

#[cfg(feature = "serialize")]
impl<T: Serialize> Serialize for SearchList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("SearchList", 6)?;
        state.serialize_field("object", "search_result")?;
        state.serialize_field("data", &self.data)?;
        state.serialize_field("has_more", &self.has_more)?;
        state.serialize_field("next_page", &self.next_page)?;
        if let Some(total_count) = self.total_count {
            state.serialize_field("total_count", &total_count)?;
        }
        state.serialize_field("url", &self.url)?;
        state.end()
    }
}

#[doc(hidden)]
pub struct ListBuilder<T> {
    data: Option<Vec<T>>,
    has_more: Option<bool>,
    url: Option<String>,
}

impl<T> Default for ListBuilder<T> {
    fn default() -> Self {
        ListBuilder { data: None, has_more: None, url: None }
    }
}

impl<T: Decode> Keys for ListBuilder<T> {
    fn key(&mut self, key: &str) -> de::Result<Option<Field<'_>>> {
        Ok(Some(Field::new(match key {
            "data" => &mut self.data as &mut dyn de::Slot,
            "has_more" => &mut self.has_more,
            "url" => &mut self.url,
            _ => return Ok(None),
        })))
    }
}

impl<T: Decode> Builder<List<T>> for ListBuilder<T> {
    fn build_into(self, out: &mut Option<List<T>>) -> de::Result<()> {
        *out = Some(List {
            data: self.data.unwrap_or_default(),
            has_more: de::required(self.has_more, "has_more")?,
            url: de::required(self.url, "url")?,
        });
        Ok(())
    }
}

impl<T> Object for List<T>
where
    T: Decode,
{
    type Builder = ListBuilder<T>;

    fn type_name(out: &mut String) {
        de::generic_type_name::<T>("stripe_sdk::List", out)
    }
}

#[doc(hidden)]
pub struct SearchListBuilder<T> {
    data: Option<Vec<T>>,
    has_more: Option<bool>,
    next_page: Option<String>,
    total_count: Option<u64>,
    url: Option<String>,
}

impl<T> Default for SearchListBuilder<T> {
    fn default() -> Self {
        SearchListBuilder {
            data: None,
            has_more: None,
            next_page: None,
            total_count: None,
            url: None,
        }
    }
}

impl<T: Decode> Keys for SearchListBuilder<T> {
    fn key(&mut self, key: &str) -> de::Result<Option<Field<'_>>> {
        Ok(Some(match key {
            "data" => Field::new(&mut self.data),
            "has_more" => Field::new(&mut self.has_more),
            "next_page" => Field { slot: &mut self.next_page, nullable: true },
            "total_count" => Field { slot: &mut self.total_count, nullable: true },
            "url" => Field::new(&mut self.url),
            _ => return Ok(None),
        }))
    }
}

impl<T: Decode> Builder<SearchList<T>> for SearchListBuilder<T> {
    fn build_into(self, out: &mut Option<SearchList<T>>) -> de::Result<()> {
        *out = Some(SearchList {
            data: self.data.unwrap_or_default(),
            has_more: de::required(self.has_more, "has_more")?,
            next_page: self.next_page,
            total_count: self.total_count,
            url: de::required(self.url, "url")?,
        });
        Ok(())
    }
}

impl<T> Object for SearchList<T>
where
    T: Decode,
{
    type Builder = SearchListBuilder<T>;

    fn type_name(out: &mut String) {
        de::generic_type_name::<T>("stripe_sdk::SearchList", out)
    }
}

impl<'de, T> Deserialize<'de> for List<T>
where
    T: Decode,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize(deserializer)
    }
}

impl<'de, T> Deserialize<'de> for SearchList<T>
where
    T: Decode,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize(deserializer)
    }
}

/// One page of a v2 list (`GET /v2/core/events`): the items and the URLs of the pages around it.
#[derive(Clone, Debug, PartialEq)]
pub struct V2List<T> {
    /// The objects on this page.
    pub data: Vec<T>,
    /// The path and query of the next page (`/v2/core/events?page=…`), `None` on the last page.
    pub next_page_url: Option<String>,
    /// The path and query of the previous page, `None` on the first page.
    pub previous_page_url: Option<String>,
}

#[cfg(feature = "serialize")]
impl<T: Serialize> Serialize for V2List<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("V2List", 3)?;
        state.serialize_field("data", &self.data)?;
        state.serialize_field("next_page_url", &self.next_page_url)?;
        state.serialize_field("previous_page_url", &self.previous_page_url)?;
        state.end()
    }
}

#[doc(hidden)]
pub struct V2ListBuilder<T> {
    data: Option<Vec<T>>,
    next_page_url: Option<String>,
    previous_page_url: Option<String>,
}

impl<T> Default for V2ListBuilder<T> {
    fn default() -> Self {
        V2ListBuilder { data: None, next_page_url: None, previous_page_url: None }
    }
}

impl<T: Decode> Keys for V2ListBuilder<T> {
    fn key(&mut self, key: &str) -> de::Result<Option<Field<'_>>> {
        Ok(Some(match key {
            "data" => Field::new(&mut self.data),
            "next_page_url" => Field { slot: &mut self.next_page_url, nullable: true },
            "previous_page_url" => Field { slot: &mut self.previous_page_url, nullable: true },
            _ => return Ok(None),
        }))
    }
}

impl<T: Decode> Builder<V2List<T>> for V2ListBuilder<T> {
    fn build_into(self, out: &mut Option<V2List<T>>) -> de::Result<()> {
        *out = Some(V2List {
            data: self.data.unwrap_or_default(),
            next_page_url: self.next_page_url,
            previous_page_url: self.previous_page_url,
        });
        Ok(())
    }
}

impl<T> Object for V2List<T>
where
    T: Decode,
{
    type Builder = V2ListBuilder<T>;

    fn type_name(out: &mut String) {
        de::generic_type_name::<T>("stripe_sdk::V2List", out)
    }
}

impl<'de, T> Deserialize<'de> for V2List<T>
where
    T: Decode,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize(deserializer)
    }
}
