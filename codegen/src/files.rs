//! Comparing generated files with the working tree, and writing them (rust-analyzer's
//! `ensure_file_contents`, for a whole tree). Where each file goes is [`crate::layout`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::layout::{BEGIN, END, MANIFEST, SDK_DIR};
use crate::Output;

/// How the working tree differs from a fresh generation.
#[derive(Debug, Default)]
pub struct Diff {
    /// Files whose content differs.
    pub stale: Vec<String>,
    /// Generated files that are not on disk.
    pub missing: Vec<String>,
    /// Files in the generated tree that generation no longer produces.
    pub extra: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (label, paths) in
            [("stale", &self.stale), ("missing", &self.missing), ("extra", &self.extra)]
        {
            for path in paths {
                writeln!(f, "  {label}: {path}")?;
            }
        }
        Ok(())
    }
}

/// The full text of every file generation owns: the generated files, and the manifest with its
/// generated features spliced in between the markers.
pub fn contents(root: &Path, output: &Output) -> std::io::Result<BTreeMap<String, String>> {
    let manifest = std::fs::read_to_string(root.join(MANIFEST))?;
    let mut files = output.files.clone();
    files.insert(MANIFEST.to_owned(), splice(&manifest, &output.manifest_features)?);
    Ok(files)
}

/// Replaces the lines between [`BEGIN`] and [`END`] in `manifest` with `entries`.
fn splice(manifest: &str, entries: &str) -> std::io::Result<String> {
    let missing = || {
        let message = format!("{MANIFEST} must contain the lines `{BEGIN}` and, after it, `{END}` in its [features] table");
        std::io::Error::new(std::io::ErrorKind::InvalidData, message)
    };
    let start = manifest.find(&format!("{BEGIN}\n")).ok_or_else(missing)? + BEGIN.len() + 1;
    let end = start + manifest[start..].find(&format!("{END}\n")).ok_or_else(missing)?;
    Ok(format!("{}{entries}{}", &manifest[..start], &manifest[end..]))
}

pub fn diff(root: &Path, output: &Output) -> std::io::Result<Diff> {
    diff_files(root, &contents(root, output)?)
}

fn diff_files(root: &Path, files: &BTreeMap<String, String>) -> std::io::Result<Diff> {
    let mut diff = Diff::default();
    for (path, contents) in files {
        match std::fs::read_to_string(root.join(path)) {
            // A checkout with CRLF line endings (git's autocrlf) holds the same text.
            Ok(existing) if same_text(&existing, contents) => {}
            Ok(_) => diff.stale.push(path.clone()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                diff.missing.push(path.clone())
            }
            Err(err) => return Err(err),
        }
    }
    diff.extra =
        existing_files(root)?.into_iter().filter(|path| !files.contains_key(path)).collect();
    Ok(diff)
}

/// Writes the files that differ and removes the extra ones; returns what changed.
pub fn write(root: &Path, output: &Output) -> std::io::Result<Diff> {
    let files = contents(root, output)?;
    let diff = diff_files(root, &files)?;
    for path in diff.stale.iter().chain(&diff.missing) {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, &files[path])?;
    }
    for path in &diff.extra {
        let full = root.join(path);
        std::fs::remove_file(&full)?;
        remove_empty_parents(root, &full)?;
    }
    Ok(diff)
}

fn same_text(existing: &str, generated: &str) -> bool {
    existing == generated
        || (existing.contains("\r\n") && existing.replace("\r\n", "\n") == generated)
}

/// Removes the folders left empty in the generated tree (a namespace a new spec no longer has).
fn remove_empty_parents(root: &Path, file: &Path) -> std::io::Result<()> {
    let top = root.join(SDK_DIR);
    let mut dir = file.parent();
    while let Some(current) = dir.filter(|d| d.starts_with(&top) && *d != top) {
        if std::fs::read_dir(current)?.next().is_some() {
            break;
        }
        std::fs::remove_dir(current)?;
        dir = current.parent();
    }
    Ok(())
}

/// Every file under the generated tree, as workspace-relative paths with `/` separators.
fn existing_files(root: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![root.join(SDK_DIR)];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}
