//! Billing as Stripe runs it: subscriptions with their invoices and payment intents, payment
//! behaviours, trials, renewals by test clocks and by the mock's clock, cancellation, invoices'
//! lifecycle, checkout and billing portal sessions.

mod common;

use std::time::Duration;

use common::{
    customer, delete, event_types, events_of, get, int, monthly_price, post, post_err, start, text,
};
use serde_json::{json, Value};
use stripe_sdk::Client;

const DAY: i64 = 86_400;

/// A customer on a new test clock, with `card` as the default payment method.
async fn customer_on_clock(client: &Client, card: &str) -> (Value, Value) {
    let clock =
        post(client, "/v1/test_helpers/test_clocks", json!({"frozen_time": 1_767_225_600})).await; // 2026-01-01
    let customer = post(
        client,
        "/v1/customers",
        json!({"email": "clock@example.com", "test_clock": clock["id"]}),
    )
    .await;
    let method = post(
        client,
        &format!("/v1/payment_methods/{card}/attach"),
        json!({"customer": customer["id"]}),
    )
    .await;
    let customer = post(
        client,
        &format!("/v1/customers/{}", text(&customer, "id")),
        json!({"invoice_settings": {"default_payment_method": method["id"]}}),
    )
    .await;
    (clock, customer)
}

async fn advance(client: &Client, clock: &Value, to: i64) -> Value {
    post(
        client,
        &format!("/v1/test_helpers/test_clocks/{}/advance", text(clock, "id")),
        json!({"frozen_time": to}),
    )
    .await
}

#[tokio::test]
async fn a_subscription_bills_its_items_and_is_active_when_paid() {
    let (mock, client) = start().await;
    let (clock, jenny) = customer_on_clock(&client, "pm_card_visa").await;
    let price = monthly_price(&client, 1500).await;
    let earlier = mock.events().len();
    let subscription = post(
        &client,
        "/v1/subscriptions",
        json!({"customer": jenny["id"], "items": [{"price": price["id"], "quantity": 3}], "metadata": {"plan": "pro"}}),
    )
    .await;
    assert_eq!(subscription["status"], "active");
    assert_eq!(subscription["metadata"]["plan"], "pro");
    let item = &subscription["items"]["data"][0];
    assert_eq!(
        (item["price"]["id"].as_str(), item["quantity"].as_i64()),
        (price["id"].as_str(), Some(3))
    );
    let start = clock["frozen_time"].as_i64().unwrap_or(0);
    assert_eq!(
        (int(item, "current_period_start"), int(item, "current_period_end")),
        (start, start + 31 * DAY)
    );
    assert_eq!(subscription["canceled_at"], Value::Null);

    let invoice =
        get(&client, &format!("/v1/invoices/{}", text(&subscription, "latest_invoice"))).await;
    assert_eq!(
        (invoice["status"].as_str(), invoice["amount_paid"].as_i64()),
        (Some("paid"), Some(4500))
    );
    assert_eq!(invoice["billing_reason"], "subscription_create");
    assert_eq!(invoice["lines"]["data"][0]["amount"], 4500);
    assert_eq!(invoice["parent"]["subscription_details"]["subscription"], subscription["id"]);
    let intent_id = text(&invoice["payments"]["data"][0]["payment"], "payment_intent");
    let intent = get(&client, &format!("/v1/payment_intents/{intent_id}")).await;
    assert_eq!(
        (intent["status"].as_str(), intent["amount_received"].as_i64()),
        (Some("succeeded"), Some(4500))
    );
    assert_eq!(
        event_types(&mock)[earlier..],
        [
            "invoice.created",
            "payment_intent.created",
            "invoice.finalized",
            "charge.succeeded",
            "payment_intent.succeeded",
            "invoice.paid",
            "invoice.payment_succeeded",
            "customer.subscription.created",
        ]
    );
    // Every timestamp is the test clock's.
    assert!(mock.events()[earlier..].iter().all(|event| event["created"] == start));
}

