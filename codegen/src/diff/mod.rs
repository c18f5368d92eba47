//! `codegen::diff`: what changed between two releases of the spec for a user of the generated
//! crate, as a deterministic Markdown report (`cargo xtask diff OLD NEW`).
//!
//! Compared: operations (by method and path, with their Rust method), component schemas and their
//! fields, the parameters of each operation, enum values (wherever an enum is: a field, a
//! parameter, a nested field of an inline object, an array's items), the event types, and the
//! public Rust items of the two generations.
//!
//! The rule for **breaking** (a change that can stop code written against the old crate from
//! compiling, or from getting what it did):
//! - removed operations, objects, fields, parameters, enum values, event types and public items
//!   are breaking; renamed public items are breaking;
//! - a changed type (its summary in [`shapes::summary`]) is breaking;
//! - a field of a response object whose Rust type becomes an `Option` or stops being one
//!   (required and non-null ⇄ optional or nullable) is breaking; a nullability change that
//!   leaves it an `Option` (an optional field becoming nullable) is listed but not breaking;
//! - a parameter that becomes required or optional is breaking (it moves between the `new`
//!   constructor's arguments and the `Option` fields); an added required parameter is breaking,
//!   an added optional one is not;
//! - added operations, objects, fields, enum values and event types are not breaking: string enums
//!   are `#[non_exhaustive]` with an `Unknown` variant, response structs are built by the decoder
//!   (a struct literal of a response type would break, which is not how they are used), and
//!   parameter structs are built with `new` or `..Default::default()`. A value that used to
//!   decode as `Unknown("x")` decodes as its new variant, which is a change of behaviour for code
//!   that matched the `Unknown`.

mod items;
mod markdown;
pub mod shapes;

use std::collections::{BTreeMap, BTreeSet};

pub use items::{
    compare as compare_items, from_text as items_from_text, short, to_text as items_to_text,
    ItemChanges,
};
use shapes::{Shape, Shapes, SpecShapes};

use crate::error::Result;
use crate::Spec;

/// The report: every change, in a fixed order.
#[derive(Debug)]
pub struct Report {
    /// `info.version` of the two specs (the API versions).
    pub old_version: String,
    pub new_version: String,
    pub changes: Vec<Change>,
    pub items: ItemChanges,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub section: Section,
    /// What changed: the object (`customer`) or the operation (`POST /v1/customers`), with its
    /// Rust name in backquotes; empty for operations and event types themselves.
    pub subject: String,
    pub kind: Kind,
    /// The change itself, in Markdown (`field \`tax\` (\`object\`)`).
    pub text: String,
    pub breaking: bool,
    /// What the report is ordered by within a section: the subject's path and method for
    /// operations (`/v1/customers POST`), its name otherwise.
    pub(crate) order: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Operations,
    Objects,
    Fields,
    Parameters,
    EnumValues,
    EventTypes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

/// Compares two specs (and the crates generated from them).
pub fn diff(old: &Spec, new: &Spec) -> Result<Report> {
    let old_shapes = shapes::read(&old.openapi)?;
    let new_shapes = shapes::read(&new.openapi)?;
    let old_ir = crate::convert::convert(&old.openapi)?;
    let new_ir = crate::convert::convert(&new.openapi)?;
    let names = OperationNames {
        old: crate::surface::operation_names(&old_ir),
        new: crate::surface::operation_names(&new_ir),
    };
    let mut changes = Vec::new();
    operations(&old_shapes, &new_shapes, &names, &mut changes);
    objects(&old_shapes, &new_shapes, &mut changes);
    events(&old_shapes, &new_shapes, &mut changes);
    changes
        .sort_by(|a, b| (a.section, &a.order, &a.subject).cmp(&(b.section, &b.order, &b.subject)));
    let items = items::compare(
        &crate::surface::public_items(&old_ir),
        &crate::surface::public_items(&new_ir),
    );
    Ok(Report { old_version: old_shapes.version, new_version: new_shapes.version, changes, items })
}

/// Rust methods (`billing_portal::Session::create`) by `(path, METHOD)`, in each generation.
struct OperationNames {
    old: BTreeMap<(String, String), String>,
    new: BTreeMap<(String, String), String>,
}

impl OperationNames {
    /// `` `POST /v1/customers` (`Customer::create`) ``, named as in the newer crate when it has it.
    fn subject(&self, key: &(String, String)) -> String {
        let (path, method) = key;
        match self.new.get(key).or_else(|| self.old.get(key)) {
            Some(name) => format!("`{method} {path}` (`{name}`)"),
            None => format!("`{method} {path}`"),
        }
    }
}

fn change(section: Section, subject: &str, kind: Kind, text: String, breaking: bool) -> Change {
    Change { section, subject: subject.to_owned(), kind, text, breaking, order: String::new() }
}

/// Orders the changes of one operation by its path, then method.
fn ordered(mut change: Change, (path, method): &(String, String)) -> Change {
    change.order = format!("{path} {method}");
    change
}

fn operations(old: &SpecShapes, new: &SpecShapes, names: &OperationNames, out: &mut Vec<Change>) {
    for (key, before) in &old.operations {
        let subject = names.subject(key);
        match new.operations.get(key) {
            None => out
                .push(ordered(change(Section::Operations, "", Kind::Removed, subject, true), key)),
            Some(after) => {
                let start = out.len();
                compare_shapes(Section::Parameters, &subject, before, after, Role::Request, out);
                for change in &mut out[start..] {
                    change.order = format!("{} {}", key.0, key.1);
                }
            }
        }
    }
    for key in new.operations.keys().filter(|key| !old.operations.contains_key(*key)) {
        out.push(ordered(
            change(Section::Operations, "", Kind::Added, names.subject(key), false),
            key,
        ));
    }
}

fn objects(old: &SpecShapes, new: &SpecShapes, out: &mut Vec<Change>) {
    for (name, before) in &old.objects {
        match new.objects.get(name) {
            None => {
                out.push(change(Section::Objects, "", Kind::Removed, format!("`{name}`"), true))
            }
            Some(after) => compare_shapes(
                Section::Fields,
                &format!("`{name}`"),
                before,
                after,
                Role::Response,
                out,
            ),
        }
    }
    for name in new.objects.keys().filter(|name| !old.objects.contains_key(*name)) {
        out.push(change(Section::Objects, "", Kind::Added, format!("`{name}`"), false));
    }
}

fn events(old: &SpecShapes, new: &SpecShapes, out: &mut Vec<Change>) {
    for event in old.events.difference(&new.events) {
        out.push(change(Section::EventTypes, "", Kind::Removed, format!("`{event}`"), true));
    }
    for event in new.events.difference(&old.events) {
        out.push(change(Section::EventTypes, "", Kind::Added, format!("`{event}`"), false));
    }
}

/// Whether the fields compared are an object's (as decoded from a response) or an operation's
/// parameters: the two differ in what makes a field an `Option` and in what breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Response,
    Request,
}

