//! The naming rule for shared request types (README "Names of shared types"), and its stability:
//! a new operation elsewhere in the spec renames nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn items_of(spec: &codegen::Spec) -> BTreeSet<String> {
    codegen::generate(spec, &codegen::Fixtures::none()).expect("the spec generates").public_items
}

#[test]
fn shared_types_are_named_by_title_canonical_owner_or_field() {
    let path = root().join("codegen/tests/snippets/naming/shared.yaml");
    let items = items_of(&codegen::load_spec(&path).expect("snippet loads"));
    let expect = [
        // A specific title names the shape wherever it is used.
        "stripe_sdk::OptionalFieldsAddress",
        "stripe_sdk::RangeQuerySpecs",
        // Used by one resource's operations: named after the one on its own collection
        // (`POST /v1/subscriptions`), not the nested path met first.
        "stripe_sdk::CreateSubscriptionItems",
        // A union named for what it holds: its string values are variants of their own.
        "stripe_sdk::CreateSubscriptionTrialEnd::Now",
        "stripe_sdk::CreateSubscriptionTrialEnd::Timestamp",
        // Shared by several resources (charges, subscriptions): named from the parameter down.
        "stripe_sdk::Created::RangeQuerySpecs",
        "stripe_sdk::Created::Integer",
        // `param` titles two different shapes: it names neither.
        "stripe_sdk::CreateChargeMetadataNote",
        "stripe_sdk::CreateRefundMetadataNote",
    ];
    for item in expect {
        assert!(items.contains(item), "missing {item}; have:\n{items:#?}");
    }
    for absent in ["stripe_sdk::CreateCustomersSubscriptionItems", "stripe_sdk::Param"] {
        assert!(!items.contains(absent), "unexpected {absent}");
    }
}

/// The pinned spec with an unrelated resource (a schema and two operations) added at the front of
/// its paths and components generates every public item it had before, under the same path.
#[test]
fn an_unrelated_operation_renames_nothing() {
    let root = root();
    let files = codegen::pin::Pin::load(&root)
        .and_then(|pin| pin.locate(&root))
        .expect("the pinned spec: run `cargo xtask fetch-spec` or set STRIPE_OPENAPI_DIR");
    let spec = codegen::load_spec(&files.spec).expect("the pinned spec loads");
    let before = items_of(&spec);

    let mut json = serde_json::to_value(&spec.openapi).expect("the spec serializes");
    let extra: serde_json::Value = serde_yaml::from_str(UNRELATED).expect("the addition parses");
    prepend(&mut json["paths"], &extra["paths"]);
    prepend(&mut json["components"]["schemas"], &extra["schemas"]);
    let changed = codegen::parse_spec(json).expect("the changed spec parses");
    let after = items_of(&changed);

    let lost: Vec<&String> = before.difference(&after).collect();
    assert!(lost.is_empty(), "{} public items renamed or removed: {lost:#?}", lost.len());
    assert!(after.contains("stripe_sdk::AaaWidget::create"), "the new operation is generated");
}

fn prepend(target: &mut serde_json::Value, front: &serde_json::Value) {
    let (Some(target), Some(front)) = (target.as_object_mut(), front.as_object()) else {
        panic!("both are JSON objects");
    };
    let rest = std::mem::take(target);
    target.extend(front.clone());
    target.extend(rest);
}

/// A new resource with the parameters new Stripe resources usually have: a `created` filter,
/// metadata, an address and a nested object of its own.
const UNRELATED: &str = r##"
paths:
  /v1/aaa_widgets:
    get:
      operationId: GetAaaWidgets
      parameters:
        - name: created
          in: query
          style: deepObject
          explode: true
          schema:
            anyOf:
              - {title: range_query_specs, type: object, properties: {gt: {type: integer}, gte: {type: integer}, lt: {type: integer}, lte: {type: integer}}}
              - {type: integer}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more, object, url]
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/aaa_widget"}}
                  has_more: {type: boolean}
                  object: {type: string, enum: [list]}
                  url: {type: string}
    post:
      operationId: PostAaaWidgets
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                metadata:
                  anyOf:
                    - {type: object, additionalProperties: {type: string}}
                    - {type: string, enum: [""]}
                settings: {type: object, properties: {color: {type: string, enum: [red, blue]}}}
                items: {type: array, items: {type: object, properties: {price: {type: string}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/aaa_widget"}}}}
schemas:
  aaa_widget:
    x-resourceId: aaa_widget
    type: object
    required: [id, object]
    properties:
      id: {type: string}
      object: {type: string, enum: [aaa_widget]}
"##;