#[tokio::test]
async fn default_incomplete_waits_for_the_client_to_confirm_the_first_payment() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    let price = monthly_price(&client, 900).await;
    let subscription = post(
        &client,
        "/v1/subscriptions",
        json!({"customer": jenny["id"], "items": [{"price": price["id"]}], "payment_behavior": "default_incomplete", "expand": ["latest_invoice"]}),
    )
    .await;
    assert_eq!(subscription["status"], "incomplete");
    let invoice = &subscription["latest_invoice"];
    assert_eq!(
        (invoice["status"].as_str(), invoice["amount_due"].as_i64()),
        (Some("open"), Some(900))
    );
    let secret = text(&invoice["confirmation_secret"], "client_secret");
    let intent_id = secret.split("_secret_").next().unwrap_or("");
    // What Stripe.js does with the client secret.
    post(
        &client,
        &format!("/v1/payment_intents/{intent_id}/confirm"),
        json!({"payment_method": "pm_card_visa"}),
    )
    .await;
    let now_active =
        get(&client, &format!("/v1/subscriptions/{}", text(&subscription, "id"))).await;
    assert_eq!(now_active["status"], "active");
    let paid = get(&client, &format!("/v1/invoices/{}", text(invoice, "id"))).await;
    assert_eq!(paid["status"], "paid");
    let updated = events_of(&mock, "customer.subscription.updated");
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0]["data"]["previous_attributes"], json!({"status": "incomplete"}));
}

#[tokio::test]
async fn payment_behaviors_without_a_working_card() {
    let (mock, client) = start().await;
    let price = monthly_price(&client, 2500).await;
    let nobody = customer(&client, "no-card@example.com").await;
    let incomplete = post(
        &client,
        "/v1/subscriptions",
        json!({"customer": nobody["id"], "items": [{"price": price["id"]}]}),
    )
    .await;
    assert_eq!(incomplete["status"], "incomplete");

    let declines = customer(&client, "declines@example.com").await;
    let error = post_err(
        &client,
        "/v1/subscriptions",
        json!({"customer": declines["id"], "items": [{"price": price["id"]}], "payment_behavior": "error_if_incomplete", "default_payment_method": "pm_card_chargeCustomerFail"}),
    )
    .await;
    assert_eq!((error.status, error.code.as_deref()), (402, Some("card_declined")));
    let listed =
        get(&client, &format!("/v1/subscriptions?customer={}", text(&declines, "id"))).await;
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(0));

    // Unpaid for 23 hours, an incomplete subscription expires.
    mock.clock().advance(Duration::from_secs(24 * 3600)).expect("advance");
    let expired = get(&client, &format!("/v1/subscriptions/{}", text(&incomplete, "id"))).await;
    assert_eq!(expired["status"], "incomplete_expired");
    let one_time = post(
        &client,
        "/v1/prices",
        json!({"currency": "usd", "unit_amount": 100, "product": price["product"]}),
    )
    .await;
    assert_eq!(
        (one_time["type"].as_str(), one_time["recurring"].is_null()),
        (Some("one_time"), true)
    );
    let wrong = post_err(
        &client,
        "/v1/subscriptions",
        json!({"customer": nobody["id"], "items": [{"price": one_time["id"]}]}),
    )
    .await;
    assert_eq!((wrong.status, wrong.param.as_deref()), (400, Some("items[0][price]")));
    assert!(event_types(&mock).iter().all(|kind| !kind.starts_with("subscription.")));
}

