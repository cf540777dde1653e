//! Percentiles and the units of the report.

/// Nearest-rank percentile of sorted samples (`p` in 0..=1); 0 when empty.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// p50 and p99 of samples, in their unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub n: usize,
    pub p50: u64,
    pub p99: u64,
}

impl Summary {
    /// Summarises `samples` (any order).
    pub fn of(samples: &[u64]) -> Summary {
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        Summary {
            n: sorted.len(),
            p50: percentile(&sorted, 0.5),
            p99: percentile(&sorted, 0.99),
        }
    }
}

/// Nanoseconds as "123 µs", "4.56 ms", "1.23 s".
pub fn duration(ns: u64) -> String {
    let ns = ns as f64;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.0} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// Bytes as "41.39 MB" (10^6 bytes).
pub fn bytes(b: u64) -> String {
    format!("{:.2} MB", b as f64 / 1e6)
}

/// A ratio as "1.23x" ("–" when undefined).
pub fn ratio(a: u64, b: u64) -> String {
    if b == 0 {
        "–".into()
    } else {
        let r = a as f64 / b as f64;
        if r >= 100.0 {
            format!("{r:.0}x")
        } else if r >= 10.0 {
            format!("{r:.1}x")
        } else {
            format!("{r:.2}x")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 0.5), 50);
        assert_eq!(percentile(&v, 0.99), 99);
        assert_eq!(percentile(&[3, 9], 0.99), 9);
        assert_eq!(percentile(&[7], 0.5), 7);
        assert_eq!(percentile(&[], 0.5), 0);
        let s = Summary::of(&[5, 1, 4, 2, 3]);
        assert_eq!((s.n, s.p50, s.p99), (5, 3, 5));
    }

    #[test]
    fn units() {
        assert_eq!(duration(999), "999 ns");
        assert_eq!(duration(123_400), "123 µs");
        assert_eq!(duration(4_560_000), "4.56 ms");
        assert_eq!(duration(1_230_000_000), "1.23 s");
        assert_eq!(bytes(41_390_000), "41.39 MB");
        assert_eq!(ratio(3, 2), "1.50x");
        assert_eq!(ratio(250, 2), "125x");
        assert_eq!(ratio(1, 0), "–");
    }
}
