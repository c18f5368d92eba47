//! `cargo xtask check-spec`: the SDK generated from other releases of Stripe's spec, each in a
//! scratch copy of the crate under `target/spec-check/`, must compile with warnings denied. The
//! committed tree is never touched: it stays generated from the pin.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// The feature sets each scratch crate is checked with.
const FEATURE_SETS: &[(&str, &[&str])] =
    &[("all features", &["--all-features"]), ("no default features", &["--no-default-features"])];

pub fn check_specs(root: &Path, specs: &[PathBuf]) -> Result<()> {
    let base = root.join("target/spec-check");
    let mut failed = Vec::new();
    for spec in specs {
        let name = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec").to_owned();
        if let Err(err) = check_spec(root, &base, &name, spec) {
            eprintln!("{name}: FAILED: {err:#}");
            failed.push(name);
        }
    }
    if !failed.is_empty() {
        bail!("{} of {} specs failed: {}", failed.len(), specs.len(), failed.join(", "));
    }
    eprintln!("{} specs generated and compiled without warnings", specs.len());
    Ok(())
}

fn check_spec(root: &Path, base: &Path, name: &str, spec_path: &Path) -> Result<()> {
    let scratch = base.join(name);
    scratch_workspace(root, &scratch)?;
    let started = Instant::now();
    let spec = codegen::load_spec(spec_path)?;
    let output = codegen::generate(&spec, &codegen::Fixtures::beside(spec_path)?)
        .with_context(|| format!("cannot generate from {}", spec_path.display()))?;
    let generated = started.elapsed();
    codegen::files::write(&scratch, &output)
        .with_context(|| format!("cannot write into {}", scratch.display()))?;
    let lines: usize = output.files.values().map(|text| text.lines().count()).sum();
    eprintln!(
        "{name}: {} files, {lines} lines, {} types, {} operations, {} features, generated in {:.2}s",
        output.files.len(),
        output.stats.types,
        output.stats.operations,
        output.stats.features,
        generated.as_secs_f64(),
    );
    for (label, flags) in FEATURE_SETS {
        let started = Instant::now();
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["check", "--quiet", "-p", "stripe-sdk", "--manifest-path"])
            .arg(scratch.join("Cargo.toml"))
            .args(*flags)
            .env("RUSTFLAGS", "-D warnings")
            .env("CARGO_TARGET_DIR", base.join("target"))
            .status()
            .context("cannot run cargo check")?;
        if !status.success() {
            bail!(
                "cargo check ({label}) failed for the SDK generated from {}",
                spec_path.display()
            );
        }
        eprintln!("{name}: cargo check ({label}): ok in {:.1}s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// A workspace holding a copy of the hand-written part of `stripe-sdk` (its manifest and the
/// runtime, without the generated tree and the examples, which name generated types), with the
/// workspace's dependency versions and lock file.
fn scratch_workspace(root: &Path, scratch: &Path) -> Result<()> {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch)
            .with_context(|| format!("cannot clear {}", scratch.display()))?;
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let manifest: String = manifest
        .lines()
        .filter(|line| !line.starts_with("default-members") && !line.starts_with("exclude"))
        .map(|line| if line.starts_with("members") { "members = [\"stripe-sdk\"]" } else { line })
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::create_dir_all(scratch.join("stripe-sdk"))?;
    std::fs::write(scratch.join("Cargo.toml"), manifest)?;
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))?;
    let sdk_manifest = std::fs::read_to_string(root.join("stripe-sdk/Cargo.toml"))?;
    std::fs::write(scratch.join("stripe-sdk/Cargo.toml"), without_dev_dependencies(&sdk_manifest))?;
    let generated = root.join(codegen::SDK_DIR);
    copy_tree(&root.join("stripe-sdk/src"), &scratch.join("stripe-sdk/src"), &generated)
}

/// The manifest without its `[dev-dependencies]` table (the examples' mock server, which the
/// library check does not build).
fn without_dev_dependencies(manifest: &str) -> String {
    let mut out = String::with_capacity(manifest.len());
    let mut skipping = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            skipping = line.trim() == "[dev-dependencies]";
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path, skip: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().context("a file without a name")?);
        if path == skip {
            continue;
        } else if path.is_dir() {
            copy_tree(&path, &target, skip)?;
        } else {
            std::fs::copy(&path, &target)
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}