#[tokio::test]
async fn trials_renewals_failures_and_recovery_follow_the_test_clock() {
    let (mock, client) = start().await;
    let (clock, jenny) = customer_on_clock(&client, "pm_card_visa").await;
    let start = int(&clock, "frozen_time");
    let price = monthly_price(&client, 1000).await;
    let subscription = post(
        &client,
        "/v1/subscriptions",
        json!({"customer": jenny["id"], "items": [{"price": price["id"]}], "trial_period_days": 14}),
    )
    .await;
    let id = text(&subscription, "id").to_owned();
    assert_eq!(subscription["status"], "trialing");
    assert_eq!(int(&subscription, "trial_end"), start + 14 * DAY);
    let trial_invoice =
        get(&client, &format!("/v1/invoices/{}", text(&subscription, "latest_invoice"))).await;
    assert_eq!(
        (trial_invoice["status"].as_str(), trial_invoice["total"].as_i64()),
        (Some("paid"), Some(0))
    );

    // The trial ends: the first paid period starts.
    let ready = advance(&client, &clock, start + 15 * DAY).await;
    assert_eq!(ready["status"], "ready");
    let after_trial = get(&client, &format!("/v1/subscriptions/{id}")).await;
    assert_eq!(after_trial["status"], "active");
    let first =
        get(&client, &format!("/v1/invoices/{}", text(&after_trial, "latest_invoice"))).await;
    assert_eq!(
        (first["status"].as_str(), first["amount_paid"].as_i64()),
        (Some("paid"), Some(1000))
    );
    assert_eq!(first["billing_reason"], "subscription_cycle");
    assert_eq!(int(&after_trial["items"]["data"][0], "current_period_start"), start + 14 * DAY);

    // The card starts failing: the next renewal leaves the subscription past due.
    let failing = post(
        &client,
        "/v1/payment_methods/pm_card_chargeCustomerFail/attach",
        json!({"customer": jenny["id"]}),
    )
    .await;
    post(
        &client,
        &format!("/v1/customers/{}", text(&jenny, "id")),
        json!({"invoice_settings": {"default_payment_method": failing["id"]}}),
    )
    .await;
    advance(&client, &clock, start + 46 * DAY).await;
    let past_due = get(&client, &format!("/v1/subscriptions/{id}")).await;
    assert_eq!(past_due["status"], "past_due");
    let unpaid = get(&client, &format!("/v1/invoices/{}", text(&past_due, "latest_invoice"))).await;
    assert_eq!(
        (unpaid["status"].as_str(), unpaid["attempt_count"].as_i64()),
        (Some("open"), Some(1))
    );
    assert_eq!(events_of(&mock, "invoice.payment_failed").len(), 1);
    let went_past_due = events_of(&mock, "customer.subscription.updated");
    assert_eq!(
        went_past_due.last().map(|event| event["data"]["previous_attributes"]["status"].clone()),
        Some(json!("active"))
    );

    // The customer pays with another card: active again.
    post(
        &client,
        &format!("/v1/invoices/{}/pay", text(&unpaid, "id")),
        json!({"payment_method": "pm_card_visa"}),
    )
    .await;
    let recovered = get(&client, &format!("/v1/subscriptions/{id}")).await;
    assert_eq!(recovered["status"], "active");

    // Cancel at the period end: still active until then, canceled after.
    let ending =
        post(&client, &format!("/v1/subscriptions/{id}"), json!({"cancel_at_period_end": true}))
            .await;
    assert_eq!(
        (ending["status"].as_str(), ending["cancel_at_period_end"].as_bool()),
        (Some("active"), Some(true))
    );
    let period_end = int(&ending["items"]["data"][0], "current_period_end");
    assert_eq!(int(&ending, "cancel_at"), period_end);
    advance(&client, &clock, period_end + DAY).await;
    let ended = get(&client, &format!("/v1/subscriptions/{id}")).await;
    assert_eq!(
        (ended["status"].as_str(), ended["ended_at"].as_i64()),
        (Some("canceled"), Some(period_end))
    );
    assert_eq!(events_of(&mock, "customer.subscription.deleted").len(), 1);
    assert_eq!(events_of(&mock, "test_helpers.test_clock.ready").len(), 3);
}

#[tokio::test]
async fn the_mocks_clock_renews_subscriptions_without_a_test_clock() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    let method =
        post(&client, "/v1/payment_methods/pm_card_visa/attach", json!({"customer": jenny["id"]}))
            .await;
    let price = post(
        &client,
        "/v1/prices",
        json!({"currency": "usd", "unit_amount": 300, "recurring": {"interval": "week"}, "product_data": {"name": "Weekly"}}),
    )
    .await;
    let subscription = post(
        &client,
        "/v1/subscriptions",
        json!({"customer": jenny["id"], "items": [{"price": price["id"]}], "default_payment_method": method["id"]}),
    )
    .await;
    let before = mock.clock().now();
    mock.clock().advance(Duration::from_secs(22 * 86_400)).expect("advance");
    assert!(mock.clock().now() >= before + 22 * DAY);
    let invoices =
        get(&client, &format!("/v1/invoices?subscription={}", text(&subscription, "id"))).await;
    let invoices = invoices["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(invoices.len(), 4, "the first week and three renewals");
    assert!(invoices
        .iter()
        .all(|invoice| invoice["status"] == "paid" && invoice["amount_paid"] == 300));
    let created_now = post(&client, "/v1/customers", json!({"email": "later@example.com"})).await;
    assert!(int(&created_now, "created") >= before + 22 * DAY);
    assert!(mock.clock().advance_to(before).is_err(), "the clock does not go back");
}

