//! The objects created through the API, by resource and id, in creation order.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use indexmap::IndexMap;
use serde_json::Value;

/// Stored objects of every resource.
#[derive(Debug)]
pub struct Store {
    objects: HashMap<String, IndexMap<String, Value>>,
    /// Which resource each stored id belongs to.
    owners: HashMap<String, String>,
    ids: IdGenerator,
}

impl Default for Store {
    fn default() -> Store {
        Store { objects: HashMap::new(), owners: HashMap::new(), ids: IdGenerator::new() }
    }
}

impl Store {
    /// A fresh id shaped like Stripe's: `prefix` (`cus_`) and 14 letters and digits, unique in
    /// this store.
    pub fn fresh_id(&mut self, prefix: &str) -> String {
        loop {
            let id = format!("{prefix}{}", self.ids.next());
            if !self.owners.contains_key(&id) {
                return id;
            }
        }
    }

    pub fn insert(&mut self, resource: &str, object: Value) {
        let Some(id) = object.get("id").and_then(Value::as_str).map(str::to_owned) else {
            return;
        };
        self.owners.insert(id.clone(), resource.to_owned());
        self.objects.entry(resource.to_owned()).or_default().insert(id, object);
    }

    pub fn get(&self, resource: &str, id: &str) -> Option<&Value> {
        self.objects.get(resource).and_then(|objects| objects.get(id))
    }

    /// A stored object of any resource, by id.
    pub fn find(&self, id: &str) -> Option<(&str, &Value)> {
        let resource = self.owners.get(id)?;
        Some((resource.as_str(), self.get(resource, id)?))
    }

    pub fn remove(&mut self, resource: &str, id: &str) -> Option<Value> {
        let removed = self.objects.get_mut(resource).and_then(|objects| objects.shift_remove(id));
        if removed.is_some() {
            self.owners.remove(id);
        }
        removed
    }

    /// The stored objects of `resource`, newest first (the order of Stripe's lists).
    pub fn newest_first(&self, resource: &str) -> Vec<&Value> {
        self.objects
            .get(resource)
            .map(|objects| objects.values().rev().collect())
            .unwrap_or_default()
    }
}

/// The prefix of a Stripe id: `cus_` for `cus_NffrFeUfNV2Hib`, `ba_` for `ba_1Nf…`.
pub fn id_prefix(example_id: &str, resource: &str) -> String {
    match example_id.rfind('_') {
        Some(at) if at > 0 => example_id[..=at].to_owned(),
        _ => {
            let short: String = resource
                .rsplit('.')
                .next()
                .unwrap_or(resource)
                .split('_')
                .filter_map(|word| word.chars().next())
                .collect();
            format!("{short}_")
        }
    }
}

/// Random-looking, unique suffixes: a counter mixed with a per-store random key.
#[derive(Debug)]
struct IdGenerator {
    key: RandomState,
    counter: u64,
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl IdGenerator {
    fn new() -> IdGenerator {
        IdGenerator { key: RandomState::new(), counter: 0 }
    }

    fn next(&mut self) -> String {
        self.counter += 1;
        let mut hasher = self.key.build_hasher();
        hasher.write_u64(self.counter);
        let mut bits = u128::from(hasher.finish()) << 64 | u128::from(self.counter);
        let mut suffix = String::with_capacity(14);
        for _ in 0..14 {
            let index = usize::try_from(bits % 62).unwrap_or(0);
            suffix.push(char::from(ALPHABET[index]));
            bits /= 62;
        }
        suffix
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_unique_and_stripe_shaped() {
        let mut store = Store::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = store.fresh_id("cus_");
            assert_eq!(id.len(), 18, "{id}");
            assert!(id[4..].chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
            assert!(seen.insert(id));
        }
        assert_eq!(id_prefix("cus_NffrFeUfNV2Hib", "customer"), "cus_");
        assert_eq!(id_prefix("", "billing_portal.session"), "s_");
        assert_eq!(id_prefix("", "tax_rate"), "tr_");
    }

    #[test]
    fn newest_first_and_removal() {
        let mut store = Store::default();
        for id in ["a", "b", "c"] {
            store.insert("thing", json!({"id": id}));
        }
        let ids: Vec<&str> =
            store.newest_first("thing").iter().filter_map(|o| o["id"].as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"]);
        assert!(store.remove("thing", "b").is_some());
        assert!(store.find("b").is_none());
        assert_eq!(store.find("c").map(|(resource, _)| resource), Some("thing"));
        assert_eq!(store.newest_first("thing").len(), 2);
    }
}
