//! Focused decoding rules: unknown enum values and fields, expandable fields, polymorphic and
//! deleted objects, lists.

use serde_json::{json, Value};
use stripe_sdk::billing_portal::{Session, SessionLocale};
use stripe_sdk::{Expandable, HasId};

fn session(overrides: Value) -> Value {
    let mut session = json!({
        "configuration": "bpc_123",
        "created": 1234567890,
        "customer": "cus_123",
        "flow": null,
        "id": "bps_123",
        "livemode": false,
        "locale": "fr-CA",
        "object": "billing_portal.session",
        "on_behalf_of": null,
        "return_url": "https://example.com/account",
        "url": "https://billing.stripe.com/session/abc"
    });
    for (key, value) in overrides.as_object().into_iter().flatten() {
        session[key] = value.clone();
    }
    session
}

#[test]
fn known_enum_values_decode_to_their_variant() {
    let decoded: Session = serde_json::from_value(session(json!({}))).unwrap();
    assert_eq!(decoded.locale, Some(SessionLocale::FrCa));
    assert_eq!(SessionLocale::ZhTw.as_str(), "zh-TW");
    assert_eq!("es-419".parse::<SessionLocale>().unwrap(), SessionLocale::Es419);
}

#[test]
fn unknown_enum_value_is_kept_and_serialized_back() {
    let decoded: Session = serde_json::from_value(session(json!({"locale": "xx-NEW"}))).unwrap();
    assert_eq!(decoded.locale, Some(SessionLocale::Unknown("xx-NEW".to_owned())));
    assert_eq!(serde_json::to_value(&decoded).unwrap()["locale"], "xx-NEW");
}

#[test]
fn unknown_fields_are_ignored() {
    let decoded: Session =
        serde_json::from_value(session(json!({"brand_new_field": {"nested": [1, 2]}}))).unwrap();
    assert_eq!(decoded.id, "bps_123");
    assert!(serde_json::to_value(&decoded).unwrap().get("brand_new_field").is_none());
}

#[test]
fn missing_required_field_names_the_field() {
    let mut json = session(json!({}));
    json.as_object_mut().unwrap().remove("url");
    let err = serde_json::from_value::<Session>(json).unwrap_err();
    assert!(err.to_string().contains("missing field `url`"), "{err}");
}

#[test]
fn expandable_field_decodes_as_id_or_object() {
    let unexpanded: Session = serde_json::from_value(session(json!({}))).unwrap();
    assert!(matches!(&unexpanded.configuration, Expandable::Id(id) if id == "bpc_123"));
    assert_eq!(unexpanded.configuration.id(), "bpc_123");

    let configuration = json!({
        "active": true, "application": null, "business_profile": {"headline": null, "privacy_policy_url": null, "terms_of_service_url": null},
        "created": 1, "default_return_url": null,
        "features": {
            "customer_update": {"allowed_updates": [], "enabled": false},
            "invoice_history": {"enabled": true},
            "payment_method_update": {"enabled": false},
            "subscription_cancel": {"cancellation_reason": {"enabled": false, "options": []}, "enabled": false, "mode": "at_period_end", "proration_behavior": "none"},
            "subscription_pause": {"enabled": false},
            "subscription_update": {"default_allowed_updates": [], "enabled": false, "proration_behavior": "none", "trial_update_behavior": "end_trial"}
        },
        "id": "bpc_123", "is_default": true, "livemode": false, "login_page": {"enabled": false, "url": null},
        "metadata": {"plan": "gold"}, "object": "billing_portal.configuration", "updated": 2
    });
    let expanded: Session =
        serde_json::from_value(session(json!({"configuration": configuration}))).unwrap();
    let object = expanded.configuration.as_object().expect("expanded configuration");
    assert_eq!(
        object.metadata.as_ref().and_then(|m| m.get("plan")).map(String::as_str),
        Some("gold")
    );
    assert_eq!(expanded.configuration.id(), "bpc_123");
    assert_eq!(serde_json::to_value(&expanded).unwrap()["configuration"]["is_default"], true);
}

