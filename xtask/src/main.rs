//! `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask fetch-spec [--from DIR]`: put the pinned spec into `spec/cache/`, verified.
//! - `cargo xtask generate [--check] [--spec PATH] [--from DIR]`: regenerate the SDK (or check it
//!   is fresh).
//! - `cargo xtask check-spec PATH...`: generate the SDK from other spec releases into scratch
//!   copies and check that each compiles without warnings.
//! - `cargo xtask diff OLD NEW [--output FILE]`: what changed between two spec files, as Markdown.

mod check_spec;
mod diff;
mod fetch;
mod generate;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use argh::FromArgs;

/// The project's own commands. Without network access, give the pinned files' folder with
/// `--from DIR` or STRIPE_OPENAPI_DIR=DIR.
#[derive(FromArgs)]
struct Args {
    #[argh(subcommand)]
    command: Command,
}

#[derive(FromArgs)]
#[argh(subcommand)]
enum Command {
    FetchSpec(FetchSpec),
    Generate(Generate),
    CheckSpec(CheckSpec),
    Diff(Diff),
}

/// Download the pinned spec (or copy it from a folder) into spec/cache, verified against its sha256.
#[derive(FromArgs)]
#[argh(subcommand, name = "fetch-spec")]
struct FetchSpec {
    /// a folder holding the pinned files (instead of downloading them)
    #[argh(option)]
    from: Option<PathBuf>,
}

/// Regenerate stripe-sdk/src/generated and the tests' tables from the pinned spec.
#[derive(FromArgs)]
#[argh(subcommand, name = "generate")]
struct Generate {
    /// only compare with the committed files; fail listing what is stale
    #[argh(switch)]
    check: bool,
    /// generate from this spec file (YAML or JSON) instead of the pinned one
    #[argh(option)]
    spec: Option<PathBuf>,
    /// a folder holding the pinned files, fetched from there when the cache lacks them
    #[argh(option)]
    from: Option<PathBuf>,
}

/// Generate the SDK from each spec into a scratch copy under target/spec-check and check that it
/// compiles with warnings denied (all features, and no default features).
#[derive(FromArgs)]
#[argh(subcommand, name = "check-spec")]
struct CheckSpec {
    /// spec files (YAML or JSON)
    #[argh(positional)]
    specs: Vec<PathBuf>,
}

/// Report what changed between two spec files (YAML or JSON) for users of the generated crate, as
/// Markdown: operations, objects and their fields, parameters, enum values, event types and public
/// Rust items, each change marked breaking or not.
#[derive(FromArgs)]
#[argh(subcommand, name = "diff")]
struct Diff {
    /// the older spec file
    #[argh(positional)]
    old: PathBuf,
    /// the newer spec file
    #[argh(positional)]
    new: PathBuf,
    /// write the report to this file instead of standard output
    #[argh(option)]
    output: Option<PathBuf>,
}

fn main() {
    let args: Args = argh::from_env();
    if let Err(err) = run(args) {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<()> {
    let root = workspace_root()?;
    match args.command {
        Command::FetchSpec(FetchSpec { from }) => fetch::fetch(&root, from.as_deref()).map(|_| ()),
        Command::Generate(Generate { check, spec, from }) => {
            generate::generate(&root, spec.as_deref(), from.as_deref(), check)
        }
        Command::CheckSpec(CheckSpec { specs }) => {
            if specs.is_empty() {
                bail!("check-spec needs at least one spec file");
            }
            check_spec::check_specs(&root, &specs)
        }
        Command::Diff(Diff { old, new, output }) => diff::diff(&old, &new, output.as_deref()),
    }
}

/// The workspace this command runs in, found at run time: `cargo run` sets `CARGO_MANIFEST_DIR`
/// to the xtask package of the checkout it was started in (a value baked in at compile time would
/// name whichever checkout built the binary, when checkouts share a target folder); otherwise the
/// nearest folder above the current one whose `Cargo.toml` has a `[workspace]`.
fn workspace_root() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        if let Some(root) = Path::new(&dir).parent().filter(|root| is_workspace(root)) {
            return Ok(root.to_path_buf());
        }
    }
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    cwd.ancestors()
        .find(|dir| is_workspace(dir))
        .map(Path::to_path_buf)
        .with_context(|| format!("no Cargo workspace above {}", cwd.display()))
}

fn is_workspace(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
}
