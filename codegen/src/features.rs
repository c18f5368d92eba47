//! Cargo features generated from the spec's resource groups, so that an application compiles only
//! the part of the API it calls.
//!
//! A *group* is where an operation's owner lives: a namespace (`billing_portal`, `issuing`) or, for
//! resources at the crate root, the resource's module (`customer`, `payment_intent`). Each group
//! becomes a feature that enables its operations and every type they reach: parameters,
//! responses, and everything those contain (fields, union variants, expandable objects), followed
//! to the end. The `webhook` feature reaches the types an event is read with. A type is compiled
//! when any feature whose closure holds it is on, so features are additive by construction.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::ir::{Home, Ir, Response, TypeId, TypeKind, TypeRef};

/// The feature of the hand-written webhook module: every object an event can carry.
pub const WEBHOOK: &str = "webhook";

/// The internal feature that stands for the types most groups share (see [`Features::shared`]).
pub const SHARED: &str = "_shared";

/// Features of the manifest that a resource group may not be named like: the generated ones
/// above and the hand-written ones of `stripe-sdk/Cargo.toml`.
const RESERVED: &[&str] = &["default", "full", SHARED, "deserialize", "serialize", "blocking"];

/// The generated features and which of them compile each type.
#[derive(Debug)]
pub struct Features {
    /// Feature names, sorted; indexes into this list are a type's [`FeatureSet`].
    pub names: Vec<String>,
    /// For each type (by [`TypeId`]), the features that need it.
    pub of_type: Vec<FeatureSet>,
    /// For each feature, how many operations and types it compiles.
    pub sizes: Vec<(usize, usize)>,
    /// The features that all reach the largest group of types; each of them enables [`SHARED`],
    /// so that a type they all need is gated by one feature instead of a long list.
    pub shared: Option<FeatureSet>,
}

/// Indexes into [`Features::names`].
pub type FeatureSet = BTreeSet<usize>;

/// The group an operation belongs to: its owner's namespace, or its owner's module at the root.
pub fn group(home: &Home) -> &str {
    match home.namespace.as_deref() {
        // `v2::core` and `v2::billing` are one group, `v2`.
        Some(namespace) => namespace.split("::").next().unwrap_or(namespace),
        None => &home.file,
    }
}

impl Features {
    pub fn compute(ir: &Ir) -> Result<Features> {
        let mut roots: BTreeMap<String, (usize, Vec<TypeId>)> = BTreeMap::new();
        for operation in &ir.operations {
            let (operations, entry) =
                roots.entry(group(&ir.get(operation.owner).home).to_owned()).or_default();
            *operations += 1;
            entry.push(operation.owner);
            entry.extend(operation.params);
            if let Response::Json(ty) = &operation.response {
                collect(ty, entry);
            }
        }
        check_names(roots.keys())?;
        roots.entry(WEBHOOK.to_owned()).or_default().1.extend_from_slice(&ir.event_roots);
        let edges: Vec<Vec<TypeId>> = ir.types.iter().map(|def| references(&def.kind)).collect();
        // A type that no operation and no event reaches (such as the `error` schema) still gets
        // compiled: by the feature of its own group.
        let reached = reach(roots.values().flat_map(|(_, ids)| ids.iter().copied()), &edges);
        for (index, def) in ir.types.iter().enumerate() {
            if !reached.contains(&TypeId(index)) {
                roots.entry(group(&def.home).to_owned()).or_default().1.push(TypeId(index));
            }
        }
        // Groups of such types only (a root schema named `default`) are features too.
        check_names(roots.keys().filter(|name| name.as_str() != WEBHOOK))?;
        let names: Vec<String> = roots.keys().cloned().collect();
        let mut of_type = vec![FeatureSet::new(); ir.types.len()];
        let mut sizes = Vec::with_capacity(names.len());
        for (feature, (operations, start)) in roots.values().enumerate() {
            let reached = reach(start.iter().copied(), &edges);
            sizes.push((*operations, reached.len()));
            for id in reached {
                of_type[id.0].insert(feature);
            }
        }
        let shared = largest_class(&of_type);
        Ok(Features { names, of_type, sizes, shared })
    }

    /// The features any of which compiles one of `ids`.
    pub fn of_types(&self, ids: impl IntoIterator<Item = TypeId>) -> FeatureSet {
        ids.into_iter().flat_map(|id| self.of_type[id.0].iter().copied()).collect()
    }

