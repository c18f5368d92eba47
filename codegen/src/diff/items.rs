//! Comparing the public items of two generations (`Output::public_items`): what was removed,
//! added, and which removed types were renamed.
//!
//! The pairing rule: a removed type and an added type are a rename when they are in the same
//! module and have the same non-empty set of members (field names, variant names, method
//! names), and neither has that set in common with another removed or added type of that
//! module. Their members pair by name. Nothing else pairs: a field or variant whose name changed
//! within a type that kept its name, or a type renamed while its members changed, is listed as
//! removed and added, since the paths alone (without wire names) cannot tell it from a real
//! removal.

use std::collections::{BTreeMap, BTreeSet};

/// How two sets of public items differ.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ItemChanges {
    /// `(old path, new path)` of renamed types (their members follow them and are not listed).
    pub renamed: Vec<(String, String)>,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// One public item path split into its type and its member: `stripe_sdk::ns::Type`,
/// `…Type.field`, `…Type::Variant`, `…Type::method`.
struct Item<'a> {
    /// The module path (`stripe_sdk::billing_portal`).
    module: &'a str,
    /// The type's path.
    ty: &'a str,
    /// `.field` or `::Member`, or `""` for the type itself.
    member: &'a str,
}

fn split(path: &str) -> Item<'_> {
    // Modules are snake_case and types UpperCamelCase: the type is the first segment that starts
    // with an uppercase letter.
    let mut offset = 0;
    let mut type_start = None;
    for segment in path.split("::") {
        if type_start.is_none() && segment.starts_with(|c: char| c.is_ascii_uppercase()) {
            type_start = Some(offset);
        }
        offset += segment.len() + 2;
    }
    let Some(start) = type_start else { return Item { module: path, ty: path, member: "" } };
    let rest = &path[start..];
    let end = rest.find(['.', ':']).map_or(path.len(), |i| start + i);
    Item { module: path[..start].trim_end_matches("::"), ty: &path[..end], member: &path[end..] }
}

pub fn compare(old: &BTreeSet<String>, new: &BTreeSet<String>) -> ItemChanges {
    let removed: BTreeSet<&str> = old.difference(new).map(String::as_str).collect();
    let added: BTreeSet<&str> = new.difference(old).map(String::as_str).collect();
    let renames = pair_types(old, new, &removed, &added);
    let renamed_old: BTreeMap<&str, &str> = renames.iter().map(|(o, n)| (*o, *n)).collect();
    let renamed_new: BTreeSet<&str> = renames.iter().map(|(_, n)| *n).collect();
    ItemChanges {
        renamed: renames.iter().map(|(o, n)| (o.to_string(), n.to_string())).collect(),
        removed: removed
            .iter()
            .filter(|path| !renamed_old.contains_key(split(path).ty))
            .map(|path| path.to_string())
            .collect(),
        added: added
            .iter()
            .filter(|path| !renamed_new.contains(split(path).ty))
            .map(|path| path.to_string())
            .collect(),
    }
}

/// Removed and added types that are renames (see the module doc), in the old path's order.
fn pair_types<'a>(
    old: &'a BTreeSet<String>,
    new: &'a BTreeSet<String>,
    removed: &BTreeSet<&'a str>,
    added: &BTreeSet<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let gone = signatures(old, removed);
    let came = signatures(new, added);
    let mut pairs = Vec::new();
    for (key, old_types) in &gone {
        if let (Some(new_types), [old_type]) = (came.get(key), old_types.as_slice()) {
            if let [new_type] = new_types.as_slice() {
                pairs.push((*old_type, *new_type));
            }
        }
    }
    pairs.sort();
    pairs
}

