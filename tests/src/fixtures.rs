//! The pinned release's files, read once per test binary: Stripe's example objects
//! (`fixtures3.json`, its `resources`) and the spec itself, through the generator's loader. The
//! one loader every test, fuzz target and the conformance runner use.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

/// Every fixture, by resource id (`customer`, `billing_portal.session`).
///
/// # Panics
///
/// When the pinned files cannot be found or read (a test's setup failing, with the reason).
pub fn all() -> &'static BTreeMap<String, Value> {
    static FIXTURES: OnceLock<BTreeMap<String, Value>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = crate::workspace_root();
        let files = codegen::pin::Pin::load(&root)
            .and_then(|pin| pin.locate(&root))
            .unwrap_or_else(|err| panic!("the pinned fixtures: {err}"));
        let text = std::fs::read_to_string(&files.fixtures)
            .unwrap_or_else(|err| panic!("{}: {err}", files.fixtures.display()));
        let mut document: Value = serde_json::from_str(&text)
            .unwrap_or_else(|err| panic!("{} is not JSON: {err}", files.fixtures.display()));
        match document.get_mut("resources").map(Value::take) {
            Some(Value::Object(resources)) => resources.into_iter().collect(),
            _ => panic!("{} has no `resources` object", files.fixtures.display()),
        }
    })
}

/// The pinned spec, parsed once (as the generator reads it).
pub fn spec() -> Result<&'static openapiv3::OpenAPI, String> {
    static SPEC: OnceLock<Result<codegen::Spec, String>> = OnceLock::new();
    let spec = SPEC.get_or_init(|| {
        let root = crate::workspace_root();
        let files = codegen::pin::Pin::load(&root)
            .and_then(|pin| pin.locate(&root))
            .map_err(|err| format!("the pinned spec: {err}"))?;
        codegen::load_spec(&files.spec).map_err(|err| format!("{}: {err}", files.spec.display()))
    });
    spec.as_ref().map(|spec| &spec.openapi).map_err(Clone::clone)
}

/// The fixture of one resource.
///
/// # Panics
///
/// When the release has no fixture for `resource`.
pub fn get(resource: &str) -> Value {
    all().get(resource).cloned().unwrap_or_else(|| panic!("no fixture for {resource}"))
}
