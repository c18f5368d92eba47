//! The methods users look for first are named as Stripe's official SDKs name them (stripe-node
//! 20.3.1 for API 2026-01-28.clover: `stripe.subscriptions.cancel`, `stripe.invoices.finalizeInvoice`,
//! `stripe.v2.core.accounts.close`), in snake_case, `delete` for their `del`, on the type of the
//! resource that owns the path's collection. Read from `spec/operations.txt`, which
//! `generated_is_fresh` keeps equal to a fresh generation.

use std::collections::BTreeMap;

/// `(METHOD, path, the official SDK's call, our method)`.
const WELL_KNOWN: &[(&str, &str, &str, &str)] = &[
    ("POST", "/v1/payment_intents", "paymentIntents.create", "PaymentIntent::create"),
    ("GET", "/v1/payment_intents/{intent}", "paymentIntents.retrieve", "PaymentIntent::retrieve"),
    ("POST", "/v1/payment_intents/{intent}", "paymentIntents.update", "PaymentIntent::update"),
    (
        "POST",
        "/v1/payment_intents/{intent}/confirm",
        "paymentIntents.confirm",
        "PaymentIntent::confirm",
    ),
    (
        "POST",
        "/v1/payment_intents/{intent}/capture",
        "paymentIntents.capture",
        "PaymentIntent::capture",
    ),
    (
        "POST",
        "/v1/payment_intents/{intent}/cancel",
        "paymentIntents.cancel",
        "PaymentIntent::cancel",
    ),
    ("GET", "/v1/payment_intents", "paymentIntents.list", "PaymentIntent::list"),
    ("GET", "/v1/payment_intents/search", "paymentIntents.search", "PaymentIntent::search"),
    ("POST", "/v1/setup_intents", "setupIntents.create", "SetupIntent::create"),
    ("POST", "/v1/setup_intents/{intent}/confirm", "setupIntents.confirm", "SetupIntent::confirm"),
    ("POST", "/v1/setup_intents/{intent}/cancel", "setupIntents.cancel", "SetupIntent::cancel"),
    ("POST", "/v1/refunds", "refunds.create", "Refund::create"),
    ("GET", "/v1/refunds/{refund}", "refunds.retrieve", "Refund::retrieve"),
    ("POST", "/v1/refunds/{refund}/cancel", "refunds.cancel", "Refund::cancel"),
    ("POST", "/v1/customers", "customers.create", "Customer::create"),
    ("GET", "/v1/customers/{customer}", "customers.retrieve", "Customer::retrieve"),
    ("POST", "/v1/customers/{customer}", "customers.update", "Customer::update"),
    ("DELETE", "/v1/customers/{customer}", "customers.del", "Customer::delete"),
    ("GET", "/v1/customers", "customers.list", "Customer::list"),
    ("GET", "/v1/customers/search", "customers.search", "Customer::search"),
    (
        "GET",
        "/v1/customers/{customer}/payment_methods",
        "customers.listPaymentMethods",
        "Customer::list_payment_methods",
    ),
    ("GET", "/v1/customers/{customer}/tax_ids", "customers.listTaxIds", "Customer::list_tax_ids"),
    (
        "POST",
        "/v1/customers/{customer}/tax_ids",
        "customers.createTaxId",
        "Customer::create_tax_id",
    ),
    (
        "DELETE",
        "/v1/customers/{customer}/tax_ids/{id}",
        "customers.deleteTaxId",
        "Customer::delete_tax_id",
    ),
    (
        "POST",
        "/v1/payment_methods/{payment_method}/attach",
        "paymentMethods.attach",
        "PaymentMethod::attach",
    ),
    (
        "POST",
        "/v1/payment_methods/{payment_method}/detach",
        "paymentMethods.detach",
        "PaymentMethod::detach",
    ),
    ("POST", "/v1/subscriptions", "subscriptions.create", "Subscription::create"),
    (
        "POST",
        "/v1/subscriptions/{subscription_exposed_id}",
        "subscriptions.update",
        "Subscription::update",
    ),
    (
        "DELETE",
        "/v1/subscriptions/{subscription_exposed_id}",
        "subscriptions.cancel",
        "Subscription::cancel",
    ),
    (
        "POST",
        "/v1/subscriptions/{subscription}/resume",
        "subscriptions.resume",
        "Subscription::resume",
    ),
    (
        "POST",
        "/v1/invoices/{invoice}/finalize",
        "invoices.finalizeInvoice",
        "Invoice::finalize_invoice",
    ),
    ("POST", "/v1/invoices/{invoice}/pay", "invoices.pay", "Invoice::pay"),
    ("POST", "/v1/invoices/{invoice}/send", "invoices.sendInvoice", "Invoice::send_invoice"),
    ("POST", "/v1/invoices/{invoice}/void", "invoices.voidInvoice", "Invoice::void_invoice"),
    (
        "POST",
        "/v1/invoices/{invoice}/mark_uncollectible",
        "invoices.markUncollectible",
        "Invoice::mark_uncollectible",
    ),
    ("GET", "/v1/invoices/{invoice}/lines", "invoices.listLineItems", "Invoice::list_line_items"),
    ("POST", "/v1/invoices/create_preview", "invoices.createPreview", "Invoice::create_preview"),
    ("POST", "/v1/checkout/sessions", "checkout.sessions.create", "checkout::Session::create"),
    (
        "POST",
        "/v1/checkout/sessions/{session}/expire",
        "checkout.sessions.expire",
        "checkout::Session::expire",
    ),
    (
        "GET",
        "/v1/checkout/sessions/{session}/line_items",
        "checkout.sessions.listLineItems",
        "checkout::Session::list_line_items",
    ),
    (
        "POST",
        "/v1/billing_portal/sessions",
        "billingPortal.sessions.create",
        "billing_portal::Session::create",
    ),
    (
        "POST",
        "/v1/billing_portal/configurations",
        "billingPortal.configurations.create",
        "billing_portal::Configuration::create",
    ),
    ("POST", "/v1/webhook_endpoints", "webhookEndpoints.create", "WebhookEndpoint::create"),
    (
        "DELETE",
        "/v1/webhook_endpoints/{webhook_endpoint}",
        "webhookEndpoints.del",
        "WebhookEndpoint::delete",
    ),
    ("GET", "/v1/events/{id}", "events.retrieve", "Event::retrieve"),
    ("GET", "/v1/events", "events.list", "Event::list"),
    ("GET", "/v1/account", "accounts.retrieveCurrent", "Account::retrieve_current"),
    ("GET", "/v1/accounts/{account}", "accounts.retrieve", "Account::retrieve"),
    ("POST", "/v1/accounts/{account}/persons", "accounts.createPerson", "Account::create_person"),
    (
        "POST",
        "/v1/accounts/{account}/login_links",
        "accounts.createLoginLink",
        "Account::create_login_link",
    ),
    (
        "POST",
        "/v1/transfers/{id}/reversals",
        "transfers.createReversal",
        "Transfer::create_reversal",
    ),
    ("POST", "/v1/tax/settings", "tax.settings.update", "tax::Settings::update"),
    (
        "POST",
        "/v1/tax/transactions/create_from_calculation",
        "tax.transactions.createFromCalculation",
        "tax::Transaction::create_from_calculation",
    ),
    (
        "POST",
        "/v1/billing/meter_events",
        "billing.meterEvents.create",
        "billing::MeterEvent::create",
    ),
    ("POST", "/v2/core/accounts", "v2.core.accounts.create", "v2::core::Account::create"),
    ("GET", "/v2/core/accounts/{id}", "v2.core.accounts.retrieve", "v2::core::Account::retrieve"),
    ("POST", "/v2/core/accounts/{id}/close", "v2.core.accounts.close", "v2::core::Account::close"),
    (
        "GET",
        "/v2/core/accounts/{account_id}/persons",
        "v2.core.accounts.persons.list",
        "v2::core::AccountPerson::list",
    ),
    ("GET", "/v2/core/events/{id}", "v2.core.events.retrieve", "v2::core::Event::retrieve"),
    ("GET", "/v2/core/events", "v2.core.events.list", "v2::core::Event::list"),
    (
        "POST",
        "/v2/core/event_destinations/{id}/ping",
        "v2.core.eventDestinations.ping",
        "v2::core::EventDestination::ping",
    ),
];

