//! How much stack decoding needs: for each body (the nesting serde_json allows at most, in the
//! places each decoder recurses into, and every fixture inside an event), finds by bisection the
//! smallest thread stack that decodes it without overflowing, running each try in a child process
//! (an overflow aborts the process). Prints one line per body and the largest figure.
//!
//! `cargo run --release -p tests --bin stack`

use std::process::{Command, ExitCode};

use tests::deep::bodies;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, index, kib] = args.as_slice() {
        if mode == "child" {
            let (Ok(index), Ok(kib)) = (index.parse::<usize>(), kib.parse::<usize>()) else {
                return ExitCode::from(2);
            };
            let body = bodies().swap_remove(index).1;
            let thread = std::thread::Builder::new()
                .stack_size(kib * 1024)
                .spawn(move || drop(tests::deep::decode(&body)));
            return match thread.map(|handle| handle.join()) {
                Ok(Ok(())) => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            };
        }
    }
    let Ok(me) = std::env::current_exe() else { return ExitCode::FAILURE };
    let fits = |index: usize, kib: usize| {
        Command::new(&me)
            .args(["child", &index.to_string(), &kib.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    let mut largest = (0, String::new());
    for (index, (name, _)) in bodies().iter().enumerate() {
        let (mut low, mut high) = (8, 8192);
        if !fits(index, high) {
            println!("{name}: more than {high} KiB");
            return ExitCode::FAILURE;
        }
        while high - low > 4 {
            let mid = (low + high) / 2;
            if fits(index, mid) {
                high = mid
            } else {
                low = mid
            }
        }
        println!("{name}: {high} KiB");
        if high > largest.0 {
            largest = (high, name.clone());
        }
    }
    println!("largest: {} KiB ({})", largest.0, largest.1);
    ExitCode::SUCCESS
}