fn card() -> Value {
    json!({
        "id": "card_123", "object": "card", "brand": "Visa", "country": "US", "exp_month": 8,
        "exp_year": 2030, "funding": "credit", "last4": "4242"
    })
}

#[test]
fn polymorphic_object_decodes_by_its_object_field() {
    let card: stripe_sdk::PaymentSource = serde_json::from_value(card()).unwrap();
    assert!(matches!(&card, stripe_sdk::PaymentSource::Card(card) if card.last4 == "4242"));
    assert_eq!(card.id(), "card_123");

    let unknown = json!({"id": "thing_1", "object": "brand_new_source"});
    let decoded: stripe_sdk::PaymentSource = serde_json::from_value(unknown.clone()).unwrap();
    assert!(matches!(&decoded, stripe_sdk::PaymentSource::Unknown(value) if *value == unknown));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), unknown);
}

#[test]
fn deleted_object_decodes_to_its_deleted_variant() {
    let deleted = json!({"id": "cus_123", "object": "customer", "deleted": true});
    let decoded: stripe_sdk::CustomerOrDeletedCustomer =
        serde_json::from_value(deleted.clone()).unwrap();
    assert!(
        matches!(&decoded, stripe_sdk::CustomerOrDeletedCustomer::DeletedCustomer(c) if c.id == "cus_123")
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), deleted);

    let field: Expandable<stripe_sdk::CustomerOrDeletedCustomer> =
        serde_json::from_value(deleted).unwrap();
    assert_eq!(field.id(), "cus_123");
}

#[test]
fn lists_decode_their_items_and_keep_the_envelope() {
    let list = json!({"object": "list", "data": [card()], "has_more": true, "url": "/v1/customers/cus_1/sources"});
    let decoded: stripe_sdk::List<stripe_sdk::PaymentSource> =
        serde_json::from_value(list.clone()).unwrap();
    assert!(decoded.has_more);
    assert_eq!(decoded.data.len(), 1);
    assert_eq!(serde_json::to_value(&decoded).unwrap()["object"], "list");
}

/// Decodes JSON text the way the client does, returning the path and message of a failure.
fn decode_text<T: stripe_sdk::Decode>(json: &Value) -> Result<T, (String, String)> {
    stripe_sdk::decode_json(json.to_string().as_bytes())
        .map_err(|err| (err.path, err.error.to_string()))
}

#[test]
fn object_field_after_other_fields_replays_them_into_the_variant() {
    // `object` last: every other entry is buffered, then replayed into the card.
    let mut card = card();
    let object = card.as_object_mut().unwrap().remove("object").unwrap();
    card["object"] = object;
    let decoded: stripe_sdk::PaymentSource = decode_text(&card).unwrap();
    assert!(
        matches!(&decoded, stripe_sdk::PaymentSource::Card(card) if card.last4 == "4242" && card.exp_year == 2030)
    );
}

#[test]
fn deleted_flag_after_other_fields_still_picks_the_deleted_variant() {
    // No `deleted` at all: the whole object is read before it is known to be live.
    let live = json!({"id": "cus_1", "object": "customer", "created": 1, "livemode": false});
    let decoded: stripe_sdk::CustomerOrDeletedCustomer = decode_text(&live).unwrap();
    assert!(
        matches!(decoded, stripe_sdk::CustomerOrDeletedCustomer::Customer(c) if c.created == 1)
    );

    let deleted = json!({"id": "cus_1", "object": "customer", "livemode": false, "deleted": true});
    let decoded: stripe_sdk::CustomerOrDeletedCustomer = decode_text(&deleted).unwrap();
    assert!(
        matches!(decoded, stripe_sdk::CustomerOrDeletedCustomer::DeletedCustomer(c) if c.id == "cus_1")
    );
}

