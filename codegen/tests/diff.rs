//! `codegen::diff` on a pair of small specs (`tests/snippets/diff/old.yaml` → `new.yaml`) that
//! holds one change of each kind: the report's lines, its counts and its breaking marks.

use std::path::Path;

fn report() -> codegen::Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snippets/diff");
    let load = |name: &str| {
        codegen::load_spec(&dir.join(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
    };
    codegen::diff(&load("old.yaml"), &load("new.yaml")).unwrap_or_else(|err| panic!("{err}"))
}

/// The lines of the section titled `title` (up to the next `## `), without blank lines.
fn section(markdown: &str, title: &str) -> Vec<String> {
    let start = markdown
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("no section {title} in:\n{markdown}"));
    let rest = &markdown[start + title.len() + 5..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].lines().filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

#[test]
fn headline_counts() {
    let markdown = report().to_markdown();
    for line in [
        "# Spec changes: API 2099-01-01 → 2099-02-01",
        "| operations | 1 | 1 | 0 | 1 |",
        "| objects | 2 | 1 | 0 | 1 |",
        "| object fields | 1 | 1 | 6 | 5 |",
        "| operation parameters | 3 | 1 | 1 | 4 |",
        "| enum values | 2 | 2 | 0 | 2 |",
        "| event types | 1 | 1 | 0 | 1 |",
        // The unions are named after their variants (`WidgetPartOrWidget`), so the union that
        // gains a variant is a removed type and an added one here.
        "| public Rust items | 25 | 16 | 0 renamed | 16 |",
        "30 breaking changes, marked **breaking** (what counts as breaking: `cargo xtask diff` in the README).",
    ] {
        assert!(markdown.lines().any(|l| l == line), "missing line {line:?} in:\n{markdown}");
    }
}

#[test]
fn operations_with_their_rust_methods() {
    assert_eq!(
        section(&report().to_markdown(), "Operations"),
        [
            "- **breaking** removed `GET /v1/gadgets/{gadget}` (`Gadget::retrieve`)",
            "- added `POST /v1/widgets/{widget}/archive` (`Widget::archive`)",
        ]
    );
}

#[test]
fn object_fields_type_nullability_and_unions() {
    assert_eq!(
        section(&report().to_markdown(), "Object fields"),
        [
            "### `widget`",
            "- field `holder`: union gains `sprocket`",
            "- **breaking** field `kind`: type `string` → `integer`",
            // Required and nullable: `Option<String>` becomes `String`.
            "- **breaking** field `note`: no longer nullable",
            "- **breaking** field `parts`: type `gadget | widget_part` → `extra_part | sprocket | widget_part`",
            "- **breaking** removed field `price` (`string`)",
            "- **breaking** field `size`: becomes nullable",
            // Optional already, so still an `Option`.
            "- field `tip`: becomes nullable",
            "- added field `description` (`string`)",
        ]
    );
}

#[test]
fn parameters_required_and_nested() {
    assert_eq!(
        section(&report().to_markdown(), "Operation parameters"),
        [
            "### `POST /v1/widgets` (`Widget::create`)",
            "- **breaking** parameter `name`: required → optional",
            "- **breaking** removed parameter `size` (`integer`)",
            "- **breaking** added required parameter `address.country` (`string`)",
            "- added parameter `label` (`string`)",
            "- **breaking** added required parameter `owner` (`string`)",
        ]
    );
}

#[test]
fn enum_values_by_place_and_event_types() {
    let markdown = report().to_markdown();
    assert_eq!(
        section(&markdown, "Enum values"),
        [
            "### `widget` `color`",
            "- **breaking** removed `green`",
            "- added `blue`",
            "### `POST /v1/widgets` (`Widget::create`) `color`",
            "- **breaking** removed `green`",
            "- added `blue`",
        ]
    );
    assert_eq!(
        section(&markdown, "Event types"),
        ["- **breaking** removed `widget.deleted`", "- added `widget.updated`"]
    );
}

#[test]
fn public_items_removed_and_added() {
    let report = report();
    let lines = section(&report.to_markdown(), "Public Rust items");
    for line in [
        "- **breaking** `Widget.price`",
        "- **breaking** `Gadget::retrieve`",
        "- **breaking** `EventType::WidgetDeleted`",
        "- `Widget::archive`",
        "- `CreateWidgetParams.owner`",
        "- **breaking** `WidgetPartOrWidget`",
        "- `WidgetPartOrWidgetOrSprocket::Sprocket`",
    ] {
        assert!(lines.iter().any(|l| l == line), "missing {line:?} in {lines:#?}");
    }
    assert!(report.items.renamed.is_empty());
}

#[test]
fn same_spec_reports_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snippets/diff");
    let spec = || codegen::load_spec(&dir.join("old.yaml")).unwrap_or_else(|err| panic!("{err}"));
    let report = codegen::diff(&spec(), &spec()).unwrap_or_else(|err| panic!("{err}"));
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    assert!(report.items.is_empty());
    assert_eq!(report.breaking(), 0);
    assert!(!report.to_markdown().contains("\n## "));
}
