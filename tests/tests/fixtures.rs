//! Every resource example in Stripe's `fixtures3.json` decodes into its generated type and
//! serializes back to the same JSON (absent and `null` count as equal).

use std::collections::BTreeMap;

use serde_json::Value;
use tests::{json::assert_same, resources::RESOURCES, workspace_root};

/// The number of resources (`x-resourceId`) in the pinned spec, and of examples in its fixtures.
const PINNED_RESOURCES: usize = 131;

/// Fields of the fixtures that the spec does not define, so the generated types drop them like any
/// unknown field. Each is removed from its fixture before the comparison, and must be there.
const FIELDS_NOT_IN_SPEC: &[(&str, &[&str], &str)] = &[
    (
        "identity.verification_report",
        &["document", "address", "zip"],
        "the fixture says `zip`; the spec's `address` has `postal_code`",
    ),
    (
        "treasury.outbound_payment",
        &["destination_payment_method_details", "destination"],
        "`outbound_payments_payment_method_details` has no `destination` (and the fixture lacks its required `billing_details`)",
    ),
];

fn remove_field_not_in_spec(
    fixtures: &mut BTreeMap<String, Value>,
    resource: &str,
    path: &[&str],
    why: &str,
) {
    let (field, parents) = path.split_last().expect("a non-empty path");
    let parent = parents
        .iter()
        .fold(fixtures.get_mut(resource), |value, key| value.and_then(|v| v.get_mut(*key)));
    let removed = parent.and_then(Value::as_object_mut).and_then(|object| object.remove(*field));
    assert!(
        removed.is_some(),
        "{resource}.{}: listed as not in the spec ({why}) but absent from the fixture",
        path.join(".")
    );
}

fn fixtures() -> BTreeMap<String, Value> {
    let root = workspace_root();
    let pin = codegen::pin::Pin::load(&root).expect("spec/pin.json");
    let files = pin.locate(&root).unwrap_or_else(|err| panic!("{err}"));
    let text = std::fs::read_to_string(&files.fixtures).expect("fixtures3.json is readable");
    let mut document: Value = serde_json::from_str(&text).expect("fixtures3.json is JSON");
    let resources =
        document.get_mut("resources").map(Value::take).expect("fixtures3.json has `resources`");
    serde_json::from_value(resources).expect("`resources` is an object")
}

#[test]
fn every_fixture_round_trips_through_its_type() {
    let mut fixtures = fixtures();
    for (resource, path, why) in FIELDS_NOT_IN_SPEC {
        remove_field_not_in_spec(&mut fixtures, resource, path, why);
    }
    assert_eq!(fixtures.len(), PINNED_RESOURCES, "examples in fixtures3.json");
    assert_eq!(RESOURCES.len(), PINNED_RESOURCES, "generated resource types");
    let types: BTreeMap<&str, tests::Roundtrip> = RESOURCES.iter().copied().collect();
    let mut failures = Vec::new();
    let mut passed = 0;
    for (resource_id, fixture) in &fixtures {
        let Some(roundtrip) = types.get(resource_id.as_str()) else {
            failures.push(format!("{resource_id}: no generated type"));
            continue;
        };
        match roundtrip(fixture).and_then(|encoded| assert_same(fixture, &encoded)) {
            Ok(()) => passed += 1,
            Err(err) => failures.push(format!("{resource_id}: {err}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
    assert_eq!(passed, PINNED_RESOURCES);
}