/// The types among `changed` (the type paths themselves), grouped by module and member set.
fn signatures<'a>(
    all: &'a BTreeSet<String>,
    changed: &BTreeSet<&'a str>,
) -> BTreeMap<(&'a str, BTreeSet<&'a str>), Vec<&'a str>> {
    let mut members: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for path in all {
        let item = split(path);
        if changed.contains(item.ty) && !item.member.is_empty() {
            members.entry(item.ty).or_default().insert(item.member);
        }
    }
    let mut out: BTreeMap<_, Vec<&str>> = BTreeMap::new();
    for (ty, set) in members {
        // Every member must have changed with the type: a type whose name stayed is no rename.
        out.entry((split(ty).module, set)).or_default().push(ty);
    }
    out
}

impl ItemChanges {
    pub fn is_empty(&self) -> bool {
        self.renamed.is_empty() && self.removed.is_empty() && self.added.is_empty()
    }

    /// One line for `cargo xtask generate`: counts, then the first few renamed and removed items.
    pub fn summary_line(&self, shown: usize) -> String {
        let mut line = format!(
            "public items: +{} -{}, {} types renamed",
            self.added.len(),
            self.removed.len(),
            self.renamed.len()
        );
        let mut first: Vec<String> = self
            .renamed
            .iter()
            .map(|(old, new)| format!("{} -> {}", short(old), short(new)))
            .chain(self.removed.iter().map(|path| format!("-{}", short(path))))
            .take(shown + 1)
            .collect();
        if !first.is_empty() {
            let more = first.len() > shown;
            first.truncate(shown);
            line.push_str(&format!(" ({}{})", first.join(", "), if more { ", ..." } else { "" }));
        }
        line
    }
}

/// A path without the crate name.
pub fn short(path: &str) -> &str {
    path.strip_prefix("stripe_sdk::").unwrap_or(path)
}

/// The public items file: one path a line.
pub fn to_text(items: &BTreeSet<String>) -> String {
    items.iter().map(|item| format!("{item}\n")).collect()
}

/// Reads a public items file written by [`to_text`].
pub fn from_text(text: &str) -> BTreeSet<String> {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn splits_paths() {
        let item = split("stripe_sdk::billing_portal::Session::create");
        assert_eq!(
            (item.module, item.ty, item.member),
            ("stripe_sdk::billing_portal", "stripe_sdk::billing_portal::Session", "::create")
        );
        let item = split("stripe_sdk::Customer.address");
        assert_eq!(
            (item.module, item.ty, item.member),
            ("stripe_sdk", "stripe_sdk::Customer", ".address")
        );
    }

    #[test]
    fn pairs_renamed_types_by_members() {
        let old = set(&[
            "stripe_sdk::Keep",
            "stripe_sdk::Keep.a",
            "stripe_sdk::OldName",
            "stripe_sdk::OldName.city",
            "stripe_sdk::OldName.line1",
            "stripe_sdk::Gone",
            "stripe_sdk::Gone.x",
        ]);
        let new = set(&[
            "stripe_sdk::Keep",
            "stripe_sdk::Keep.a",
            "stripe_sdk::Keep.b",
            "stripe_sdk::Address",
            "stripe_sdk::Address.city",
            "stripe_sdk::Address.line1",
        ]);
        let changes = compare(&old, &new);
        assert_eq!(
            changes.renamed,
            vec![("stripe_sdk::OldName".to_owned(), "stripe_sdk::Address".to_owned())]
        );
        assert_eq!(changes.removed, vec!["stripe_sdk::Gone", "stripe_sdk::Gone.x"]);
        assert_eq!(changes.added, vec!["stripe_sdk::Keep.b"]);
        assert_eq!(
            changes.summary_line(1),
            "public items: +1 -2, 1 types renamed (OldName -> Address, ...)"
        );
    }

    #[test]
    fn ambiguous_member_sets_do_not_pair() {
        let old = set(&["stripe_sdk::A", "stripe_sdk::A.x", "stripe_sdk::B", "stripe_sdk::B.x"]);
        let new = set(&["stripe_sdk::C", "stripe_sdk::C.x"]);
        let changes = compare(&old, &new);
        assert!(changes.renamed.is_empty());
        assert_eq!(changes.removed.len(), 4);
        assert_eq!(changes.added.len(), 2);
    }
}
