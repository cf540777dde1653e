//! Decrypting many records on several cores: the items are split into one
//! contiguous run per thread (scoped threads, no pool), each thread keeps its
//! own scratch buffer, and the results come back in input order.

use zeroize::Zeroizing;

/// Below this many items, one thread does it all (spawning costs more).
const MIN_PER_THREAD: usize = 256;

/// How many threads to use for `threads` (0: every available core).
pub fn thread_count(threads: usize) -> usize {
    if threads > 0 {
        return threads;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Maps `f` over `items` on up to `threads` threads, in order. `f` gets a
/// per-thread scratch buffer (wiped when the thread is done).
pub fn map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T, &mut Zeroizing<Vec<u8>>) -> R + Sync,
{
    let threads = thread_count(threads)
        .min(items.len().div_ceil(MIN_PER_THREAD))
        .max(1);
    if threads == 1 {
        let mut buf = Zeroizing::new(Vec::new());
        return items.iter().map(|item| f(item, &mut buf)).collect();
    }
    let per = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|part| {
                let f = &f;
                scope.spawn(move || {
                    let mut buf = Zeroizing::new(Vec::new());
                    part.iter()
                        .map(|item| f(item, &mut buf))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// Like [`map`], but takes the items by value (each thread owns its run).
pub fn map_vec<T, R, F>(items: Vec<T>, threads: usize, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let threads = thread_count(threads)
        .min(items.len().div_ceil(MIN_PER_THREAD))
        .max(1);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut parts: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items;
    while rest.len() > per {
        let tail = rest.split_off(per);
        parts.push(rest);
        rest = tail;
    }
    parts.push(rest);
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                let f = &f;
                scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        let mut out = Vec::new();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_on_any_thread_count() {
        let items: Vec<u32> = (0..5000).collect();
        for threads in [1, 2, 3, 8, 0] {
            let out = super::map(&items, threads, |x, buf| {
                buf.push(1);
                x * 2
            });
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
        assert!(super::map(&[] as &[u32], 4, |x, _| *x).is_empty());
        for threads in [1, 2, 3, 0] {
            let out = super::map_vec(items.clone(), threads, |x| x + 1);
            assert_eq!(out, items.iter().map(|x| x + 1).collect::<Vec<_>>());
        }
    }
}
