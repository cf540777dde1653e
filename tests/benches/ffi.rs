//! The Rust side of the FFI-overhead benchmark: the same calls that
//! `tests/kotlin-bench/Bench.kt` makes through the generated Kotlin bindings,
//! made here on `parasol-ffi`'s Rust API directly (no lowering, lifting or
//! JNA). `scripts/bench.sh` runs both and reports Kotlin/Rust per-call ratios.
//!
//! * trivial: `core_version()` (a short string back);
//! * typical: `Parasol::search("police", "NL", none, 20)` (a list of hit
//!   records back) and `Parasol::helplines("NL", open now)`.
//!
//! Output lines `FFI|<call>|rust|<ns per call>`.

use parasol_ffi::{core_version, HelplineQuery, Parasol, ParasolConfig};
use std::hint::black_box;
use std::time::Instant;

/// Median per-call time in ns over `batches` batches of `n` calls.
fn per_call(batches: usize, n: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..n.min(2000) {
        f();
    }
    let mut v: Vec<f64> = (0..batches)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() * 1e9 / n as f64
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let scale = if quick { 100 } else { 1 };
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = Parasol::open(
        ParasolConfig {
            data_dir: tmp.path().to_string_lossy().into_owned(),
            timeout_seconds: 0,
            extra_ca_pem: None,
            allow_insecure_loopback: false,
            extra_trusted_pack_keys: vec![],
        },
        None,
    )
    .expect("open");
    let trivial = per_call(20, 200_000 / scale, || {
        black_box(core_version());
    });
    println!("FFI|trivial core_version()|rust|{trivial:.1}");
    let search = per_call(20, 400 / scale.min(40), || {
        let hits = p
            .search("police".into(), Some("NL".into()), None, 20)
            .expect("search");
        black_box(hits);
    });
    println!("FFI|typical search(\"police\", NL)|rust|{search:.1}");
    let query = HelplineQuery {
        category: None,
        language: None,
        open_now_only: true,
        at_unix_seconds: Some(1_774_747_800),
        need: None,
    };
    let helplines = per_call(20, 2000 / scale, || {
        black_box(p.helplines("NL".into(), query.clone()).expect("helplines"));
    });
    println!("FFI|typical helplines(NL, open now)|rust|{helplines:.1}");
}
