//! A subscription business tested against the mock, as an application would test its own
//! billing code: signup → trial → first invoice paid → renewal by a test clock → a failed payment
//! → recovery → cancellation. Everything goes through the typed SDK; the mock's test clock moves
//! time, and its signed webhook events are verified and decoded as the application's endpoint
//! would.

use stripe_sdk::test_helpers::{AdvanceTestClockParams, CreateTestClockParams, TestClock};
use stripe_sdk::webhook::{EventObject, Webhook};
use stripe_sdk::{
    AttachPaymentMethodParams, CancelSubscriptionParams, Client, CreateCustomerParams,
    CreatePriceParams, CreateSubscriptionParams, Customer, CustomerParam, EventType,
    InlineProductParams, Invoice, InvoiceStatus, PayInvoiceParams, PaymentMethod, PlanInterval,
    Price, RecurringObject, RetrieveInvoiceParams, RetrieveSubscriptionParams, Subscription,
    SubscriptionItemCreateParams, SubscriptionStatus, UpdateCustomerParams,
};
use stripe_sdk_mock::MockServer;

const DAY: i64 = 86_400;
/// 2026-01-01T00:00:00Z.
const SIGNUP: i64 = 1_767_225_600;

/// Saves a card for the customer and makes it the one invoices are charged with.
async fn use_card(client: &Client, customer: &str, test_card: &str) -> PaymentMethod {
    let mut attach = AttachPaymentMethodParams::new();
    attach.customer = Some(customer.to_owned());
    let card = PaymentMethod::attach(client, test_card, &attach).await.expect("attach the card");
    let mut settings = CustomerParam::new();
    settings.default_payment_method = Some(card.id.to_string());
    let mut update = UpdateCustomerParams::new();
    update.invoice_settings = Some(settings);
    Customer::update(client, customer, &update).await.expect("make it the default");
    card
}

async fn advance(client: &Client, clock: &TestClock, days: i64) {
    let current = TestClock::retrieve(client, &clock.id, &Default::default()).await.expect("clock");
    let moved = TestClock::advance(
        client,
        &clock.id,
        &AdvanceTestClockParams::new(current.frozen_time + days * DAY),
    )
    .await
    .expect("advance the clock");
    assert_eq!(moved.frozen_time, current.frozen_time + days * DAY);
}

async fn subscription(client: &Client, id: &str) -> Subscription {
    Subscription::retrieve(client, id, &RetrieveSubscriptionParams::new())
        .await
        .expect("subscription")
}

async fn latest_invoice(client: &Client, subscription: &Subscription) -> Invoice {
    let id = subscription.latest_invoice.as_ref().expect("an invoice").id().to_owned();
    Invoice::retrieve(client, id, &RetrieveInvoiceParams::new()).await.expect("invoice")
}

