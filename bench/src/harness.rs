//! A small benchmark harness: warm-up, calibration to ~20 ms samples, 30 samples, mean and median;
//! and the same for several functions side by side (`bench_side_by_side`), whose ratios are taken
//! round by round, so that what drifts on a shared machine drifts for every column alike.

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
    let iters = warm_up(&mut f, SAMPLE_TIME);
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

/// Samples of several functions taken in rounds: each round times one ~10 ms sample of every
/// function, in an order that turns each round.
pub struct SideBySide {
    /// Per function, nanoseconds per iteration of each round's sample.
    samples: Vec<Vec<f64>>,
}

impl SideBySide {
    /// The median of function `index`'s samples.
    pub fn median_ns(&self, index: usize) -> f64 {
        median(self.samples[index].clone())
    }

    /// The median over rounds of `a`'s time over `b`'s in the same round.
    pub fn ratio(&self, a: usize, b: usize) -> f64 {
        median(self.samples[a].iter().zip(&self.samples[b]).map(|(a, b)| a / b).collect())
    }
}

const ROUNDS: usize = 40;
const ROUND_SAMPLE_TIME: Duration = Duration::from_millis(10);

/// Times each of `fs` (one unit of work each) side by side, in `ROUNDS` rounds.
pub fn bench_side_by_side(fs: &mut [&mut dyn FnMut() -> bool]) -> SideBySide {
    let iters: Vec<u64> = fs.iter_mut().map(|f| warm_up(f, ROUND_SAMPLE_TIME)).collect();
    let mut samples = vec![Vec::with_capacity(ROUNDS); fs.len()];
    for round in 0..ROUNDS {
        for turn in 0..fs.len() {
            let index = (round + turn) % fs.len();
            let f = &mut fs[index];
            let t = Instant::now();
            for _ in 0..iters[index] {
                black_box(f());
            }
            samples[index].push(t.elapsed().as_secs_f64() * 1e9 / iters[index] as f64);
        }
    }
    SideBySide { samples }
}

/// Runs `f` for the warm-up time, and returns how many iterations make a sample of
/// `sample_time` (at least one).
fn warm_up<R>(mut f: impl FnMut() -> R, sample_time: Duration) -> u64 {
    let start = Instant::now();
    let mut warm_iters = 0u64;
    while start.elapsed() < WARMUP {
        black_box(f());
        warm_iters += 1;
    }
    let per_iter = start.elapsed().as_secs_f64() / warm_iters as f64;
    ((sample_time.as_secs_f64() / per_iter) as u64).max(1)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

pub fn mb_per_s(bytes: usize, ns: f64) -> f64 {
    bytes as f64 / ns * 1e9 / 1e6
}
