//! Bounded fuzzing for CI, on stable Rust: each target of `tests::fuzz` gets random inputs from a
//! seeded PRNG until its share of the time budget (or of the iteration cap) is used up. A failed
//! property or a panic prints the target, the seed, the iteration and the input, and exits 1.
//!
//! `cargo run -p tests --bin fuzz -- [--seconds 24] [--seed N] [--max-iterations N] [TARGET...]`
//! (targets: form, decode, webhook, notification, json_params; all by default). Longer runs: the cargo-fuzz targets in `fuzz/`.

use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::time::{Duration, Instant};

type Target = fn(&[u8]) -> Result<(), String>;

/// Each target with its share of the time: the decoder, the slowest per input, gets half.
const TARGETS: &[(&str, Target, u32)] = &[
    ("form", tests::fuzz::form::check, 1),
    ("decode", tests::fuzz::decode::check, 2),
    ("webhook", tests::fuzz::webhook::check, 1),
    ("notification", tests::fuzz::notification::check, 1),
    ("json_params", tests::fuzz::json_params::check, 1),
];

struct Options {
    seconds: f64,
    seed: u64,
    max_iterations: u64,
    targets: Vec<(&'static str, Target, u32)>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        seconds: 24.0,
        seed: fastrand::u64(..),
        max_iterations: u64::MAX,
        targets: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => options.seconds = parse(&value("--seconds")?)?,
            "--seed" => options.seed = parse(&value("--seed")?)?,
            "--max-iterations" => options.max_iterations = parse(&value("--max-iterations")?)?,
            name => match TARGETS.iter().find(|(target, _, _)| *target == name) {
                Some(target) => options.targets.push(*target),
                None => return Err(format!("unknown argument or target {name:?}")),
            },
        }
    }
    if options.targets.is_empty() {
        options.targets = TARGETS.to_vec();
    }
    Ok(options)
}

fn parse<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("not a number: {text:?}"))
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("fuzz: {problem}");
            return ExitCode::from(2);
        }
    };
    // Load the fixtures before the clock starts.
    let fixtures = tests::fuzz::decode::fixtures().len();
    println!(
        "fuzz: seed {} ({fixtures} fixtures); rerun with --seed {}",
        options.seed, options.seed
    );
    let shares: u32 = options.targets.iter().map(|(_, _, share)| share).sum();
    let mut total = 0;
    for (index, (name, target, share)) in options.targets.iter().enumerate() {
        let seed = options.seed.wrapping_add(index as u64);
        let budget =
            Duration::from_secs_f64(options.seconds * f64::from(*share) / f64::from(shares));
        match run(*target, seed, budget, options.max_iterations) {
            Ok((iterations, elapsed)) => {
                total += iterations;
                println!(
                    "fuzz {name}: {iterations} inputs in {:.1} s ({:.0}/s), no failure",
                    elapsed.as_secs_f64(),
                    iterations as f64 / elapsed.as_secs_f64().max(1e-9)
                );
            }
            Err((iteration, input, problem)) => {
                eprintln!("fuzz {name}: FAILED at input {iteration} (seed {seed}): {problem}");
                eprintln!("input (hex): {}", hex(&input));
                return ExitCode::FAILURE;
            }
        }
    }
    println!("fuzz: {total} inputs in all, no failure");
    ExitCode::SUCCESS
}

/// Runs `target` until `budget` or `max_iterations`; the failing input on failure.
fn run(
    target: Target,
    seed: u64,
    budget: Duration,
    max_iterations: u64,
) -> Result<(u64, Duration), (u64, Vec<u8>, String)> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let started = Instant::now();
    let mut iterations = 0;
    while iterations < max_iterations && started.elapsed() < budget {
        let len = if rng.u8(..) < 16 { rng.usize(..4096) } else { rng.usize(..256) };
        let input: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| target(&input)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => return Err((iterations, input, problem)),
            Err(_) => return Err((iterations, input, "panicked (message above)".to_owned())),
        }
        iterations += 1;
    }
    Ok((iterations, started.elapsed()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
