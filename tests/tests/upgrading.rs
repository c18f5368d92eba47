//! The "after" code of UPGRADING.md, compiled and run against the mock: if a name the guide tells
//! users to move to changes, this file stops compiling.

use stripe_sdk::billing::{CreateMeterEventParams, MeterEvent};
use stripe_sdk::{
    Client, CreateInvoicePreviewParams, CreatePriceParams, CreateSubscriptionParams, Currency,
    Discount, InlineProductParams, Invoice, PlanInterval, Price, RecurringObject, Subscription,
    SubscriptionItemCreateParams,
};
use stripe_sdk_mock::MockServer;

fn client(mock: &MockServer) -> Client {
    Client::builder("sk_test_123").api_base(mock.url()).build().expect("a client for the mock")
}

/// Subscription periods are on the items since basil (2025-03-31).
async fn period_end(
    client: &Client,
    customer: &str,
    price: &str,
) -> Result<Option<i64>, stripe_sdk::Error> {
    let mut params = CreateSubscriptionParams::new();
    params.customer = Some(customer.into());
    params.items = Some(vec![SubscriptionItemCreateParams {
        price: Some(price.into()),
        quantity: Some(2),
        ..Default::default()
    }]);
    let subscription = Subscription::create(client, &params).await?;
    Ok(subscription.items.data.iter().map(|item| item.current_period_end).max())
}

/// The upcoming invoice is `Invoice::create_preview` since basil.
async fn upcoming_invoice(client: &Client, customer: &str) -> Result<Invoice, stripe_sdk::Error> {
    let mut params = CreateInvoicePreviewParams::new();
    params.customer = Some(customer.into());
    Invoice::create_preview(client, &params).await
}

/// Usage records are meter events since basil.
async fn report_usage(client: &Client, customer: &str) -> Result<MeterEvent, stripe_sdk::Error> {
    let payload =
        [("stripe_customer_id", customer), ("value", "25")].map(|(k, v)| (k.into(), v.into()));
    let params = CreateMeterEventParams::new("api_requests", payload.into_iter().collect());
    MeterEvent::create(client, &params).await
}

/// A discount's coupon is under `source` since clover (2025-09-30).
fn coupon_id(discount: &Discount) -> Option<&str> {
    discount.source.coupon.as_ref().map(|coupon| coupon.id())
}

#[tokio::test]
async fn the_guide_s_new_calls_work_against_the_mock() {
    let mock = MockServer::start().await;
    let client = client(&mock);
    let customer =
        stripe_sdk::Customer::create(&client, &Default::default()).await.expect("customer");
    // The mock checks references as Stripe does: the price must exist, and be recurring.
    let mut monthly = CreatePriceParams::new(Currency::USD);
    monthly.unit_amount = Some(1000);
    monthly.recurring = Some(RecurringObject::new(PlanInterval::Month));
    monthly.product_data = Some(InlineProductParams::new("Pro"));
    let price = Price::create(&client, &monthly).await.expect("price");
    let end = period_end(&client, &customer.id, &price.id).await.expect("subscription");
    let now = mock.clock().now();
    assert!(end.is_some_and(|end| end >= now + 28 * 86_400), "a subscription item has a period");
    let preview = upcoming_invoice(&client, &customer.id).await.expect("preview");
    assert_eq!(preview.object, "invoice");
    let event = report_usage(&client, &customer.id).await.expect("meter event");
    assert_eq!(event.event_name, "api_requests");
    let discount: Discount = serde_json::from_value(serde_json::json!({
        "id": "di_1", "object": "discount", "start": 1, "end": null, "customer": null,
        "source": {"type": "coupon", "coupon": "SPRING"},
        "checkout_session": null, "invoice": null, "invoice_item": null,
        "promotion_code": null, "subscription": null, "subscription_item": null
    }))
    .expect("a clover discount");
    assert_eq!(coupon_id(&discount), Some("SPRING"));
    assert_eq!(Currency::new("USD"), Currency::USD);
}