fn operations() -> BTreeMap<(String, String), String> {
    let path = tests::workspace_root().join("spec/operations.txt");
    let text = std::fs::read_to_string(&path).expect("spec/operations.txt is readable");
    text.lines()
        .map(|line| {
            let words: Vec<&str> = line.split(' ').collect();
            assert_eq!(words.len(), 3, "`METHOD path Type::method`: {line}");
            ((words[0].to_owned(), words[1].to_owned()), words[2].to_owned())
        })
        .collect()
}

#[test]
fn well_known_operations_have_the_official_names() {
    let operations = operations();
    let mut wrong = Vec::new();
    for (method, path, official, ours) in WELL_KNOWN {
        match operations.get(&(method.to_string(), path.to_string())) {
            Some(name) if name == ours => {}
            Some(name) => {
                wrong.push(format!("{method} {path}: {name}, expected {ours} ({official})"))
            }
            None => wrong.push(format!("{method} {path}: no such operation")),
        }
    }
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), WELL_KNOWN.len(), wrong.join("\n"));
    assert!(WELL_KNOWN.len() >= 60);
}

#[test]
fn no_method_name_carries_path_words_where_the_official_sdk_has_a_plain_name() {
    // Before the naming rule: `Account::retrieve_accounts`, `Dispute::retrieve_disputes`,
    // `apps::Secret::secrets_delete`, `tax::Transaction::transactions_create_from_calculation`.
    let operations = operations();
    let names: Vec<&String> = operations.values().collect();
    for stale in [
        "Account::retrieve_accounts",
        "Dispute::retrieve_disputes",
        "apps::Secret::secrets_delete",
        "tax::Transaction::transactions_create_from_calculation",
        "Subscription::delete",
    ] {
        assert!(!names.iter().any(|name| *name == stale), "{stale} is back");
    }
    assert_eq!(operations.len(), 617);
}
