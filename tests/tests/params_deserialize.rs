//! With the `deserialize` feature, request parameters built from JSON refuse unknown keys (a
//! misspelt `retrun_url` is an error naming it, not a silently dropped field), at any depth.

use serde_json::json;
use stripe_sdk::billing_portal::CreateSessionParams;

#[test]
fn known_keys_deserialize() {
    let params: CreateSessionParams = serde_json::from_value(json!({
        "customer": "cus_1",
        "return_url": "https://example.com/account",
        "locale": "fr-CA",
    }))
    .expect("valid parameters");
    assert_eq!(params.customer.as_deref(), Some("cus_1"));
    assert_eq!(params.return_url.as_deref(), Some("https://example.com/account"));
}

#[test]
fn a_misspelt_key_is_refused_by_name() {
    let err = serde_json::from_value::<CreateSessionParams>(json!({
        "customer": "cus_1",
        "retrun_url": "https://example.com/account",
    }))
    .expect_err("an unknown key");
    let message = err.to_string();
    assert!(message.contains("unknown field `retrun_url`"), "{message}");
    assert!(message.contains("return_url"), "the message lists the expected fields: {message}");
}

#[test]
fn a_misspelt_nested_key_is_refused() {
    let err = serde_json::from_value::<CreateSessionParams>(json!({
        "customer": "cus_1",
        "flow_data": {"type": "payment_method_update", "after_completion": {"typ": "redirect"}},
    }))
    .expect_err("an unknown nested key");
    assert!(err.to_string().contains("unknown field `typ`"), "{err}");
}

#[test]
fn a_renamed_field_is_known_by_its_wire_name_only() {
    // `type_` in Rust, `type` on the wire.
    let ok = serde_json::from_value::<stripe_sdk::ListEventParams>(json!({"type": "customer.*"}))
        .expect("the wire name");
    assert_eq!(ok.type_.as_deref(), Some("customer.*"));
    let err = serde_json::from_value::<stripe_sdk::ListEventParams>(json!({"type_": "customer.*"}))
        .expect_err("the Rust name is not a key");
    assert!(err.to_string().contains("unknown field `type_`"), "{err}");
}

#[test]
fn a_file_key_is_known_and_its_value_ignored() {
    // A file is not JSON: the key of a file parameter is accepted (it is not unknown) and the
    // file is set in code.
    let params: stripe_sdk::CreateFileParams =
        serde_json::from_value(json!({"file": "anything", "purpose": "dispute_evidence"}))
            .expect("the file key is known");
    assert_eq!(params.file, stripe_sdk::FileUpload::default());
    let err = serde_json::from_value::<stripe_sdk::CreateFileParams>(
        json!({"fille": "x", "purpose": "dispute_evidence"}),
    )
    .expect_err("a misspelt file key");
    assert!(err.to_string().contains("unknown field `fille`"), "{err}");
}
