//! The mock's own numbers, without the SDK: how long the embedded data takes to parse (once per
//! process), how long a server takes to start after that, and requests per second over keep-alive
//! loopback connections (create, retrieve and list customers in turn).
//!
//! `cargo run --release -p stripe-sdk-mock --bin server-bench [-- --seconds 5 --connections 8]`

use std::time::{Duration, Instant};

use stripe_sdk_mock::{Api, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut seconds = 5u64;
    let mut connections = 8usize;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seconds" => seconds = value.parse()?,
            "--connections" => connections = value.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }

    let started = Instant::now();
    let api = Api::embedded()?;
    let parse = started.elapsed();
    let started = Instant::now();
    let first = MockServer::try_start().await?;
    let first_start = started.elapsed();
    drop(first);
    let runs = 200u32;
    let started = Instant::now();
    for _ in 0..runs {
        drop(MockServer::try_start().await?);
    }
    let next_start = started.elapsed() / runs;
    println!(
        "start-up: embedded data parsed in {:.1} ms (once per process, {} routes); then a server \
         starts in {:.3} ms (first) / {:.3} ms (mean of the next {runs})",
        parse.as_secs_f64() * 1e3,
        api.routes.len(),
        first_start.as_secs_f64() * 1e3,
        next_start.as_secs_f64() * 1e3,
    );

    let mock = MockServer::try_start().await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let addr = mock.addr();
        tasks.push(tokio::spawn(async move { worker_loop(addr, worker, deadline).await }));
    }
    let mut requests = 0u64;
    for task in tasks {
        requests += task.await?.map_err(|err| err.to_string())?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "throughput: {requests} requests in {elapsed:.1} s over {connections} keep-alive \
         connections: {:.0} requests/s (create, retrieve, list of 10 customers in turn; client and \
         server in one process, {} cores)",
        requests as f64 / elapsed,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    );
    Ok(())
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn worker_loop(
    addr: std::net::SocketAddr,
    worker: usize,
    deadline: Instant,
) -> Result<u64, BoxError> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut requests = 0u64;
    while Instant::now() < deadline {
        let body = format!("email=bench{worker}-{requests}%40example.com&name=Bench");
        let created = call(&mut stream, "POST", "/v1/customers", &body).await?;
        let id = created
            .split("\"id\":\"cus_")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(|rest| format!("cus_{rest}"))
            .ok_or("no id in the created customer")?;
        call(&mut stream, "GET", &format!("/v1/customers/{id}"), "").await?;
        call(&mut stream, "GET", "/v1/customers?limit=10", "").await?;
        requests += 3;
    }
    Ok(requests)
}

/// One request on a keep-alive connection; returns the body of a 200 answer.
async fn call(
    stream: &mut TcpStream,
    method: &str,
    path: &str,
    body: &str,
) -> Result<String, BoxError> {
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer sk_test_bench\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(format!("{head}{body}").as_bytes()).await?;
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let (head_end, length) = loop {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err("the server closed the connection".into());
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            if !head.starts_with("http/1.1 200") {
                return Err(
                    format!("{method} {path}: {}", head.lines().next().unwrap_or("")).into()
                );
            }
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length: "))
                .and_then(|value| value.trim().parse::<usize>().ok())
                .ok_or("no content-length")?;
            break (end + 4, length);
        }
    };
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err("the server closed the connection".into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Ok(String::from_utf8_lossy(&buffer[head_end..head_end + length]).into_owned())
}
