//! Size buckets: how long a sealed journal value is, and how many rows the
//! journal's tables hold. Both hide exact sizes behind classes that grow
//! geometrically, so the cost is a bounded fraction of the data (see
//! `docs/journal-format.md` §2.1 for what each class hides).

/// Smallest padded size of a sealed journal value (length prefix included).
pub const MIN_PADDED: usize = 256;
/// Padded size of every attachment chunk (length prefix included).
pub const CHUNK_PADDED: usize = 64 * 1024;
/// Fewest rows `journal_records` ever holds once a journal exists.
pub const MIN_RECORD_ROWS: u64 = 64;
/// Fewest rows `journal_chunks` ever holds once a journal exists.
pub const MIN_CHUNK_ROWS: u64 = 4;

/// The padded size (4-byte length prefix included) of a journal value of
/// `len` bytes: at least 256, then eight classes per power of two, so that no
/// value is padded by more than 1/8 of its size.
pub fn value_padded_len(len: usize) -> usize {
    let need = len + 4;
    if need <= MIN_PADDED {
        return MIN_PADDED;
    }
    // The largest power of two strictly below `need`; classes step by 1/8 of it.
    let q = 1usize << (usize::BITS - 1 - (need - 1).leading_zeros());
    let step = q / 8;
    need.div_ceil(step) * step
}

/// The smallest row-count class that holds `rows` rows: `min`, then each
/// class a quarter larger than the one before (rounded up).
pub fn row_bucket(rows: u64, min: u64) -> u64 {
    let mut b = min.max(1);
    while b < rows {
        b += b.div_ceil(4);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_classes_are_eighths_of_an_octave() {
        assert_eq!(value_padded_len(0), 256);
        assert_eq!(value_padded_len(252), 256);
        assert_eq!(value_padded_len(253), 288);
        assert_eq!(value_padded_len(508), 512);
        assert_eq!(value_padded_len(509), 576);
        assert_eq!(value_padded_len(1000), 1024);
        assert_eq!(value_padded_len(1021), 1152);
        for len in 0..200_000 {
            let p = value_padded_len(len);
            assert!(p >= len + 4, "{len}");
            if len + 4 > 256 {
                assert!((p - (len + 4)) * 8 < len + 4, "overhead at {len}: {p}");
            }
            // Monotonic.
            assert!(value_padded_len(len + 1) >= p);
        }
    }

    #[test]
    fn row_classes_grow_by_a_quarter() {
        assert_eq!(row_bucket(0, 64), 64);
        assert_eq!(row_bucket(64, 64), 64);
        assert_eq!(row_bucket(65, 64), 80);
        assert_eq!(row_bucket(81, 64), 100);
        assert_eq!(row_bucket(0, 4), 4);
        assert_eq!(row_bucket(5, 4), 5);
        assert_eq!(row_bucket(6, 4), 7);
        let mut prev = 0;
        for n in [1u64, 100, 1_000, 10_000, 100_000] {
            let b = row_bucket(n, 64);
            assert!(b >= n && b >= prev);
            assert!(b * 4 <= n.max(64) * 5 + 4, "{n} -> {b}");
            prev = b;
        }
    }
}
