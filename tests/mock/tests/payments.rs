//! Payments as Stripe runs them: the payment intent's state machine with Stripe's test cards,
//! charges, capture, cancel, 3-D Secure, declines as 402 `card_error`, refunds, saved cards.

mod common;

use common::{customer, event_types, events_of, get, int, post, post_err, start, text};
use serde_json::json;

#[tokio::test]
async fn an_intent_confirmed_with_a_good_card_succeeds_with_a_charge() {
    let (mock, client) = start().await;
    let intent =
        post(&client, "/v1/payment_intents", json!({"amount": 2000, "currency": "usd"})).await;
    let id = text(&intent, "id");
    assert_eq!(intent["status"], "requires_payment_method");
    assert!(text(&intent, "client_secret").starts_with(&format!("{id}_secret_")));
    assert_eq!(intent["amount_received"], 0);
    assert!(intent["latest_charge"].is_null());
    let created = int(&intent, "created");
    assert!((created - mock.clock().now()).abs() <= 5, "created {created} is the mock's time");

    let confirmed = post(
        &client,
        &format!("/v1/payment_intents/{id}/confirm"),
        json!({"payment_method": "pm_card_visa"}),
    )
    .await;
    assert_eq!(confirmed["status"], "succeeded");
    assert_eq!(confirmed["amount_received"], 2000);
    let charge = get(&client, &format!("/v1/charges/{}", text(&confirmed, "latest_charge"))).await;
    assert_eq!(
        (charge["amount"].as_i64(), charge["amount_captured"].as_i64()),
        (Some(2000), Some(2000))
    );
    assert_eq!((charge["paid"].as_bool(), charge["captured"].as_bool()), (Some(true), Some(true)));
    assert_eq!(charge["payment_intent"], id);
    assert_eq!(charge["payment_method_details"]["card"]["last4"], "4242");
    let method =
        get(&client, &format!("/v1/payment_methods/{}", text(&confirmed, "payment_method"))).await;
    assert_eq!(method["card"]["brand"], "visa");
    assert_eq!(
        event_types(&mock),
        ["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]
    );
    let succeeded = &events_of(&mock, "payment_intent.succeeded")[0];
    assert_eq!(succeeded["data"]["previous_attributes"]["status"], "requires_payment_method");
    assert_eq!(succeeded["data"]["previous_attributes"]["amount_received"], 0);
}

#[tokio::test]
async fn manual_capture_authorizes_then_captures_part_once() {
    let (mock, client) = start().await;
    let intent = post(
        &client,
        "/v1/payment_intents",
        json!({"amount": 1000, "currency": "usd", "capture_method": "manual", "payment_method": "pm_card_mastercard", "confirm": true}),
    )
    .await;
    let id = text(&intent, "id");
    assert_eq!(intent["status"], "requires_capture");
    assert_eq!(
        (intent["amount_capturable"].as_i64(), intent["amount_received"].as_i64()),
        (Some(1000), Some(0))
    );
    let too_much = post_err(
        &client,
        &format!("/v1/payment_intents/{id}/capture"),
        json!({"amount_to_capture": 1500}),
    )
    .await;
    assert_eq!((too_much.status, too_much.param.as_deref()), (400, Some("amount_to_capture")));

    let captured = post(
        &client,
        &format!("/v1/payment_intents/{id}/capture"),
        json!({"amount_to_capture": 600}),
    )
    .await;
    assert_eq!(captured["status"], "succeeded");
    assert_eq!(
        (captured["amount_received"].as_i64(), captured["amount_capturable"].as_i64()),
        (Some(600), Some(0))
    );
    let charge = get(&client, &format!("/v1/charges/{}", text(&captured, "latest_charge"))).await;
    assert_eq!(
        (charge["captured"].as_bool(), charge["amount_captured"].as_i64()),
        (Some(true), Some(600))
    );

    let again = post_err(&client, &format!("/v1/payment_intents/{id}/capture"), json!({})).await;
    assert_eq!(
        (again.status, again.code.as_deref()),
        (400, Some("payment_intent_unexpected_state"))
    );
    assert!(again
        .message
        .as_deref()
        .is_some_and(|message| message.contains("status of succeeded")));
    let unconfirmed = post(
        &client,
        "/v1/payment_intents",
        json!({"amount": 500, "currency": "usd", "capture_method": "manual"}),
    )
    .await;
    let early = post_err(
        &client,
        &format!("/v1/payment_intents/{}/capture", text(&unconfirmed, "id")),
        json!({}),
    )
    .await;
    assert_eq!(early.code.as_deref(), Some("payment_intent_unexpected_state"));
    assert_eq!(
        event_types(&mock)[..4],
        [
            "payment_intent.created",
            "charge.succeeded",
            "payment_intent.amount_capturable_updated",
            "charge.captured"
        ]
    );
}

#[tokio::test]
async fn declined_cards_answer_402_and_leave_the_intent_reusable() {
    let (mock, client) = start().await;
    for (card, decline_code, code) in [
        ("pm_card_chargeDeclined", "generic_decline", "card_declined"),
        ("pm_card_visa_chargeDeclinedInsufficientFunds", "insufficient_funds", "card_declined"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"),
    ] {
        let intent =
            post(&client, "/v1/payment_intents", json!({"amount": 700, "currency": "eur"})).await;
        let id = text(&intent, "id");
        let error = post_err(
            &client,
            &format!("/v1/payment_intents/{id}/confirm"),
            json!({"payment_method": card}),
        )
        .await;
        assert_eq!(
            (error.status, error.error_type.as_deref()),
            (402, Some("card_error")),
            "{card}"
        );
        assert_eq!(error.code.as_deref(), Some(code), "{card}");
        assert_eq!(error.raw["payment_intent"]["id"], id);
        assert_eq!(error.raw["payment_intent"]["status"], "requires_payment_method");
        if code == "card_declined" {
            assert_eq!(error.decline_code.as_deref(), Some(decline_code), "{card}");
        }
        let stored = get(&client, &format!("/v1/payment_intents/{id}")).await;
        assert_eq!(stored["status"], "requires_payment_method");
        assert_eq!(stored["last_payment_error"]["code"], code);
        let charge = get(&client, &format!("/v1/charges/{}", text(&stored, "latest_charge"))).await;
        assert_eq!(
            (charge["status"].as_str(), charge["paid"].as_bool()),
            (Some("failed"), Some(false))
        );
        // The same intent then succeeds with another card.
        let retried = post(
            &client,
            &format!("/v1/payment_intents/{id}/confirm"),
            json!({"payment_method": "pm_card_visa"}),
        )
        .await;
        assert_eq!(retried["status"], "succeeded");
        assert!(retried["last_payment_error"].is_null());
    }
    assert_eq!(events_of(&mock, "payment_intent.payment_failed").len(), 3);
    assert_eq!(events_of(&mock, "charge.failed").len(), 3);
}

#[tokio::test]
async fn three_d_secure_requires_action_on_session_and_declines_off_session() {
    let (mock, client) = start().await;
    let intent = post(
        &client,
        "/v1/payment_intents",
        json!({"amount": 1500, "currency": "usd", "payment_method": "pm_card_authenticationRequired", "confirm": true}),
    )
    .await;
    let id = text(&intent, "id");
    assert_eq!(intent["status"], "requires_action");
    assert_eq!(intent["next_action"]["type"], "use_stripe_sdk");
    let done = mock.authenticate(id, true).expect("authenticate");
    assert_eq!(
        (done["status"].as_str(), done["amount_received"].as_i64()),
        (Some("succeeded"), Some(1500))
    );

    let refused = post(
        &client,
        "/v1/payment_intents",
        json!({"amount": 1500, "currency": "usd", "payment_method": "pm_card_threeDSecure2Required", "confirm": true}),
    )
    .await;
    let failed = mock.authenticate(text(&refused, "id"), false).expect("fail authentication");
    assert_eq!(failed["status"], "requires_payment_method");
    assert_eq!(failed["last_payment_error"]["code"], "payment_intent_authentication_failure");

    let off_session = post_err(
        &client,
        "/v1/payment_intents",
        json!({"amount": 1500, "currency": "usd", "payment_method": "pm_card_authenticationRequired", "confirm": true, "off_session": true}),
    )
    .await;
    assert_eq!(
        (off_session.status, off_session.code.as_deref()),
        (402, Some("authentication_required"))
    );
    assert_eq!(events_of(&mock, "payment_intent.requires_action").len(), 2);
}

#[tokio::test]
async fn cancel_works_until_the_intent_succeeds() {
    let (mock, client) = start().await;
    let open =
        post(&client, "/v1/payment_intents", json!({"amount": 900, "currency": "usd"})).await;
    let canceled = post(
        &client,
        &format!("/v1/payment_intents/{}/cancel", text(&open, "id")),
        json!({"cancellation_reason": "requested_by_customer"}),
    )
    .await;
    assert_eq!(
        (canceled["status"].as_str(), canceled["cancellation_reason"].as_str()),
        (Some("canceled"), Some("requested_by_customer"))
    );
    assert!(canceled["canceled_at"].is_i64());

    let paid = post(
        &client,
        "/v1/payment_intents",
        json!({"amount": 900, "currency": "usd", "payment_method": "pm_card_visa", "confirm": true}),
    )
    .await;
    let error =
        post_err(&client, &format!("/v1/payment_intents/{}/cancel", text(&paid, "id")), json!({}))
            .await;
    assert_eq!(
        (error.status, error.code.as_deref()),
        (400, Some("payment_intent_unexpected_state"))
    );
    assert_eq!(events_of(&mock, "payment_intent.canceled").len(), 1);
}

#[tokio::test]
async fn references_must_exist() {
    let (_mock, client) = start().await;
    let error = post_err(
        &client,
        "/v1/payment_intents",
        json!({"amount": 100, "currency": "usd", "customer": "cus_missing"}),
    )
    .await;
    assert_eq!(
        (error.status, error.code.as_deref(), error.param.as_deref()),
        (404, Some("resource_missing"), Some("customer"))
    );
    let error = post_err(
        &client,
        "/v1/payment_intents",
        json!({"amount": 100, "currency": "usd", "payment_method": "pm_unknown"}),
    )
    .await;
    assert_eq!((error.status, error.param.as_deref()), (404, Some("payment_method")));
    let error = post_err(&client, "/v1/refunds", json!({"payment_intent": "pi_missing"})).await;
    assert_eq!((error.status, error.param.as_deref()), (404, Some("payment_intent")));
}

#[tokio::test]
async fn refunds_are_checked_against_what_is_refundable() {
    let (mock, client) = start().await;
    let paid = post(
        &client,
        "/v1/payment_intents",
        json!({"amount": 5000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": true}),
    )
    .await;
    let intent = text(&paid, "id");
    let partial =
        post(&client, "/v1/refunds", json!({"payment_intent": intent, "amount": 1200})).await;
    assert_eq!(
        (partial["amount"].as_i64(), partial["status"].as_str()),
        (Some(1200), Some("succeeded"))
    );
    assert_eq!(partial["charge"], paid["latest_charge"]);
    let too_much =
        post_err(&client, "/v1/refunds", json!({"payment_intent": intent, "amount": 4000})).await;
    assert_eq!((too_much.status, too_much.code.as_deref()), (400, Some("amount_too_large")));
    let rest = post(&client, "/v1/refunds", json!({"charge": text(&paid, "latest_charge")})).await;
    assert_eq!(rest["amount"], 3800);
    let charge = get(&client, &format!("/v1/charges/{}", text(&paid, "latest_charge"))).await;
    assert_eq!(
        (charge["amount_refunded"].as_i64(), charge["refunded"].as_bool()),
        (Some(5000), Some(true))
    );
    let twice = post_err(&client, "/v1/refunds", json!({"payment_intent": intent})).await;
    assert_eq!(twice.code.as_deref(), Some("charge_already_refunded"));

    let refunded = events_of(&mock, "charge.refunded");
    assert_eq!(refunded.len(), 2);
    assert_eq!(refunded[0]["data"]["previous_attributes"]["amount_refunded"], 0);
    assert_eq!(refunded[1]["data"]["object"]["amount_refunded"], 5000);
    assert_eq!(events_of(&mock, "refund.created").len(), 2);

    let unpaid =
        post(&client, "/v1/payment_intents", json!({"amount": 100, "currency": "usd"})).await;
    let error =
        post_err(&client, "/v1/refunds", json!({"payment_intent": text(&unpaid, "id")})).await;
    assert_eq!(error.code.as_deref(), Some("charge_not_refundable"));
}

#[tokio::test]
async fn cards_are_saved_by_attach_and_setup_intents() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    let customer_id = text(&jenny, "id");
    let attached =
        post(&client, "/v1/payment_methods/pm_card_visa/attach", json!({"customer": customer_id}))
            .await;
    assert!(text(&attached, "id").starts_with("pm_") && attached["id"] != "pm_card_visa");
    assert_eq!(attached["customer"], customer_id);
    let declined = post_err(
        &client,
        "/v1/payment_methods/pm_card_chargeDeclined/attach",
        json!({"customer": customer_id}),
    )
    .await;
    assert_eq!((declined.status, declined.code.as_deref()), (402, Some("card_declined")));
    let listed =
        get(&client, &format!("/v1/payment_methods?customer={customer_id}&type=card")).await;
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(1));
    let detached =
        post(&client, &format!("/v1/payment_methods/{}/detach", text(&attached, "id")), json!({}))
            .await;
    assert!(detached["customer"].is_null());

    let setup = post(
        &client,
        "/v1/setup_intents",
        json!({"customer": customer_id, "payment_method": "pm_card_mastercard", "confirm": true}),
    )
    .await;
    assert_eq!(setup["status"], "succeeded");
    let saved =
        get(&client, &format!("/v1/payment_methods/{}", text(&setup, "payment_method"))).await;
    assert_eq!(saved["customer"], customer_id);
    assert_eq!(events_of(&mock, "payment_method.attached").len(), 2, "{:?}", event_types(&mock));
}
