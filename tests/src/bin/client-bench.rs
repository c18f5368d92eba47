//! Measures the mock (`stripe-sdk-mock`): start-up time (the first server of a process, which parses
//! the embedded data, and the next ones), throughput through the SDK client, and which operations
//! keep state.
//!
//! `cargo run --release -p tests --bin client-bench [-- --seconds 5 --concurrency 8]`

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use stripe_sdk::{
    Client, CreateCustomerParams, Customer, CustomerOrDeletedCustomer, ListCustomerParams,
    RetrieveCustomerParams,
};
use stripe_sdk_mock::{Api, Kind, MockServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut seconds = 5u64;
    let mut concurrency = 8usize;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seconds" => seconds = value.parse()?,
            "--concurrency" => concurrency = value.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }

    let started = Instant::now();
    let first = MockServer::try_start().await?;
    let first_start = started.elapsed();
    drop(first);
    operations()?;
    let runs = 50u32;
    let started = Instant::now();
    for _ in 0..runs {
        drop(MockServer::try_start().await?);
    }
    let next_start = started.elapsed() / runs;
    println!(
        "start-up: first server of the process {:.1} ms (parses the embedded data), then {:.3} ms per server",
        first_start.as_secs_f64() * 1e3,
        next_start.as_secs_f64() * 1e3
    );

    let mock = MockServer::try_start().await?;
    let client = Client::builder("sk_test_bench").api_base(mock.url()).max_retries(0).build()?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { worker_loop(client, worker, deadline).await }));
    }
    let mut requests = 0u64;
    for task in tasks {
        requests += task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "throughput: {requests} requests in {elapsed:.1} s with {concurrency} concurrent clients: {:.0} requests/s \
         (create, retrieve, list of 10 in turn; client and server in one process on {} cores)",
        requests as f64 / elapsed,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    Ok(())
}

/// Creates, retrieves and lists customers until `deadline`; returns the number of requests.
async fn worker_loop(
    client: Client,
    worker: usize,
    deadline: Instant,
) -> Result<u64, stripe_sdk::Error> {
    let mut requests = 0u64;
    let mut list = ListCustomerParams::new();
    list.limit = Some(10);
    while Instant::now() < deadline {
        let params = CreateCustomerParams {
            email: Some(format!("bench{worker}-{requests}@example.com")),
            ..Default::default()
        };
        let customer = Customer::create(&client, &params).await?;
        let again =
            Customer::retrieve(&client, &customer.id, &RetrieveCustomerParams::new()).await?;
        if !matches!(again, CustomerOrDeletedCustomer::Customer(_)) {
            return Err(stripe_sdk::Error::Config("retrieve returned another object".into()));
        }
        Customer::list(&client, &list).await?;
        requests += 3;
    }
    Ok(requests)
}

/// Prints how many operations keep state, by kind.
fn operations() -> Result<(), stripe_sdk_mock::Error> {
    let api = Api::embedded()?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for route in &api.routes {
        let kind = match route.kind {
            Kind::Create(_) => "create",
            Kind::Retrieve(_) => "retrieve",
            Kind::Update(_) => "update",
            Kind::Delete(_) => "delete",
            Kind::List(_) => "list",
            Kind::Search(_) => "search",
            Kind::Action(_) => "action on a stored object",
            Kind::Generic => "generic (example + request values)",
        };
        *counts.entry(kind).or_default() += 1;
    }
    let generic = counts.get("generic (example + request values)").copied().unwrap_or(0);
    println!(
        "operations: {} of {} stateful, {generic} generic",
        api.routes.len() - generic,
        api.routes.len()
    );
    for (kind, count) in counts {
        println!("  {kind}: {count}");
    }
    Ok(())
}