#[tokio::test]
async fn a_subscription_business_from_signup_to_cancellation() {
    let mock = MockServer::start().await;
    let client = Client::builder("sk_test_business").api_base(mock.url()).build().expect("client");

    // Signup: the customer lives on a test clock, so the test decides what time it is.
    let clock =
        TestClock::create(&client, &CreateTestClockParams::new(SIGNUP)).await.expect("test clock");
    let mut signup = CreateCustomerParams::new();
    signup.email = Some("founder@startup.example".to_owned());
    signup.test_clock = Some(clock.id.to_string());
    let customer = Customer::create(&client, &signup).await.expect("customer");
    use_card(&client, &customer.id, "pm_card_visa").await;

    // The plan: $20 a month.
    let mut plan = CreatePriceParams::new("usd");
    plan.unit_amount = Some(2000);
    plan.recurring = Some(RecurringObject::new(PlanInterval::Month));
    plan.product_data = Some(InlineProductParams::new("Startup plan"));
    let price = Price::create(&client, &plan).await.expect("price");

    // A 14-day trial: nothing to pay yet.
    let mut item = SubscriptionItemCreateParams::new();
    item.price = Some(price.id.to_string());
    let mut subscribe = CreateSubscriptionParams::new();
    subscribe.customer = Some(customer.id.to_string());
    subscribe.items = Some(vec![item]);
    subscribe.trial_period_days = Some(14);
    let created = Subscription::create(&client, &subscribe).await.expect("subscribe");
    assert_eq!(created.status, SubscriptionStatus::Trialing);
    assert_eq!(created.trial_end, Some(SIGNUP + 14 * DAY));
    assert_eq!(latest_invoice(&client, &created).await.total, 0);

    // The trial ends: the first invoice is paid with the saved card.
    advance(&client, &clock, 15).await;
    let active = subscription(&client, &created.id).await;
    assert_eq!(active.status, SubscriptionStatus::Active);
    let first = latest_invoice(&client, &active).await;
    assert_eq!((first.status, first.amount_paid), (Some(InvoiceStatus::Paid), 2000));
    assert_eq!(active.items.data[0].current_period_start, SIGNUP + 14 * DAY);

    // A month later it renews by itself.
    advance(&client, &clock, 31).await;
    let renewed = subscription(&client, &created.id).await;
    let second = latest_invoice(&client, &renewed).await;
    assert_ne!(second.id, first.id);
    assert_eq!(
        (renewed.status, second.status),
        (SubscriptionStatus::Active, Some(InvoiceStatus::Paid))
    );

    // The card starts failing: the next renewal leaves the subscription past due, and the
    // application hears about it through a signed webhook.
    use_card(&client, &customer.id, "pm_card_chargeCustomerFail").await;
    advance(&client, &clock, 31).await;
    let past_due = subscription(&client, &created.id).await;
    assert_eq!(past_due.status, SubscriptionStatus::PastDue);
    let unpaid = latest_invoice(&client, &past_due).await;
    assert_eq!((unpaid.status, unpaid.attempt_count), (Some(InvoiceStatus::Open), 1));
    let endpoint = Webhook::new(mock.webhook_secret()).expect("webhook secret");
    let failed: Vec<_> = mock
        .signed_events()
        .iter()
        .map(|signed| {
            endpoint
                .construct_event(signed.payload.as_bytes(), Some(&signed.signature))
                .expect("verified")
        })
        .filter(|event| event.type_ == EventType::InvoicePaymentFailed)
        .collect();
    assert_eq!(failed.len(), 1);
    match &failed[0].data.object {
        EventObject::Invoice(invoice) => assert_eq!(invoice.id, unpaid.id),
        other => panic!("not an invoice: {other:?}"),
    }

    // The customer pays with a new card from the billing page: active again.
    let mut pay = PayInvoiceParams::new();
    pay.payment_method = Some("pm_card_mastercard".to_owned());
    let paid = Invoice::pay(&client, &unpaid.id, &pay).await.expect("pay");
    assert_eq!(paid.status, Some(InvoiceStatus::Paid));
    assert_eq!(subscription(&client, &created.id).await.status, SubscriptionStatus::Active);

    // Cancellation: at once, and the subscription stays on record.
    let canceled = Subscription::cancel(&client, &created.id, &CancelSubscriptionParams::new())
        .await
        .expect("cancel");
    assert_eq!(canceled.status, SubscriptionStatus::Canceled);
    assert_eq!(subscription(&client, &created.id).await.status, SubscriptionStatus::Canceled);

    // Four invoices in all: the trial's, two renewals paid at once, the one paid late.
    let kinds: Vec<String> = mock
        .events()
        .iter()
        .filter_map(|event| event["type"].as_str().map(str::to_owned))
        .collect();
    let count = |kind: &str| kinds.iter().filter(|seen| *seen == kind).count();
    assert_eq!(count("invoice.paid"), 4);
    assert_eq!(count("customer.subscription.created"), 1);
    assert_eq!(count("customer.subscription.deleted"), 1);
}
