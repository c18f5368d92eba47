//! Stripe's example objects of the pinned release (`fixtures3.json`, its `resources`), read once
//! per test binary: the one loader every test and fuzz target uses.

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

/// The fixture of one resource.
///
/// # Panics
///
/// When the release has no fixture for `resource`.
pub fn get(resource: &str) -> Value {
    all().get(resource).cloned().unwrap_or_else(|| panic!("no fixture for {resource}"))
}
