//! Generates the `stripe-sdk` crate from Stripe's OpenAPI document.
//!
//! The pipeline: [`load_spec`] reads the document (YAML or JSON) and refuses schema keywords it
//! does not understand; `convert` builds the intermediate form (types keyed by id, names assigned
//! once, identical inline schemas merged, cycles broken with `Box`); `emit` turns it into tokens;
//! `render` formats each file with prettyplease behind an `@generated` header.

mod convert;
pub mod diff;
mod docs;
mod emit;
mod error;
mod features;
pub mod files;
mod html;
mod ir;
pub mod layout;
mod load;
mod mock_data;
mod mock_routes;
mod names;
mod render;
pub mod surface;
pub mod view;

use std::collections::BTreeMap;

pub use diff::{diff, Report};
pub use error::{Error, Result};
pub use layout::{OPERATION_TABLE, RESOURCE_TABLE, SDK_DIR};
pub use load::{load_spec, parse_spec, Spec};
pub use mock_data::Fixtures;
/// The pinned spec (crate `spec-pin`), re-exported for the xtask and the tests.
pub use spec_pin as pin;

/// The generated files, keyed by their path relative to the workspace root.
pub struct Output {
    pub files: BTreeMap<String, String>,
    /// The generated `[features]` entries of `stripe-sdk/Cargo.toml`, which go between the
    /// manifest's markers (see [`layout::MANIFEST`]).
    pub manifest_features: String,
    pub stats: Stats,
    pub notes: Notes,
    /// Every public item of the generated crate, as paths (`stripe_sdk::billing_portal::Session`, `…Session.url`, `…Session::create`).
    pub public_items: std::collections::BTreeSet<String>,
    /// The Rust method of every operation, by `(path, METHOD)`.
    pub operations: BTreeMap<(String, String), String>,
}

/// Counts reported by `cargo xtask generate`.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub types: usize,
    pub resources: usize,
    pub deduplicated: usize,
    pub operations: usize,
    /// Cargo features generated from the spec's resource groups.
    pub features: usize,
}

/// What generation noticed without failing, for `cargo xtask generate` to report.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    /// String formats the generator does not know, read as plain strings.
    pub plain_formats: std::collections::BTreeSet<String>,
}

/// Generates every file the repository owns from a parsed spec and Stripe's fixtures
/// ([`Fixtures::none`] for a release without them): the SDK's tree, the tables of the tests and
/// benchmarks, the mock's data, the public items and the operations' names (the manifest's
/// features are spliced in by [`files`]). The xtask and the freshness test both call this.
pub fn generate(spec: &Spec, fixtures: &Fixtures) -> Result<Output> {
    let ir = convert::convert(&spec.openapi)?;
    let header = render::header(&ir.api_version);
    let features = features::Features::compute(&ir)?;
    let mut files = emit::emit(&ir, &features)
        .into_iter()
        .map(|file| render::render(file, &header))
        .collect::<Result<BTreeMap<_, _>>>()?;
    let stats = Stats {
        types: ir.types.len(),
        resources: ir.resources.len(),
        deduplicated: ir.deduplicated,
        operations: ir.operations.len(),
        features: features.names.len(),
    };
    let public_items = surface::public_items(&ir);
    let notes = Notes { plain_formats: ir.plain_formats.clone() };
    let operations = surface::operation_names(&ir);
    files.insert(layout::PUBLIC_ITEMS.to_owned(), diff::items_to_text(&public_items));
    files.insert(layout::OPERATION_NAMES.to_owned(), surface::operations_to_text(&operations));
    let (path, text) = mock_data::file(spec, fixtures, &ir.event_types())?;
    files.insert(path, text);
    Ok(Output {
        files,
        manifest_features: features.manifest_entries(),
        stats,
        notes,
        public_items,
        operations,
    })
}
