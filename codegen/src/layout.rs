//! Where generated files go, relative to the workspace root: the one place that knows the
//! repository's layout (`emit` names files with it, `files` writes them, the xtask reads them).

/// The generated tree of the SDK crate.
pub const SDK_DIR: &str = "stripe-sdk/src/generated";
/// The table of every resource and its type, for the fixture tests.
pub const RESOURCE_TABLE: &str = "tests/src/resources.rs";
/// The resource table of the benchmarks (a macro; `bench/` is a workspace of its own).
pub const BENCH_RESOURCE_TABLE: &str = "bench/src/resources.rs";
/// The table of every operation, for the conformance runner.
pub const OPERATION_TABLE: &str = "tests/src/operations.rs";

/// The public items of the generated crate, one path a line: what the next generation's
/// summary (renamed, removed items) is computed against.
pub const PUBLIC_ITEMS: &str = "spec/public-items.txt";

/// Every operation and its Rust method, one a line (`GET /v1/customers Customer::list`): what
/// the next generation's renamed methods are found against.
pub const OPERATION_NAMES: &str = "spec/operations.txt";

/// The manifest whose `[features]` table holds the generated features, between [`BEGIN`] and [`END`].
pub const MANIFEST: &str = "stripe-sdk/Cargo.toml";
/// The line after which the generated features start.
pub const BEGIN: &str =
    "# @generated begin: features from the spec's resource groups, by `cargo xtask generate`";
/// The line that ends the generated features.
pub const END: &str = "# @generated end";

/// The mock server's data: routes, trimmed schemas and fixtures (`tests/mock/src/api.rs` embeds it).
pub const MOCK_DATA: &str = "tests/mock/data/stripe.json";
