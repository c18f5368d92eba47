//! The report as Markdown: a table of counts, then one section per kind of change, one line per
//! change, grouped under the object or operation it belongs to.

use std::fmt::Write;

use super::{items::short, Change, Kind, Report, Section};

const SECTIONS: [(Section, &str); 6] = [
    (Section::Operations, "Operations"),
    (Section::Objects, "Objects"),
    (Section::Fields, "Object fields"),
    (Section::Parameters, "Operation parameters"),
    (Section::EnumValues, "Enum values"),
    (Section::EventTypes, "Event types"),
];

impl Report {
    /// The changes of one section.
    pub fn section(&self, section: Section) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |change| change.section == section)
    }

    /// `(added, removed, changed, breaking)` of one section.
    pub fn counts(&self, section: Section) -> (usize, usize, usize, usize) {
        let count = |kind: Kind| self.section(section).filter(|c| c.kind == kind).count();
        let breaking = self.section(section).filter(|c| c.breaking).count();
        (count(Kind::Added), count(Kind::Removed), count(Kind::Changed), breaking)
    }

    /// The number of breaking changes, public items included.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
            + self.items.removed.len()
            + self.items.renamed.len()
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = self.write_markdown(&mut out);
        out
    }

    fn write_markdown(&self, out: &mut String) -> std::fmt::Result {
        writeln!(out, "# Spec changes: API {} → {}\n", self.old_version, self.new_version)?;
        writeln!(
            out,
            "{} breaking changes, marked **breaking** (what counts as breaking: `cargo xtask diff` in the README).\n",
            self.breaking()
        )?;
        writeln!(out, "| | added | removed | changed | breaking |\n|---|---:|---:|---:|---:|")?;
        for (section, title) in SECTIONS {
            let (added, removed, changed, breaking) = self.counts(section);
            writeln!(
                out,
                "| {} | {added} | {removed} | {changed} | {breaking} |",
                title.to_lowercase()
            )?;
        }
        let items = &self.items;
        writeln!(
            out,
            "| public Rust items | {} | {} | {} renamed | {} |",
            items.added.len(),
            items.removed.len(),
            items.renamed.len(),
            items.removed.len() + items.renamed.len()
        )?;
        for (section, title) in SECTIONS {
            self.write_section(out, section, title)?;
        }
        self.write_items(out)
    }

    fn write_section(&self, out: &mut String, section: Section, title: &str) -> std::fmt::Result {
        let mut changes = self.section(section).peekable();
        if changes.peek().is_none() {
            return Ok(());
        }
        writeln!(out, "\n## {title}\n")?;
        let mut subject: Option<&str> = None;
        for change in changes {
            if subject != Some(change.subject.as_str()) {
                if !change.subject.is_empty() {
                    if subject.is_some() {
                        writeln!(out)?;
                    }
                    writeln!(out, "### {}\n", change.subject)?;
                }
                subject = Some(&change.subject);
            }
            writeln!(out, "{}", line(change))?;
        }
        Ok(())
    }

    fn write_items(&self, out: &mut String) -> std::fmt::Result {
        let items = &self.items;
        if items.is_empty() {
            return Ok(());
        }
        writeln!(out, "\n## Public Rust items")?;
        writeln!(
            out,
            "\nTypes are paired as renamed when they stay in one module with the same fields, variants and \
             methods; anything else that changed name is listed as removed and added."
        )?;
        if !items.renamed.is_empty() {
            writeln!(out, "\n### Renamed\n")?;
            for (old, new) in &items.renamed {
                writeln!(out, "- **breaking** `{}` → `{}`", short(old), short(new))?;
            }
        }
        if !items.removed.is_empty() {
            writeln!(out, "\n### Removed\n")?;
            for path in &items.removed {
                writeln!(out, "- **breaking** `{}`", short(path))?;
            }
        }
        if !items.added.is_empty() {
            writeln!(out, "\n### Added\n")?;
            for path in &items.added {
                writeln!(out, "- `{}`", short(path))?;
            }
        }
        Ok(())
    }
}

/// One change as a list item: `- **breaking** removed field \`x\` (\`string\`)`.
pub fn line(change: &Change) -> String {
    let breaking = if change.breaking { "**breaking** " } else { "" };
    let kind = match change.kind {
        Kind::Added => "added ",
        Kind::Removed => "removed ",
        Kind::Changed => "",
    };
    format!("- {breaking}{kind}{}", change.text)
}
