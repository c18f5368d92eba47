//! Runs the Stripe mock server standalone:
//! `cargo run -p stripe-mock --bin mock -- [--host 127.0.0.1] [--port 12111] [--spec spec3.yaml --fixtures fixtures3.json]`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: mock [--host ADDR] [--port PORT] [--spec spec3.yaml --fixtures fixtures3.json]";

struct Args {
    host: IpAddr,
    port: u16,
    spec: Option<PathBuf>,
    fixtures: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args =
        Args { host: IpAddr::from([127, 0, 0, 1]), port: 12111, spec: None, fixtures: None };
    let mut iter = std::env::args().skip(1);
    while let Some(flag) = iter.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_owned());
        }
        let value = iter.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--host" => {
                args.host = value.parse().map_err(|err| format!("--host {value}: {err}"))?
            }
            "--port" | "-p" => {
                args.port = value.parse().map_err(|err| format!("--port {value}: {err}"))?
            }
            "--spec" => args.spec = Some(value.into()),
            "--fixtures" => args.fixtures = Some(value.into()),
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
    let (spec, fixtures) = match (args.spec, args.fixtures) {
        (Some(spec), Some(fixtures)) => (spec, fixtures),
        (None, None) => match stripe_mock::pinned_files() {
            Ok(files) => (files.spec, files.fixtures),
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::FAILURE;
            }
        },
        _ => {
            eprintln!("--spec and --fixtures go together\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let server =
        match stripe_mock::start(&spec, &fixtures, SocketAddr::new(args.host, args.port)).await {
            Ok(server) => server,
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::FAILURE;
            }
        };
    println!("{}", server.base_url());
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("cannot wait for Ctrl-C: {err}");
    }
    server.shutdown().await;
    ExitCode::SUCCESS
}
