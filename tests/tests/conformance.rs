//! Every operation of the pinned spec, called through its generated method against the in-tree
//! mock server, with only the required parameters and with every parameter: 617 × 2 calls.

/// Operations in the pinned spec (v1: 293 POST, 263 GET, 32 DELETE; v2: 17 POST, 10 GET,
/// 2 DELETE), each called twice.
const PINNED_CALLS: usize = 617 * 2;

#[tokio::test]
async fn every_operation_round_trips_through_the_mock() {
    let spec = tests::fixtures::spec().unwrap_or_else(|err| panic!("{err}"));
    let server = tests::mock::MockServer::builder()
        .mode(tests::mock::Mode::Examples)
        .start()
        .await
        .expect("mock starts");
    let client = stripe_sdk::Client::builder("sk_test_conformance")
        .api_base(server.url())
        .files_base(server.url())
        .max_retries(0)
        .build()
        .expect("client");
    assert_eq!(tests::operations::OPERATIONS.len() * 2, PINNED_CALLS);
    let report = tests::conformance::run(&client, spec, Some(&server)).await;
    assert!(
        report.failures.is_empty(),
        "{} failed:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
    assert_eq!(report.passed, PINNED_CALLS);
    assert!(report.expansions_checked >= report.expansions_sent, "{report:?}");
    assert!(report.expanded_fields > 150, "{report:?}");
}