    /// The feature names a `cfg(any(...))` lists for `set`: [`SHARED`] in place of the shared
    /// features when `set` holds them all.
    pub fn cfg_terms(&self, set: &FeatureSet) -> Vec<&str> {
        match &self.shared {
            Some(shared) if set.is_superset(shared) => std::iter::once(SHARED)
                .chain(set.difference(shared).map(|index| self.names[*index].as_str()))
                .collect(),
            _ => set.iter().map(|index| self.names[*index].as_str()).collect(),
        }
    }

    /// The `[features]` entries of the `stripe-sdk` manifest, one per line.
    pub fn manifest_entries(&self) -> String {
        let mut out =
            String::from("default = [\"full\"]\n# Every API group and the webhook module.\n");
        out.push_str(&format!("full = [{}]\n", quoted(self.names.iter().map(String::as_str))));
        for (index, name) in self.names.iter().enumerate() {
            let (operations, types) = self.sizes[index];
            let what = match (name.as_str(), operations) {
                (WEBHOOK, _) => {
                    "the `webhook` module and every object an event can carry".to_owned()
                }
                (_, 1) => "1 operation".to_owned(),
                _ => format!("{operations} operations"),
            };
            out.push_str(&format!("# {what}; {types} types.\n"));
            let shared = self.shared.as_ref().is_some_and(|shared| shared.contains(&index));
            out.push_str(&format!("{name} = [{}]\n", quoted(shared.then_some(SHARED))));
        }
        if self.shared.is_some() {
            out.push_str(
                "# Internal: the types most groups share, enabled by the groups that need them.\n",
            );
            out.push_str(&format!("{SHARED} = []\n"));
        }
        out
    }
}

/// A TOML list's items: each name in quotes, separated by commas.
fn quoted<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ")
}

/// Refuses resource groups that would be named like another feature of the manifest.
fn check_names<'a>(groups: impl Iterator<Item = &'a String>) -> Result<()> {
    for group in groups {
        if RESERVED.contains(&group.as_str()) || group == WEBHOOK {
            return Err(Error::unsupported(
                "#/paths",
                format!("the operations of resource group `{group}` would make a Cargo feature named like a reserved one ({}, {WEBHOOK})", RESERVED.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The set of features that the most types have in common, if it has more than one feature.
fn largest_class(of_type: &[FeatureSet]) -> Option<FeatureSet> {
    let mut classes: BTreeMap<&FeatureSet, usize> = BTreeMap::new();
    for set in of_type {
        *classes.entry(set).or_default() += 1;
    }
    let mut best: Option<(&FeatureSet, usize)> = None;
    for (set, count) in classes {
        if best.is_none_or(|(_, best_count)| count > best_count) {
            best = Some((set, count));
        }
    }
    best.map(|(set, _)| set.clone()).filter(|set| set.len() > 1)
}

/// Every type reachable from `start` along `edges`, `start` included.
fn reach(start: impl Iterator<Item = TypeId>, edges: &[Vec<TypeId>]) -> BTreeSet<TypeId> {
    let mut seen: BTreeSet<TypeId> = BTreeSet::new();
    let mut pending: Vec<TypeId> = start.collect();
    while let Some(id) = pending.pop() {
        if seen.insert(id) {
            pending.extend(edges[id.0].iter().copied().filter(|next| !seen.contains(next)));
        }
    }
    seen
}

/// The named types a type definition refers to.
fn references(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    kind.children().into_iter().for_each(|ty| collect(ty, &mut out));
    out
}

fn collect(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        // A deleted object's id is the live object's type (`Id<Customer>`): compiling it needs that type.
        TypeRef::Named(id) | TypeRef::Id(id) => out.push(*id),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Expandable(inner)
        | TypeRef::List(inner)
        | TypeRef::SearchList(inner)
        | TypeRef::V2List(inner)
        | TypeRef::Nullable(inner)
        | TypeRef::Boxed(inner)
        | TypeRef::Unsettable(inner) => collect(inner, out),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::Timestamp
        | TypeRef::Currency
        | TypeRef::DateTime
        | TypeRef::Json
        | TypeRef::File => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_named_like_other_features_are_refused() {
        let names = |list: &[&str]| list.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>();
        assert!(check_names(names(&["billing_portal", "customer"]).iter()).is_ok());
        for reserved in ["full", "blocking", "serialize", "webhook", "_shared"] {
            let err =
                check_names(names(&["customer", reserved]).iter()).expect_err(reserved).to_string();
            assert!(err.contains(&format!("resource group `{reserved}`")), "{err}");
        }
    }
}
