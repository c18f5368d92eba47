//! A small benchmark harness: warm-up, calibration to ~20 ms samples, 30 samples, mean and median.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct Stat {
    /// Mean nanoseconds per iteration over all samples.
    pub mean_ns: f64,
    /// Median of the per-sample nanoseconds per iteration.
    pub median_ns: f64,
}

const SAMPLES: usize = 30;
const SAMPLE_TIME: Duration = Duration::from_millis(20);
const WARMUP: Duration = Duration::from_millis(300);

/// Times `f`, which must do one unit of work and return something to keep alive.
pub fn bench<R>(mut f: impl FnMut() -> R) -> Stat {
    // Warm-up, which also gives a first estimate of the per-iteration time.
    let start = Instant::now();
    let mut warm_iters = 0u64;
    while start.elapsed() < WARMUP {
        black_box(f());
        warm_iters += 1;
    }
    let per_iter = start.elapsed().as_secs_f64() / warm_iters as f64;
    let iters = ((SAMPLE_TIME.as_secs_f64() / per_iter) as u64).max(1);
    let mut per_sample = Vec::with_capacity(SAMPLES);
    let mut total = Duration::ZERO;
    for _ in 0..SAMPLES {
        let t = Instant::now();
        for _ in 0..iters {
            black_box(f());
        }
        let elapsed = t.elapsed();
        total += elapsed;
        per_sample.push(elapsed.as_secs_f64() * 1e9 / iters as f64);
    }
    per_sample.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Stat {
        mean_ns: total.as_secs_f64() * 1e9 / (iters as f64 * SAMPLES as f64),
        median_ns: per_sample[SAMPLES / 2],
    }
}

pub fn mb_per_s(bytes: usize, ns: f64) -> f64 {
    bytes as f64 / ns * 1e9 / 1e6
}
