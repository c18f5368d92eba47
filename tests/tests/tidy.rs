//! Tidy checks of the hand-written code (rust-analyzer's `TidyDocs`): every module says what it
//! is for in a `//!` line at its top. The generated tree (`stripe-sdk/src/generated`, the tables
//! the generator writes) has its `@generated` header instead.

use std::path::{Path, PathBuf};

/// Folders of the workspace with hand-written Rust.
const ROOTS: &[&str] = &["codegen", "spec", "stripe-sdk", "tests", "xtask", "bench/src", "fuzz"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | "generated" | "data" | "snapshots" | "snippets") {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_hand_written_module_has_a_module_doc() {
    let root = tests::workspace_root();
    let mut files = Vec::new();
    for dir in ROOTS {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "found only {} files", files.len());
    let mut missing = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable source file");
        if text.starts_with("// @generated") {
            continue;
        }
        let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
        if !first.starts_with("//!") {
            missing.push(file.strip_prefix(&root).unwrap_or(file).display().to_string());
        }
    }
    assert!(missing.is_empty(), "modules without a `//!` line at the top:\n{}", missing.join("\n"));
}
