//! Runs the Stripe mock server standalone:
//! `cargo run -p stripe-sdk-mock --bin mock -- [--host 127.0.0.1] [--port 12111] [--examples]`.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use stripe_sdk_mock::{MockServer, Mode};

const USAGE: &str = "usage: mock [--host ADDR] [--port PORT] [--examples]\n  \
    --examples: every id exists and empty lists hold an example (as stripe-mock); \
    by default the server is stateful";

struct Args {
    host: IpAddr,
    port: u16,
    mode: Mode,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { host: IpAddr::from([127, 0, 0, 1]), port: 12111, mode: Mode::Stateful };
    let mut iter = std::env::args().skip(1);
    while let Some(flag) = iter.next() {
        match flag.as_str() {
            "-h" | "--help" => return Err(USAGE.to_owned()),
            "--examples" => args.mode = Mode::Examples,
            "--host" | "--port" | "-p" => {
                let value = iter.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
                if flag == "--host" {
                    args.host = value.parse().map_err(|err| format!("--host {value}: {err}"))?;
                } else {
                    args.port = value.parse().map_err(|err| format!("--port {value}: {err}"))?;
                }
            }
            _ => return Err(format!("unknown argument {flag}\n{USAGE}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let started = MockServer::builder()
        .addr(SocketAddr::new(args.host, args.port))
        .mode(args.mode)
        .start()
        .await;
    let server = match started {
        Ok(server) => server,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", server.url());
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("cannot wait for Ctrl-C: {err}");
    }
    server.shutdown().await;
    ExitCode::SUCCESS
}
