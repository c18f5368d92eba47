//! Calls every operation of the pinned spec through the generated SDK, twice (only the required
//! parameters, then every parameter), and decodes every response.
//!
//! `cargo run -p tests --bin conformance [-- --base-url URL] [--api-key KEY]`: without `--base-url`
//! it starts the in-tree mock server; with it, any Stripe-compatible server (such as stripe-mock).
//! Prints one line per failure and, last, `N passed, M failed`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<bool, String> {
    let mut base_url = None;
    let mut api_key = "sk_test_conformance".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base-url" => base_url = Some(args.next().ok_or("--base-url needs a URL")?),
            "--api-key" => api_key = args.next().ok_or("--api-key needs a key")?,
            other => {
                return Err(format!(
                "unknown argument `{other}` (usage: conformance [--base-url URL] [--api-key KEY])"
            ))
            }
        }
    }
    let spec = tests::fixtures::spec()?;

    let mock = match base_url {
        Some(_) => None,
        None => Some(
            stripe_sdk_mock::MockServer::builder()
                .mode(stripe_sdk_mock::Mode::Examples)
                .start()
                .await
                .map_err(|err| err.to_string())?,
        ),
    };
    let base_url = match (&mock, base_url) {
        (Some(mock), _) => mock.url(),
        (None, Some(url)) => url,
        (None, None) => return Err("no server".to_owned()),
    };
    let client = stripe_sdk::Client::builder(api_key)
        .api_base(&base_url)
        .files_base(&base_url)
        .max_retries(0)
        .build()
        .map_err(|err| err.to_string())?;

    let report = tests::conformance::run(&client, spec, mock.as_deref()).await;
    for failure in &report.failures {
        println!("FAIL {failure}");
    }
    println!(
        "{} expansions sent, {} expanded objects checked, {} of {} expandable fields expanded",
        report.expansions_sent,
        report.expansions_checked,
        report.expanded_fields,
        report.expandable_fields
    );
    println!("{} passed, {} failed", report.passed, report.failures.len());
    Ok(report.failures.is_empty())
}