#[test]
fn failure_inside_a_replayed_entry_names_its_path() {
    let mut card = card();
    card["exp_year"] = json!("soon");
    let object = card.as_object_mut().unwrap().remove("object").unwrap();
    card["object"] = object;
    let (path, message) = decode_text::<stripe_sdk::List<stripe_sdk::PaymentSource>>(
        &json!({"object": "list", "url": "/v1/x", "has_more": false, "data": [card]}),
    )
    .expect_err("a type error");
    assert_eq!(path, "data[0].exp_year");
    assert!(message.contains("invalid type: string \"soon\", expected an integer"), "{message}");
}

#[test]
fn null_leaves_an_optional_field_empty_but_fails_a_required_one() {
    let decoded: Session =
        decode_text(&session(json!({"return_url": null, "locale": null}))).unwrap();
    assert_eq!(decoded.return_url, None);
    assert_eq!(decoded.locale, None);

    let (path, message) =
        decode_text::<Session>(&session(json!({"customer": null}))).expect_err("null customer");
    assert_eq!(path, "customer");
    assert!(message.contains("invalid type: null, expected a string"), "{message}");
}

#[test]
fn arbitrary_json_keeps_nulls_inside_it() {
    let event = json!({
        "id": "evt_1", "object": "event", "type": "customer.updated", "created": 1, "livemode": false,
        "api_version": null, "pending_webhooks": 0, "request": null,
        "data": {"object": {"id": "x_1", "object": "brand_new"}, "previous_attributes": {"a": null, "b": [1, null]}}
    });
    let decoded: stripe_sdk::webhook::Event = decode_text(&event).unwrap();
    assert_eq!(decoded.data.previous_attributes, Some(json!({"a": null, "b": [1, null]})));
    assert!(
        matches!(decoded.data.object, stripe_sdk::webhook::EventObject::Unknown(ref v) if v["object"] == "brand_new")
    );
    assert_eq!(decoded.api_version, None);
}

#[test]
fn integers_out_of_range_and_trailing_text_are_errors() {
    let (path, message) =
        decode_text::<Session>(&session(json!({"created": u64::MAX}))).expect_err("overflow");
    assert_eq!(path, "created");
    assert!(message.contains("18446744073709551615"), "{message}");

    let text = format!("{} x", session(json!({})));
    let err = stripe_sdk::decode_json::<Session>(text.as_bytes()).expect_err("trailing characters");
    assert!(err.error.to_string().contains("trailing characters"), "{err:?}");
}

#[test]
fn an_escaped_key_is_matched_and_named_unescaped() {
    // `cre\u0061ted` is `created`: it fills the field, and its error names it unescaped.
    let good = br#"{"id": "cus_1", "object": "customer", "cre\u0061ted": 5, "livemode": false}"#;
    let customer = stripe_sdk::decode_json::<stripe_sdk::Customer>(good).expect("decodes");
    assert_eq!(customer.created, 5);
    let bad = br#"{"id": "cus_1", "object": "customer", "livemode": false, "cre\u0061ted": "x"}"#;
    let err = stripe_sdk::decode_json::<stripe_sdk::Customer>(bad).expect_err("a string");
    assert_eq!(err.path, "created");
    // An escaped key followed by a borrowed one: the later error names the later key.
    let later = br#"{"id": "cus_1", "object": "customer", "n\u0061me": "A", "created": "y", "livemode": false}"#;
    let err = stripe_sdk::decode_json::<stripe_sdk::Customer>(later).expect_err("a string");
    assert_eq!(err.path, "created");
}

