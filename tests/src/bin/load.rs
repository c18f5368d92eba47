//! A bounded load benchmark against a faulty local server (127.0.0.1 only): `--calls` logical
//! calls (`POST /v1/customers`, each carrying its number in `metadata[call]`), `--concurrency` in
//! flight, with `--fault-rate` of the attempts answered by a fault: 500, 409, 429 `lock_timeout`,
//! 503 with `Stripe-Should-Retry: true`, a connection closed after the request was processed, or
//! an answer later than the client's timeout. The server keeps Stripe's idempotency rule (a key
//! seen before gets the first result again), so a call executes once however often it is tried.
//!
//! Reports calls/s (and the ratio to a fault-free run in the same command), attempts per call,
//! and the logical calls that were lost (never returned, or returned without the server having
//! executed them) or duplicated (executed under two keys, a key shared by two calls, or an answer
//! for another call): both must be 0, or the command exits 1. Bounded by the call count and by
//! `--max-seconds` (calls not returned by then count as lost).
//!
//! `cargo run --release -p tests --bin load -- [--calls 5000] [--concurrency 256]
//! [--fault-rate 0.35] [--max-seconds 120] [--seed N]`

use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use stripe_sdk::{Client, Error, Method};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The client's per-attempt timeout; a slow answer comes after it.
const TIMEOUT: Duration = Duration::from_millis(300);
const SLOW: Duration = Duration::from_millis(450);
const MAX_RETRIES: u32 = 2;

#[derive(Clone, Copy)]
struct Settings {
    calls: usize,
    concurrency: usize,
    fault_rate: f64,
    max_seconds: f64,
    seed: u64,
}

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        calls: 5000,
        concurrency: 256,
        fault_rate: 0.35,
        max_seconds: 120.0,
        seed: fastrand::u64(..),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        let bad = || format!("bad value {value:?} for {arg}");
        match arg.as_str() {
            "--calls" => settings.calls = value.parse().map_err(|_| bad())?,
            "--concurrency" => settings.concurrency = value.parse().map_err(|_| bad())?,
            "--fault-rate" => settings.fault_rate = value.parse().map_err(|_| bad())?,
            "--max-seconds" => settings.max_seconds = value.parse().map_err(|_| bad())?,
            "--seed" => settings.seed = value.parse().map_err(|_| bad())?,
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    if !(0.0..1.0).contains(&settings.fault_rate) || settings.concurrency == 0 {
        return Err("the fault rate must be in [0, 1) and the concurrency above 0".to_owned());
    }
    Ok(settings)
}

// ---------------------------------------------------------------------------------------------
// The faulty server
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    Status500,
    Status409,
    LockTimeout,
    ShouldRetry503,
    /// Executes the call, then closes the connection without answering.
    CloseAfterExecuting,
    /// Executes the call, answers after the client gave up.
    Slow,
}

const FAULTS: [Fault; 6] = [
    Fault::Status500,
    Fault::Status409,
    Fault::LockTimeout,
    Fault::ShouldRetry503,
    Fault::CloseAfterExecuting,
    Fault::Slow,
];

/// What the server saw.
#[derive(Default)]
struct Ledger {
    /// Attempts per call number.
    attempts: HashMap<u64, u32>,
    /// Idempotency keys per call number.
    keys: HashMap<u64, Vec<String>>,
    /// Call number and stored answer per idempotency key (Stripe's idempotency): set when the
    /// call is executed.
    executed: HashMap<String, (u64, String)>,
    /// Executions per call number.
    executions: HashMap<u64, u32>,
    faults: BTreeMap<String, u64>,
    attempts_without_call: u64,
}

struct Server {
    base: String,
    ledger: Arc<Mutex<Ledger>>,
}

async fn start_server(fault_rate: f64, seed: u64) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let shared = Arc::clone(&ledger);
    tokio::spawn(async move {
        let mut connection = 0u64;
        while let Ok((stream, _)) = listener.accept().await {
            connection += 1;
            let rng = fastrand::Rng::with_seed(seed.wrapping_add(connection));
            tokio::spawn(serve(stream, Arc::clone(&shared), fault_rate, rng));
        }
    });
    Ok(Server { base, ledger })
}

