//! Auto-pagination: lists advance with `starting_after` (or `ending_before` backwards), searches
//! with `page`, v2 lists by following `next_page_url` (or `previous_page_url` backwards); pages
//! are fetched only as items are consumed.

use std::collections::{HashSet, VecDeque};

use crate::runtime::de::Decode;
use futures_core::Stream;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Client, Error, HasId, Host, List, Method, SearchList, V2List};

/// Every item of a list or search operation, fetched page by page.
///
/// Made by the generated `*_paginated` methods (`Customer::list_paginated(&client, &params)`).
/// Consume it as a [`Stream`] with [`Paginator::into_stream`], page by page with
/// [`Paginator::next_page`], or all at once with [`Paginator::collect_all`].
#[derive(Debug)]
pub struct Paginator<T> {
    client: Client,
    path: String,
    params: Map<String, Value>,
    /// A failure to encode the parameters, reported by the first [`Paginator::next_page`].
    error: Option<Error>,
    kind: Kind,
    backwards: bool,
    remaining: Option<usize>,
    done: bool,
    /// The cursors followed so far: one given again means the server is going round in circles.
    cursors: HashSet<String>,
    /// Pages fetched so far.
    pages: usize,
    _item: std::marker::PhantomData<fn() -> T>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Search,
    /// A v2 list: the next request is the page URL the previous answer gave.
    V2,
}

impl<T: Decode + HasId> Paginator<T> {
    /// Pages through a list operation (`object: "list"`) at `path`.
    #[doc(hidden)]
    pub fn list<P: Serialize + ?Sized>(client: &Client, path: String, params: &P) -> Paginator<T> {
        Paginator::new(client, path, params, Kind::List)
    }

    /// Pages through a search operation (`object: "search_result"`) at `path`.
    #[doc(hidden)]
    pub fn search<P: Serialize + ?Sized>(
        client: &Client,
        path: String,
        params: &P,
    ) -> Paginator<T> {
        Paginator::new(client, path, params, Kind::Search)
    }

    /// Pages through a v2 list operation (`data`, `next_page_url`) at `path`.
    #[doc(hidden)]
    pub fn v2_list<P: Serialize + ?Sized>(
        client: &Client,
        path: String,
        params: &P,
    ) -> Paginator<T> {
        Paginator::new(client, path, params, Kind::V2)
    }

    fn new<P: Serialize + ?Sized>(
        client: &Client,
        path: String,
        params: &P,
        kind: Kind,
    ) -> Paginator<T> {
        let (params, error) = match serde_json::to_value(params) {
            Ok(Value::Object(map)) => (map, None),
            Ok(Value::Null) => (Map::new(), None),
            Ok(other) => (Map::new(), Some(format!("parameters must be an object, not {other}"))),
            Err(err) => (Map::new(), Some(err.to_string())),
        };
        let error = error.map(|message| Error::Encode(crate::EncodeError::new(message)));
        Paginator {
            client: client.clone(),
            path,
            params,
            error,
            kind,
            backwards: false,
            remaining: None,
            done: false,
            cursors: HashSet::new(),
            pages: 0,
            _item: std::marker::PhantomData,
        }
    }

    /// Items per page (Stripe's `limit` parameter, 1 to 100).
    pub fn page_size(mut self, size: u32) -> Self {
        self.params.insert("limit".to_owned(), Value::from(size));
        self
    }

    /// Stops after this many items in all.
    pub fn max_items(mut self, count: usize) -> Self {
        self.remaining = Some(count);
        self
    }

    /// Pages backwards, from the `ending_before` given in the parameters, with `ending_before`
    /// (a v2 list: following `previous_page_url`).
    pub fn backwards(mut self) -> Self {
        self.backwards = true;
        self
    }

    /// The next page of items, or `None` when there are no more. A page whose cursor (the id of
    /// its last item, or a search's `next_page`) an earlier page already gave ends the pagination
    /// with [`Error::PaginationLoop`], instead of fetching the same pages forever.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, Error> {
        if let Some(err) = self.error.take() {
            self.done = true;
            return Err(err);
        }
        if self.done || self.remaining == Some(0) {
            return Ok(None);
        }
        let params = &self.params;
        let (mut items, next) = match self.kind {
            Kind::List => {
                let page: List<T> =
                    self.client.send(Method::Get, Host::Api, &self.path, params).await?;
                let cursor = if self.backwards { page.data.first() } else { page.data.last() };
                let next = cursor.filter(|_| page.has_more).map(|item| item.id().to_owned());
                (page.data, next)
            }
            Kind::Search => {
                let page: SearchList<T> =
                    self.client.send(Method::Get, Host::Api, &self.path, params).await?;
                (page.data, page.next_page.filter(|_| page.has_more))
            }
            Kind::V2 => {
                let page: V2List<T> =
                    self.client.send(Method::Get, Host::Api, &self.path, params).await?;
                let next = if self.backwards { page.previous_page_url } else { page.next_page_url };
                (page.data, next)
            }
        };
        let key = match (self.kind, self.backwards) {
            (Kind::Search, _) => "page",
            (Kind::List, false) => "starting_after",
            (Kind::List, true) => "ending_before",
            (Kind::V2, _) => "",
        };
        self.pages += 1;
        match next {
            Some(cursor) if self.cursors.contains(&cursor) => {
                self.done = true;
                let cursor = crate::error::shorten(&cursor, 100);
                return Err(Error::PaginationLoop { cursor, page: self.pages });
            }
            Some(url) if self.kind == Kind::V2 => {
                // The API key goes only to the configured base: a page URL must be a v2 path.
                if !url.starts_with("/v2/") || url.contains("://") || url.starts_with("//") {
                    self.done = true;
                    return Err(Error::InvalidArgument(format!(
                        "the next page's URL {:?} is not a path of the v2 API; not followed",
                        crate::error::shorten(&url, 100)
                    )));
                }
                self.cursors.insert(url.clone());
                // The URL carries the query of the next page (its `page` token and the limit).
                self.path = url;
                self.params.clear();
            }
            Some(cursor) => {
                self.cursors.insert(cursor.clone());
                self.params.insert(key.to_owned(), Value::String(cursor));
            }
            None => self.done = true,
        }
        if let Some(remaining) = &mut self.remaining {
            items.truncate(*remaining);
            *remaining -= items.len();
        }
        if items.is_empty() {
            self.done = true;
            return Ok(None);
        }
        Ok(Some(items))
    }

    /// The items as a stream; an error ends the stream after yielding it.
    pub fn into_stream(self) -> impl Stream<Item = Result<T, Error>> {
        futures_util::stream::unfold(
            (self, VecDeque::new(), false),
            |(mut pages, mut buffer, failed)| async move {
                if failed {
                    return None;
                }
                loop {
                    if let Some(item) = buffer.pop_front() {
                        return Some((Ok(item), (pages, buffer, false)));
                    }
                    match pages.next_page().await {
                        Ok(Some(items)) => buffer.extend(items),
                        Ok(None) => return None,
                        Err(err) => return Some((Err(err), (pages, buffer, true))),
                    }
                }
            },
        )
    }

    /// Every item, fetching all pages.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(items) = self.next_page().await? {
            all.extend(items);
        }
        Ok(all)
    }
}