impl Role {
    fn is_option(self, shape: &Shape) -> bool {
        match self {
            Role::Response => !shape.required || shape.nullable,
            Role::Request => !shape.required,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Role::Response => "field",
            Role::Request => "parameter",
        }
    }
}

fn compare_shapes(
    section: Section,
    subject: &str,
    old: &Shapes,
    new: &Shapes,
    role: Role,
    out: &mut Vec<Change>,
) {
    let noun = role.noun();
    for (path, before) in &old.fields {
        let Some(after) = new.fields.get(path) else {
            let text = format!("{noun} `{path}` (`{}`)", before.ty);
            out.push(change(section, subject, Kind::Removed, text, true));
            continue;
        };
        if before.ty != after.ty {
            out.push(type_change(section, subject, noun, path, &before.ty, &after.ty));
        }
        let option_changed = role.is_option(before) != role.is_option(after);
        if before.required != after.required {
            let text = format!(
                "{noun} `{path}`: {}",
                if after.required { "optional → required" } else { "required → optional" }
            );
            let breaking = option_changed || (role == Role::Request && after.required);
            out.push(change(section, subject, Kind::Changed, text, breaking));
        }
        if before.nullable != after.nullable {
            let text = format!(
                "{noun} `{path}`: {}",
                if after.nullable { "becomes nullable" } else { "no longer nullable" }
            );
            let breaking =
                role == Role::Response && option_changed && before.required == after.required;
            out.push(change(section, subject, Kind::Changed, text, breaking));
        }
    }
    for (path, after) in new.fields.iter().filter(|(path, _)| !old.fields.contains_key(*path)) {
        let required = if after.required { "required " } else { "" };
        let text = format!("{required}{noun} `{path}` (`{}`)", after.ty);
        // A new required parameter is a new argument of its struct's `new`, unless the struct
        // (the parent) is new too.
        let breaking = role == Role::Request
            && after.required
            && parent(path).is_none_or(|parent| old.fields.contains_key(parent));
        out.push(change(section, subject, Kind::Added, text, breaking));
    }
    enum_values(subject, old, new, out);
}

/// A changed type. A union of two or more types (a Rust enum, `#[non_exhaustive]`) that only gains
/// branches is not breaking; an expandable field (`customer | string`) that gains one becomes a
/// union, which is.
fn type_change(
    section: Section,
    subject: &str,
    noun: &str,
    path: &str,
    before: &str,
    after: &str,
) -> Change {
    let branches =
        |ty: &'_ str| -> BTreeSet<String> { ty.split(" | ").map(str::to_owned).collect() };
    let (old, new) = (branches(before), branches(after));
    let objects = old.iter().filter(|b| !matches!(b.as_str(), "string" | "\"\"")).count();
    if objects >= 2 && new.is_superset(&old) {
        let gained: Vec<String> = new.difference(&old).map(|b| format!("`{b}`")).collect();
        let text = format!("{noun} `{path}`: union gains {}", gained.join(", "));
        return change(section, subject, Kind::Changed, text, false);
    }
    let text = format!("{noun} `{path}`: type `{before}` → `{after}`");
    change(section, subject, Kind::Changed, text, true)
}

/// Values added to and removed from the enums both sides have (a new or removed field's enum is
/// reported as that field). The event types are reported on their own.
fn enum_values(subject: &str, old: &Shapes, new: &Shapes, out: &mut Vec<Change>) {
    for (path, before) in &old.enums {
        let Some(after) = new.enums.get(path) else { continue };
        if shapes::is_event_field(path) {
            continue;
        }
        let place =
            if path.is_empty() { subject.to_owned() } else { format!("{subject} `{path}`") };
        for value in before.difference(after) {
            out.push(change(
                Section::EnumValues,
                &place,
                Kind::Removed,
                format!("`{value}`"),
                true,
            ));
        }
        for value in after.difference(before) {
            out.push(change(Section::EnumValues, &place, Kind::Added, format!("`{value}`"), false));
        }
    }
}

/// The field that holds a nested one: `items` for `items[].price`, `a` for `a.b`.
fn parent(path: &str) -> Option<&str> {
    path.rfind('.').map(|dot| path[..dot].trim_end_matches("[]"))
}
