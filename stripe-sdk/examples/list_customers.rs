//! Auto-pagination: lists customers page by page, as a stream, then all at once.
//!
//! ```sh
//! cargo run -p stripe-sdk --example list_customers                    # against the in-tree mock
//! STRIPE_SECRET_KEY=sk_test_... cargo run -p stripe-sdk --example list_customers
//! ```

mod common;

use futures_util::TryStreamExt as _;
use stripe_sdk::{CreateCustomerParams, Customer, ListCustomerParams};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let backend = common::backend().await?;
    eprintln!("listing customers on {}", backend.description);
    if backend.is_mock {
        // The mock keeps what is created: 30 customers, to page through.
        for n in 1..=30 {
            let params = CreateCustomerParams {
                email: Some(format!("customer{n}@example.com")),
                ..Default::default()
            };
            Customer::create(&backend.client, &params).await?;
        }
        eprintln!("created 30 customers on the mock");
    }

    // As a stream: pages of 10 are fetched only as items are consumed, and it ends after 25.
    let params = ListCustomerParams::new();
    let stream = Customer::list_paginated(&backend.client, &params)
        .page_size(10)
        .max_items(25)
        .into_stream();
    let mut stream = std::pin::pin!(stream);
    let mut count = 0;
    while let Some(customer) = stream.try_next().await? {
        count += 1;
        println!(
            "{count:>3} {} {}",
            customer.id,
            customer.email.as_deref().unwrap_or("(no email)")
        );
    }

    // All at once, into a Vec (capped at 1,000 here, in case the account has many customers).
    let all = Customer::list_paginated(&backend.client, &params)
        .page_size(100)
        .max_items(1_000)
        .collect_all()
        .await?;
    println!("streamed {count} customer(s) (at most 25); collect_all() returned {}", all.len());
    Ok(())
}