#[test]
fn an_untagged_union_picks_the_same_variant_from_text_and_from_values() {
    use stripe_sdk::PaymentIntentAmountDetails as Details;
    // Which variant each object decodes to: the one whose fields cover most of its keys, the
    // next one if it refuses a value, raw JSON if none takes it.
    let cases = [
        // A tie: the first variant.
        (json!({"tip": {"amount": 5}}), "full"),
        (json!({"tip": {}, "tax": {"total_tax_amount": 3}, "extra": [1, {"a": null}]}), "full"),
        // The full variant refuses `tax` deep inside; the client one ignores it.
        (json!({"tax": {"total_tax_amount": {"nested": [[1]]}}, "tip": {"amount": 7}}), "client"),
        (json!({"tip": {"amount": "seven"}}), "unknown"),
        (json!({}), "full"),
    ];
    for (json, expected) in cases {
        let variant = |details: &Details| match details {
            Details::PaymentFlowsAmountDetails(_) => "full",
            Details::PaymentFlowsAmountDetailsClient(_) => "client",
            Details::Unknown(value) => {
                assert_eq!(value, &json);
                "unknown"
            }
            _ => "other",
        };
        // The client's reader reads the keys, then the entries again into each variant tried;
        // serde_json's (the bridge) buffers them as values and replays them.
        let from_text: Details = decode_text(&json).unwrap();
        let from_values: Details = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(variant(&from_text), expected, "{json}");
        assert_eq!(variant(&from_values), expected, "{json}");
        assert_eq!(format!("{from_text:?}"), format!("{from_values:?}"), "{json}");
    }
    // The tip's amount reaches the variant picked, as does the client variant's.
    let Details::PaymentFlowsAmountDetailsClient(client) =
        decode_text::<Details>(&json!({"tax": "x", "tip": {"amount": 7}})).unwrap()
    else {
        panic!("the client variant")
    };
    assert_eq!(client.tip.and_then(|tip| tip.amount), Some(7));
}

#[test]
fn a_tagged_union_picks_the_same_variant_from_text_and_from_values() {
    use stripe_sdk::CustomerOrDeletedCustomer as Either;
    // The client's reader reads the keys up to the tag (all of them when a customer may be
    // deleted), then the entries again into the variant; serde_json's (the bridge) buffers them
    // as values and replays them.
    let cases = [
        (json!({"id": "cus_1", "object": "customer", "created": 1, "livemode": false}), "live"),
        (
            json!({"deleted": true, "id": "cus_1", "object": "customer", "livemode": false}),
            "deleted",
        ),
        (
            json!({"id": "cus_1", "object": "customer", "livemode": false, "deleted": true}),
            "deleted",
        ),
        // A `deleted` that is not a boolean is not noted, nor an `object` that is not a string.
        (
            json!({"id": "cus_1", "object": "customer", "created": 2, "livemode": false, "deleted": "yes"}),
            "live",
        ),
        (json!({"id": "cus_1", "object": 7, "created": 2}), "unknown"),
        (
            json!({"id": "x_1", "object": "spaceship", "deleted": false, "nested": {"a": [1, 2]}}),
            "unknown",
        ),
        (json!({"id": "cus_1"}), "unknown"),
    ];
    for (json, expected) in cases {
        let variant = |either: &Either| match either {
            Either::Customer(_) => "live",
            Either::DeletedCustomer(_) => "deleted",
            Either::Unknown(value) => {
                assert_eq!(value, &json);
                "unknown"
            }
            _ => "other",
        };
        let text = json.to_string();
        let from_text: Either = stripe_sdk::decode_json(text.as_bytes()).unwrap();
        let from_values: Either = serde_json::from_str(&text).unwrap();
        assert_eq!(variant(&from_text), expected, "{json}");
        assert_eq!(variant(&from_values), expected, "{json}");
        assert_eq!(format!("{from_text:?}"), format!("{from_values:?}"), "{json}");
    }
    // A repeated key: the first `object` decides (a coupon is neither variant), and the raw
    // JSON keeps the last value of each key, read either way.
    let text = r#"{"object": "coupon", "id": "cus_1", "object": "customer", "livemode": false}"#;
    let from_text: Either = stripe_sdk::decode_json(text.as_bytes()).unwrap();
    let from_values: Either = serde_json::from_str(text).unwrap();
    assert!(matches!(&from_text, Either::Unknown(value) if value["object"] == "customer"));
    assert_eq!(format!("{from_text:?}"), format!("{from_values:?}"));
}
