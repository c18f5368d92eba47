//! `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask fetch-spec [--from DIR]`: put the pinned spec into `spec/cache/`, verified.
//! - `cargo xtask generate [--check] [--spec PATH]`: regenerate the SDK (or check it is fresh).

mod fetch;
mod generate;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

const USAGE: &str = "usage:
  cargo xtask fetch-spec [--from DIR]       download the pinned spec (or copy it from DIR) into spec/cache
  cargo xtask generate [--check] [--spec PATH]
                                            regenerate stripe-sdk/src/generated; --check only compares

The local folder can also be given as STRIPE_OPENAPI_DIR=DIR.";

fn main() {
    if let Err(err) = run() {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let mut from = None;
    let mut spec = None;
    let mut check = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--from" => from = Some(PathBuf::from(args.next().context("--from needs a folder")?)),
            "--spec" => spec = Some(PathBuf::from(args.next().context("--spec needs a file")?)),
            "--check" => check = true,
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    let root = workspace_root();
    match command.as_str() {
        "fetch-spec" => fetch::fetch(&root, from.as_deref()).map(|_| ()),
        "generate" => generate::generate(&root, spec.as_deref(), from.as_deref(), check),
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}