#[tokio::test]
async fn canceling_now_keeps_the_subscription_retrievable() {
    let (mock, client) = start().await;
    let (_clock, jenny) = customer_on_clock(&client, "pm_card_visa").await;
    let price = monthly_price(&client, 800).await;
    let subscription = post(
        &client,
        "/v1/subscriptions",
        json!({"customer": jenny["id"], "items": [{"price": price["id"]}]}),
    )
    .await;
    let id = text(&subscription, "id");
    let canceled = delete(&client, &format!("/v1/subscriptions/{id}")).await;
    assert_eq!(canceled["status"], "canceled");
    assert!(canceled["canceled_at"].is_i64() && canceled["ended_at"].is_i64());
    assert_eq!(get(&client, &format!("/v1/subscriptions/{id}")).await["status"], "canceled");
    let default_list = get(&client, "/v1/subscriptions").await;
    assert_eq!(default_list["data"].as_array().map(Vec::len), Some(0));
    let all = get(&client, "/v1/subscriptions?status=all").await;
    assert_eq!(all["data"].as_array().map(Vec::len), Some(1));
    let again = post_err(
        &client,
        &format!("/v1/subscriptions/{id}"),
        json!({"items": [{"price": price["id"]}]}),
    )
    .await;
    assert_eq!(again.status, 400);
    assert_eq!(events_of(&mock, "customer.subscription.deleted").len(), 1);
}

