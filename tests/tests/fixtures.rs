//! Every example in Stripe's `fixtures3.json` decodes into the generated type of its schema and
//! serializes back to the same JSON (absent and `null` count as equal). Examples are keyed by
//! resource id (`x-resourceId`), or by schema name for the objects that are not resources
//! (`deleted_price`, `application`).

use std::collections::BTreeMap;

use serde_json::Value;
use tests::json::assert_same;
use tests::resources::{OBJECTS, RESOURCES};

/// The number of resources (`x-resourceId`) in the pinned spec.
const PINNED_RESOURCES: usize = 164;
/// The number of examples in its fixtures.
const PINNED_FIXTURES: usize = 171;

/// Examples of objects the spec has no schema for at all (they are named only as event types), so
/// no type can decode them. Each must be in the fixtures and in neither table.
const FIXTURES_WITHOUT_SCHEMA: &[&str] =
    &["billing.alert_triggered", "entitlements.active_entitlement_summary"];

/// Fields of the fixtures that the spec does not define, so the generated types drop them like any
/// unknown field. Each is removed from its fixture before the comparison, and must be there.
/// Stripe's example data drifts from its spec: when a fixture is fixed upstream the removal fails
/// ("absent from the fixture") and the row goes; a new mismatch fails the round trip by name.
const FIELDS_NOT_IN_SPEC: &[(&str, &[&str], &str)] = &[
    ("charge", &["source"], "the spec's `charge` has no `source`"),
    ("product", &["type"], "the spec's `product` has no `type`"),
    ("sigma.sigma_api_query", &["status"], "the spec's `sigma.sigma_api_query` has no `status`"),
    ("sigma.sigma_api_query", &["error"], "nor `error`"),
    ("sigma.sigma_api_query", &["created_via"], "nor `created_via`"),
    ("sigma.sigma_api_query", &["result"], "nor `result`"),
    (
        "subscription",
        &["items", "data", "0", "plan"],
        "the spec's subscription items have no `plan`",
    ),
    ("subscription_item", &["plan"], "the spec's `subscription_item` has no `plan`"),
    (
        "subscription_schedule",
        &["phases", "0", "items", "0", "plan"],
        "the spec's schedule phase items have no `plan`",
    ),
];

/// Required lists the fixtures leave out: the SDK decodes an absent list as empty and writes `[]`
/// back, so the comparison adds `[]` to the fixture, which must lack the field.
const LISTS_MISSING_FROM_FIXTURES: &[(&str, &str)] = &[("radar.payment_evaluation", "events")];

fn add_missing_list(fixtures: &mut BTreeMap<String, Value>, resource: &str, field: &str) {
    let object = fixtures.get_mut(resource).and_then(Value::as_object_mut);
    let object = object.unwrap_or_else(|| panic!("{resource}: no such fixture"));
    assert!(!object.contains_key(field), "{resource}.{field}: listed as missing but present");
    object.insert(field.to_owned(), Value::Array(Vec::new()));
}

fn remove_field_not_in_spec(
    fixtures: &mut BTreeMap<String, Value>,
    resource: &str,
    path: &[&str],
    why: &str,
) {
    let (field, parents) = path.split_last().expect("a non-empty path");
    let parent = parents.iter().fold(fixtures.get_mut(resource), |value, key| {
        value.and_then(|v| match key.parse::<usize>() {
            Ok(index) if v.is_array() => v.get_mut(index),
            _ => v.get_mut(*key),
        })
    });
    let removed = parent.and_then(Value::as_object_mut).and_then(|object| object.remove(*field));
    assert!(
        removed.is_some(),
        "{resource}.{}: listed as not in the spec ({why}) but absent from the fixture",
        path.join(".")
    );
}

fn fixtures() -> BTreeMap<String, Value> {
    tests::fixtures::all().clone()
}

#[test]
fn every_fixture_round_trips_through_its_type() {
    let mut fixtures = fixtures();
    for (resource, path, why) in FIELDS_NOT_IN_SPEC {
        remove_field_not_in_spec(&mut fixtures, resource, path, why);
    }
    for (resource, field) in LISTS_MISSING_FROM_FIXTURES {
        add_missing_list(&mut fixtures, resource, field);
    }
    assert_eq!(fixtures.len(), PINNED_FIXTURES, "examples in fixtures3.json");
    assert_eq!(RESOURCES.len(), PINNED_RESOURCES, "generated resource types");
    let types: BTreeMap<&str, tests::Roundtrip> =
        RESOURCES.iter().chain(OBJECTS).copied().collect();
    for key in FIXTURES_WITHOUT_SCHEMA {
        assert!(
            fixtures.contains_key(*key),
            "{key}: listed as without schema but not in the fixtures"
        );
        assert!(
            !types.contains_key(key),
            "{key}: listed as without schema but has a generated type"
        );
    }
    let mut failures = Vec::new();
    let mut passed = 0;
    for (resource_id, fixture) in &fixtures {
        if FIXTURES_WITHOUT_SCHEMA.contains(&resource_id.as_str()) {
            continue;
        }
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
    assert_eq!(passed, PINNED_FIXTURES - FIXTURES_WITHOUT_SCHEMA.len());
}
