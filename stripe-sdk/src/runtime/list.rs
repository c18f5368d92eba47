use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

/// One page of a Stripe list (`"object": "list"`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct List<T> {
    /// The objects on this page.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Whether there are more objects after this page.
    pub has_more: bool,
    /// The URL of this list.
    pub url: String,
}

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
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SearchList<T> {
    /// The objects on this page.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Whether there are more results after this page.
    pub has_more: bool,
    /// The `page` value that fetches the next page, when there is one.
    #[serde(default)]
    pub next_page: Option<String>,
    /// The total number of results, when Stripe reports it.
    #[serde(default)]
    pub total_count: Option<u64>,
    /// The URL of this search.
    pub url: String,
}

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