/// Serves the requests of one keep-alive connection.
async fn serve(
    mut stream: TcpStream,
    ledger: Arc<Mutex<Ledger>>,
    fault_rate: f64,
    mut rng: fastrand::Rng,
) {
    let mut buffer = Vec::new();
    while let Some((headers, body)) = read_request(&mut stream, &mut buffer).await {
        let fault = (rng.f64() < fault_rate).then(|| FAULTS[rng.usize(..FAULTS.len())]);
        let key = header(&headers, "idempotency-key").unwrap_or_default();
        let call = call_number(&body);
        let answer = record(&ledger, call, &key, fault);
        let reply = match (fault, answer) {
            (_, None) => response(400, "", r#"{"error":{"type":"invalid_request_error"}}"#),
            (Some(Fault::Status500), _) => response(500, "", r#"{"error":{"type":"api_error"}}"#),
            (Some(Fault::Status409), _) => response(409, "", r#"{"error":{"type":"api_error"}}"#),
            (Some(Fault::LockTimeout), _) => response(
                429,
                "",
                r#"{"error":{"type":"invalid_request_error","code":"lock_timeout"}}"#,
            ),
            (Some(Fault::ShouldRetry503), _) => {
                response(503, "stripe-should-retry: true\r\n", "Service Unavailable")
            }
            (Some(Fault::CloseAfterExecuting), _) => return,
            (Some(Fault::Slow), Some(body)) => {
                tokio::time::sleep(SLOW).await;
                response(200, "", &body)
            }
            (None, Some(body)) => response(200, "", &body),
        };
        if stream.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Records one attempt; executes the call (once per key) unless the fault comes before
/// execution. The stored answer, or `None` for a request without a call number or key.
fn record(
    ledger: &Mutex<Ledger>,
    call: Option<u64>,
    key: &str,
    fault: Option<Fault>,
) -> Option<String> {
    let mut ledger = ledger.lock().ok()?;
    let name = fault.map_or("none".to_owned(), |fault| format!("{fault:?}"));
    *ledger.faults.entry(name).or_default() += 1;
    let Some(call) = call.filter(|_| !key.is_empty()) else {
        ledger.attempts_without_call += 1;
        return None;
    };
    *ledger.attempts.entry(call).or_default() += 1;
    let keys = ledger.keys.entry(call).or_default();
    if !keys.iter().any(|known| known == key) {
        keys.push(key.to_owned());
    }
    let executes = matches!(fault, None | Some(Fault::CloseAfterExecuting | Fault::Slow));
    if let Some((_, answer)) = ledger.executed.get(key) {
        return Some(answer.clone());
    }
    let answer = json!({"id": format!("cus_{call}"), "object": "customer", "metadata": {"call": call.to_string()}})
        .to_string();
    if executes {
        ledger.executed.insert(key.to_owned(), (call, answer.clone()));
        *ledger.executions.entry(call).or_default() += 1;
    }
    Some(answer)
}

fn response(status: u16, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nrequest-id: req_load\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
}

/// `metadata[call]` of a form body.
fn call_number(body: &[u8]) -> Option<u64> {
    form_urlencoded::parse(body)
        .find(|(key, _)| key == "metadata[call]")
        .and_then(|(_, value)| value.parse().ok())
}

/// Reads one request from a keep-alive connection; `None` at its end.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> Option<(Vec<(String, String)>, Vec<u8>)> {
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let read = stream.read(&mut chunk).await.ok().filter(|read| *read > 0)?;
        buffer.extend_from_slice(&chunk[..read]);
        if buffer.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize =
        header(&headers, "content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    buffer.drain(..head_end + 4);
    while buffer.len() < length {
        let read = stream.read(&mut chunk).await.ok().filter(|read| *read > 0)?;
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = buffer.drain(..length).collect();
    Some((headers, body))
}

// ---------------------------------------------------------------------------------------------
// The load
// ---------------------------------------------------------------------------------------------

/// What one run came to.
struct Run {
    elapsed: Duration,
    returned: usize,
    ok: usize,
    /// The calls that returned success.
    ok_calls: Vec<u64>,
    errors: BTreeMap<String, usize>,
    wrong_answers: usize,
}

async fn load(settings: Settings, base: &str) -> Result<Run, Error> {
    let client = Client::builder("sk_test_load")
        .api_base(base)
        .timeout(TIMEOUT)
        .max_retries(MAX_RETRIES)
        .retry_base_delay(Duration::from_millis(5))
        .build()?;
    let started = Instant::now();
    let deadline = Duration::from_secs_f64(settings.max_seconds);
    let semaphore = Arc::new(tokio::sync::Semaphore::new(settings.concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for call in 0..settings.calls {
        let Ok(permit) = Arc::clone(&semaphore).acquire_owned().await else { break };
        let client = client.clone();
        tasks.spawn(async move {
            let params = json!({"metadata": {"call": call.to_string()}});
            let result = client.raw(Method::Post, "/v1/customers", &params).await;
            drop(permit);
            (call, result)
        });
    }
    let mut run = Run {
        elapsed: Duration::ZERO,
        returned: 0,
        ok: 0,
        ok_calls: Vec::new(),
        errors: BTreeMap::new(),
        wrong_answers: 0,
    };
    while let Ok(Some(joined)) =
        tokio::time::timeout(deadline.saturating_sub(started.elapsed()), tasks.join_next()).await
    {
        let Ok((call, result)) = joined else { continue };
        run.returned += 1;
        match result {
            Ok(value) => {
                run.ok += 1;
                run.ok_calls.push(call as u64);
                if value["metadata"]["call"] != Value::String(call.to_string()) {
                    run.wrong_answers += 1;
                }
            }
            Err(err) => *run.errors.entry(error_kind(&err)).or_default() += 1,
        }
    }
    run.elapsed = started.elapsed();
    tasks.abort_all();
    Ok(run)
}

fn error_kind(err: &Error) -> String {
    match err {
        Error::Api(api) => format!("API {}", api.status),
        Error::InvalidResponse { status, .. } => format!("invalid response {status}"),
        Error::Connection { .. } => "connection".to_owned(),
        Error::Timeout { .. } => "timeout".to_owned(),
        other => format!("{other}"),
    }
}

/// The figures of one run, and whether none was lost or duplicated.
fn report(label: &str, settings: Settings, run: &Run, ledger: &Ledger) -> bool {
    let calls = settings.calls;
    let not_returned = calls - run.returned;
    let executed_calls = ledger.executions.len();
    // A call that returned success must have been executed by the server.
    let ok_not_executed =
        run.ok_calls.iter().filter(|call| !ledger.executions.contains_key(call)).count();
    let several_keys = ledger.keys.values().filter(|keys| keys.len() > 1).count();
    let executed_twice = ledger.executions.values().filter(|count| **count > 1).count();
    let mut key_owner: HashMap<&str, u64> = HashMap::new();
    let mut shared_keys = 0;
    for (call, keys) in &ledger.keys {
        for key in keys {
            if key_owner.insert(key, *call).is_some_and(|owner| owner != *call) {
                shared_keys += 1;
            }
        }
    }
    let attempts: Vec<u32> =
        (0..calls as u64).map(|call| ledger.attempts.get(&call).copied().unwrap_or(0)).collect();
    let total_attempts: u64 = attempts.iter().map(|n| u64::from(*n)).sum();
    let max_attempts = attempts.iter().copied().max().unwrap_or(0);
    let mut histogram = BTreeMap::new();
    for n in &attempts {
        *histogram.entry(*n).or_insert(0usize) += 1;
    }
    let lost = not_returned + ok_not_executed;
    let duplicated = several_keys + executed_twice + shared_keys + run.wrong_answers;
    let seconds = run.elapsed.as_secs_f64();
    println!(
        "{label}: {calls} calls, {} in flight, fault rate {:.0}%",
        settings.concurrency,
        settings.fault_rate * 100.0
    );
    println!("  {:.1} s, {:.0} calls/s", seconds, run.returned as f64 / seconds.max(1e-9));
    println!(
        "  attempts per call: mean {:.3}, max {max_attempts} (limit {}); distribution {histogram:?}",
        total_attempts as f64 / calls.max(1) as f64,
        MAX_RETRIES + 1
    );
    println!("  returned {}: {} ok, errors {:?}", run.returned, run.ok, run.errors);
    let failed_executed = executed_calls.saturating_sub(run.ok);
    println!(
        "  server: faults injected {:?}; executed {executed_calls} calls, {failed_executed} of them reported as failed (the last attempt's answer was lost: retry with the same key)",
        ledger.faults
    );
    println!(
        "  lost {lost} (not returned {not_returned}, ok without execution {ok_not_executed}); duplicated {duplicated} (several keys {several_keys}, executed twice {executed_twice}, shared keys {shared_keys}, wrong answers {})",
        run.wrong_answers
    );
    lost == 0
        && duplicated == 0
        && max_attempts <= MAX_RETRIES + 1
        && ledger.attempts_without_call == 0
}

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match parse_args() {
        Ok(settings) => settings,
        Err(problem) => {
            eprintln!("load: {problem}");
            return ExitCode::from(2);
        }
    };
    println!("load: seed {}", settings.seed);
    let mut all_good = true;
    let mut rates = Vec::new();
    for (label, fault_rate) in [("baseline (no faults)", 0.0), ("faulty", settings.fault_rate)] {
        let settings = Settings { fault_rate, ..settings };
        let server = match start_server(fault_rate, settings.seed).await {
            Ok(server) => server,
            Err(err) => {
                eprintln!("load: cannot start the server: {err}");
                return ExitCode::FAILURE;
            }
        };
        let run = match load(settings, &server.base).await {
            Ok(run) => run,
            Err(err) => {
                eprintln!("load: {err}");
                return ExitCode::FAILURE;
            }
        };
        let Ok(ledger) = server.ledger.lock() else { return ExitCode::FAILURE };
        all_good &= report(label, settings, &run, &ledger);
        rates.push(run.returned as f64 / run.elapsed.as_secs_f64().max(1e-9));
    }
    if let [baseline, faulty] = rates.as_slice() {
        println!("faulty / baseline calls/s: {:.2}x", faulty / baseline);
    }
    if all_good {
        println!("load: no call lost or duplicated");
        ExitCode::SUCCESS
    } else {
        println!("load: FAILED: calls lost or duplicated, or too many attempts");
        ExitCode::FAILURE
    }
}
