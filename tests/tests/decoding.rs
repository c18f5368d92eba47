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
    let decoded: Session = serde_json::from_value(session(json!({"brand_new_field": {"nested": [1, 2]}}))).unwrap();
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
            "subscription_update": {"default_allowed_updates": [], "enabled": false, "proration_behavior": "none"}
        },
        "id": "bpc_123", "is_default": true, "livemode": false, "login_page": {"enabled": false, "url": null},
        "metadata": {"plan": "gold"}, "object": "billing_portal.configuration", "updated": 2
    });
    let expanded: Session = serde_json::from_value(session(json!({"configuration": configuration}))).unwrap();
    let object = expanded.configuration.as_object().expect("expanded configuration");
    assert_eq!(object.metadata.as_ref().and_then(|m| m.get("plan")).map(String::as_str), Some("gold"));
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
    let decoded: stripe_sdk::CustomerOrDeletedCustomer = serde_json::from_value(deleted.clone()).unwrap();
    assert!(matches!(&decoded, stripe_sdk::CustomerOrDeletedCustomer::DeletedCustomer(c) if c.id == "cus_123"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), deleted);

    let field: Expandable<stripe_sdk::CustomerOrDeletedCustomer> = serde_json::from_value(deleted).unwrap();
    assert_eq!(field.id(), "cus_123");
}

#[test]
fn lists_decode_their_items_and_keep_the_envelope() {
    let list = json!({"object": "list", "data": [card()], "has_more": true, "url": "/v1/customers/cus_1/sources"});
    let decoded: stripe_sdk::List<stripe_sdk::PaymentSource> = serde_json::from_value(list.clone()).unwrap();
    assert!(decoded.has_more);
    assert_eq!(decoded.data.len(), 1);
    assert_eq!(serde_json::to_value(&decoded).unwrap()["object"], "list");
}
