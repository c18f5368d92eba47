//! `cargo xtask diff OLD NEW`: what changed between two spec files for users of the generated
//! crate, as Markdown (see `codegen::diff`).

use std::path::Path;

use anyhow::{Context, Result};

pub fn diff(old: &Path, new: &Path, output: Option<&Path>) -> Result<()> {
    let load = |path: &Path| {
        codegen::load_spec(path).with_context(|| format!("cannot read the spec {}", path.display()))
    };
    let (old_spec, new_spec) = (load(old)?, load(new)?);
    let report = codegen::diff(&old_spec, &new_spec)
        .with_context(|| format!("cannot compare {} with {}", old.display(), new.display()))?;
    let markdown = report.to_markdown();
    match output {
        Some(path) => {
            std::fs::write(path, &markdown)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "{} changes ({} breaking) written to {}",
                report.changes.len(),
                report.breaking(),
                path.display()
            );
        }
        None => print!("{markdown}"),
    }
    Ok(())
}

/// The one-line summary of how a generation's public items differ from the committed list.
pub fn summary(root: &Path, output: &codegen::Output) -> Result<String> {
    let path = root.join(codegen::layout::PUBLIC_ITEMS);
    let committed = match std::fs::read_to_string(&path) {
        Ok(text) => codegen::diff::items_from_text(&text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(format!(
                "public items: {} (no committed list to compare with)",
                output.public_items.len()
            ));
        }
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let changes = codegen::diff::compare_items(&committed, &output.public_items);
    Ok(format!("{}\n{}", changes.summary_line(5), renamed_methods(root, output)?))
}

/// The line naming the operations whose method changed name against the committed
/// `spec/operations.txt` (a method moved to another type counts too).
fn renamed_methods(root: &Path, output: &codegen::Output) -> Result<String> {
    let path = root.join(codegen::layout::OPERATION_NAMES);
    let committed = match std::fs::read_to_string(&path) {
        Ok(text) => codegen::surface::operations_from_text(&text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok("methods: no committed list to compare with".to_owned())
        }
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let renamed = codegen::surface::renamed_methods(&committed, &output.operations);
    let shown: Vec<String> =
        renamed.iter().take(5).map(|(old, new)| format!("{old} -> {new}")).collect();
    let more = if renamed.len() > shown.len() { ", ..." } else { "" };
    if renamed.is_empty() {
        return Ok("methods: none renamed".to_owned());
    }
    Ok(format!("methods: {} renamed ({}{more})", renamed.len(), shown.join(", ")))
}