#[tokio::test]
async fn updating_items_and_quantities_changes_the_next_invoice() {
    let (mock, client) = start().await;
    let (clock, jenny) = customer_on_clock(&client, "pm_card_visa").await;
    let basic = monthly_price(&client, 1000).await;
    let extra = monthly_price(&client, 250).await;
    let subscription = post(
        &client,
        "/v1/subscriptions",
        json!({"customer": jenny["id"], "items": [{"price": basic["id"]}]}),
    )
    .await;
    let id = text(&subscription, "id");
    let item = text(&subscription["items"]["data"][0], "id");
    let updated = post(
        &client,
        &format!("/v1/subscriptions/{id}"),
        json!({"items": [{"id": item, "quantity": 2}, {"price": extra["id"], "quantity": 4}]}),
    )
    .await;
    let quantities: Vec<i64> = updated["items"]["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| int(item, "quantity"))
        .collect();
    assert_eq!(quantities, [2, 4]);
    let event = events_of(&mock, "customer.subscription.updated");
    assert_eq!(event.len(), 1);
    assert!(event[0]["data"]["previous_attributes"]["items"]["data"]
        .as_array()
        .is_some_and(|items| items.len() == 1));
    advance(&client, &clock, int(&clock, "frozen_time") + 32 * DAY).await;
    let renewed = get(&client, &format!("/v1/subscriptions/{id}")).await;
    let invoice = get(&client, &format!("/v1/invoices/{}", text(&renewed, "latest_invoice"))).await;
    assert_eq!(invoice["amount_paid"], 2 * 1000 + 4 * 250);
}

#[tokio::test]
async fn an_invoice_goes_from_draft_to_paid_void_or_uncollectible() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    let customer_id = text(&jenny, "id");
    post(
        &client,
        "/v1/invoiceitems",
        json!({"customer": customer_id, "amount": 1234, "currency": "usd", "description": "Setup"}),
    )
    .await;
    let draft = post(
        &client,
        "/v1/invoices",
        json!({"customer": customer_id, "pending_invoice_items_behavior": "include"}),
    )
    .await;
    let id = text(&draft, "id");
    assert_eq!(
        (draft["status"].as_str(), draft["amount_due"].as_i64()),
        (Some("draft"), Some(1234))
    );
    assert!(draft["number"].is_null());
    let early = post_err(&client, &format!("/v1/invoices/{id}/void"), json!({})).await;
    assert_eq!(early.code.as_deref(), Some("invoice_unexpected_state"));
    let open = post(&client, &format!("/v1/invoices/{id}/finalize"), json!({})).await;
    assert_eq!(open["status"], "open");
    assert!(text(&open, "number").starts_with("MOCK-"));
    assert!(text(&open, "hosted_invoice_url").starts_with(&mock.url()));
    let declined = post_err(
        &client,
        &format!("/v1/invoices/{id}/pay"),
        json!({"payment_method": "pm_card_chargeDeclined"}),
    )
    .await;
    assert_eq!(declined.status, 402);
    let paid =
        post(&client, &format!("/v1/invoices/{id}/pay"), json!({"payment_method": "pm_card_visa"}))
            .await;
    assert_eq!(
        (paid["status"].as_str(), paid["amount_paid"].as_i64(), paid["amount_remaining"].as_i64()),
        (Some("paid"), Some(1234), Some(0))
    );
    let twice = post_err(&client, &format!("/v1/invoices/{id}/pay"), json!({})).await;
    assert_eq!(twice.status, 400);

    for (action, status, kind) in [
        ("void", "void", "invoice.voided"),
        ("mark_uncollectible", "uncollectible", "invoice.marked_uncollectible"),
    ] {
        let draft = post(&client, "/v1/invoices", json!({"customer": customer_id})).await;
        post(&client, "/v1/invoiceitems", json!({"customer": customer_id, "amount": 500, "currency": "usd", "invoice": draft["id"]})).await;
        post(&client, &format!("/v1/invoices/{}/finalize", text(&draft, "id")), json!({})).await;
        let done =
            post(&client, &format!("/v1/invoices/{}/{action}", text(&draft, "id")), json!({}))
                .await;
        assert_eq!(done["status"], status);
        assert_eq!(done["amount_due"], 500);
        assert_eq!(events_of(&mock, kind).len(), 1);
    }
    let kinds = event_types(&mock);
    for kind in [
        "invoiceitem.created",
        "invoice.created",
        "invoice.finalized",
        "invoice.payment_failed",
        "invoice.paid",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test]
async fn checkout_sessions_take_their_line_items_from_the_request() {
    let (mock, client) = start().await;
    let price = post(
        &client,
        "/v1/prices",
        json!({"currency": "usd", "unit_amount": 2500, "product_data": {"name": "T-shirt"}}),
    )
    .await;
    let session = post(
        &client,
        "/v1/checkout/sessions",
        json!({"mode": "payment", "line_items": [{"price": price["id"], "quantity": 2}], "success_url": "https://shop.example/ok", "customer_email": "buyer@example.com"}),
    )
    .await;
    let id = text(&session, "id");
    assert_eq!(
        (
            session["amount_total"].as_i64(),
            session["status"].as_str(),
            session["payment_status"].as_str()
        ),
        (Some(5000), Some("open"), Some("unpaid"))
    );
    assert!(int(&session, "expires_at") > int(&session, "created"));
    assert!(text(&session, "url").starts_with(&mock.url()));
    assert_eq!(session["success_url"], "https://shop.example/ok");
    let items = get(&client, &format!("/v1/checkout/sessions/{id}/line_items")).await;
    assert_eq!(
        (items["data"][0]["quantity"].as_i64(), items["data"][0]["amount_total"].as_i64()),
        (Some(2), Some(5000))
    );

    let completed = mock.complete_checkout(id).expect("complete");
    assert_eq!(
        (completed["status"].as_str(), completed["payment_status"].as_str()),
        (Some("complete"), Some("paid"))
    );
    let intent =
        get(&client, &format!("/v1/payment_intents/{}", text(&completed, "payment_intent"))).await;
    assert_eq!(
        (intent["status"].as_str(), intent["amount_received"].as_i64()),
        (Some("succeeded"), Some(5000))
    );
    let buyer = get(&client, &format!("/v1/customers/{}", text(&completed, "customer"))).await;
    assert_eq!(buyer["email"], "buyer@example.com");
    assert_eq!(events_of(&mock, "checkout.session.completed").len(), 1);

    let monthly = monthly_price(&client, 1900).await;
    let subscribe = post(&client, "/v1/checkout/sessions", json!({"mode": "subscription", "line_items": [{"price": monthly["id"], "quantity": 1}], "success_url": "https://shop.example/ok"})).await;
    let done = mock.complete_checkout(text(&subscribe, "id")).expect("complete subscription");
    let subscription =
        get(&client, &format!("/v1/subscriptions/{}", text(&done, "subscription"))).await;
    assert_eq!(subscription["status"], "active");

    let abandoned = post(&client, "/v1/checkout/sessions", json!({"mode": "payment", "line_items": [{"price": price["id"], "quantity": 1}], "success_url": "https://shop.example/ok"})).await;
    let expired = post(
        &client,
        &format!("/v1/checkout/sessions/{}/expire", text(&abandoned, "id")),
        json!({}),
    )
    .await;
    assert_eq!(expired["status"], "expired");
    assert!(mock.complete_checkout(text(&abandoned, "id")).is_err());
    assert_eq!(events_of(&mock, "checkout.session.expired").len(), 1);
    assert!(
        !event_types(&mock).iter().any(|kind| kind == "checkout.session.created"),
        "not an event type of Stripe"
    );
}

#[tokio::test]
async fn billing_portal_sessions_point_at_the_mock() {
    let (mock, client) = start().await;
    let jenny = customer(&client, "jenny@example.com").await;
    let session = post(
        &client,
        "/v1/billing_portal/sessions",
        json!({"customer": jenny["id"], "return_url": "https://app.example/account"}),
    )
    .await;
    assert!(text(&session, "url").starts_with(&format!("{}/", mock.url())));
    assert_eq!(session["return_url"], "https://app.example/account");
    let missing =
        post_err(&client, "/v1/billing_portal/sessions", json!({"customer": "cus_nobody"})).await;
    assert_eq!((missing.status, missing.param.as_deref()), (404, Some("customer")));
}

#[tokio::test]
async fn the_hosted_pages_take_a_browser_through_checkout_and_the_portal() {
    let (mock, client) = start().await;
    let price = monthly_price(&client, 1200).await;
    let session = post(
        &client,
        "/v1/checkout/sessions",
        json!({"mode": "subscription", "line_items": [{"price": price["id"], "quantity": 2}], "success_url": "https://app.example/done?session={CHECKOUT_SESSION_ID}", "customer_email": "web@example.com"}),
    )
    .await;
    let id = text(&session, "id");
    let page_path = text(&session, "url").trim_start_matches(&mock.url()).to_owned();
    let (status, _, page) = common::browse(&mock, "GET", &page_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("24.00 USD") && page.contains("id=\"pay\""), "{page}");
    let (status, location, _) = common::browse(&mock, "POST", &format!("{page_path}/pay")).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some(format!("https://app.example/done?session={id}").as_str()))
    );
    let completed = get(&client, &format!("/v1/checkout/sessions/{id}")).await;
    assert_eq!(completed["status"], "complete");
    let subscription =
        get(&client, &format!("/v1/subscriptions/{}", text(&completed, "subscription"))).await;
    assert_eq!(subscription["status"], "active");
    let (_, _, again) = common::browse(&mock, "GET", &page_path).await;
    assert!(again.contains("This checkout session is complete."), "{again}");
    assert_eq!(events_of(&mock, "checkout.session.completed").len(), 1);

    let portal = post(
        &client,
        "/v1/billing_portal/sessions",
        json!({"customer": completed["customer"], "return_url": "https://app.example/account"}),
    )
    .await;
    let portal_path = text(&portal, "url").trim_start_matches(&mock.url()).to_owned();
    let (status, _, page) = common::browse(&mock, "GET", &portal_path).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(text(&subscription, "id")) && page.contains("https://app.example/account"),
        "{page}"
    );
    assert_eq!(common::browse(&mock, "GET", "/checkout/cs_test_nothing").await.0, 404);
}
