//! `cargo xtask generate`: regenerate the SDK from the pinned spec, or check that it is fresh.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};

pub fn generate(root: &Path, spec: Option<&Path>, from: Option<&Path>, check: bool) -> Result<()> {
    let (spec_path, fixtures) = match spec {
        Some(path) => (path.to_path_buf(), codegen::Fixtures::beside(path)?),
        None => {
            let files = crate::fetch::ensure(root, from)?;
            let fixtures = codegen::Fixtures::load(&files.fixtures)?;
            (files.spec, fixtures)
        }
    };
    let started = Instant::now();
    let spec = codegen::load_spec(&spec_path)?;
    let loaded = started.elapsed();
    let output = codegen::generate(&spec, &fixtures)
        .with_context(|| format!("cannot generate from {}", spec_path.display()))?;
    let elapsed = started.elapsed();
    let lines: usize = output.files.values().map(|text| text.lines().count()).sum();
    eprintln!(
        "{} files, {lines} lines, {} types ({} resources; {} inline schemas reused by deduplication), \
         {} features in {:.2}s (spec parsed in {:.2}s)",
        output.files.len(),
        output.stats.types,
        output.stats.resources,
        output.stats.deduplicated,
        output.stats.features,
        elapsed.as_secs_f64(),
        loaded.as_secs_f64(),
    );
    if !output.notes.plain_formats.is_empty() {
        let formats: Vec<&str> = output.notes.plain_formats.iter().map(String::as_str).collect();
        eprintln!("string formats read as plain strings: {}", formats.join(", "));
    }
    if check {
        let diff = codegen::files::diff(root, &output)?;
        if !diff.is_empty() {
            eprintln!("{}", crate::diff::summary(root, &output)?);
            bail!("the generated code is out of date:\n{diff}run `cargo xtask generate` and commit the result");
        }
        eprintln!("generated code is up to date");
    } else {
        let summary = crate::diff::summary(root, &output)?;
        let diff = codegen::files::write(root, &output)?;
        eprintln!(
            "{} updated, {} added, {} removed",
            diff.stale.len(),
            diff.missing.len(),
            diff.extra.len()
        );
        eprintln!("{summary}");
    }
    Ok(())
}
