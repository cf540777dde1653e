//! Content benchmarks: loading the bundled packs, search latency (p50/p99)
//! over every bundled booklet, and the helpline "open now" query, each next to
//! a baseline measured in the same run.
//!
//! Run: `cargo bench -p parasol-core --bench content`.

use chrono::{DateTime, Duration, Utc};
use parasol_core::content::library::{Library, Loaded, Origin};
use parasol_core::content::search::Filter;
use parasol_core::content::{bundled_packs, fold};
use parasol_core::helplines::{self, Query};
use std::hint::black_box;
use std::time::Instant;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn time_each(n: usize, mut f: impl FnMut(usize)) -> Vec<f64> {
    let mut out: Vec<f64> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    out.sort_by(f64::total_cmp);
    out
}

fn report(name: &str, sorted: &[f64], baseline_name: &str, baseline: &[f64]) {
    let (p50, p99) = (percentile(sorted, 0.5), percentile(sorted, 0.99));
    let (b50, b99) = (percentile(baseline, 0.5), percentile(baseline, 0.99));
    println!(
        "{name:<34} p50 {p50:>9.1} us  p99 {p99:>9.1} us   baseline p50 {b50:>8.1} us  p99 {b99:>8.1} us   ratio p50 {:>5.1}x  p99 {:>5.1}x",
        p50 / b50,
        p99 / b99
    );
    // One machine-readable line per figure, collected by scripts/bench.sh.
    println!(
        "FIGURE|{name}|p50 {p50:.1} us, p99 {p99:.1} us|{baseline_name}|p50 {b50:.1} us, p99 {b99:.1} us|p50 {:.1}x, p99 {:.1}x",
        p50 / b50,
        p99 / b99
    );
}

fn main() {
    // Loading: compile the embedded TOML sources, vs. parsing the same packs from JSON.
    let load = time_each(10, |_| {
        black_box(bundled_packs().unwrap());
    });
    let packs = bundled_packs().unwrap();
    let json: Vec<Vec<u8>> = packs
        .iter()
        .map(|p| serde_json::to_vec(p).unwrap())
        .collect();
    let bytes: usize = json.iter().map(Vec::len).sum();
    let from_json = time_each(10, |_| {
        for j in &json {
            black_box(
                serde_json::from_slice::<parasol_core::content::model::PackPayload>(j).unwrap(),
            );
        }
    });
    println!(
        "bundled packs: {} packs, {:.1} KiB as JSON",
        packs.len(),
        bytes as f64 / 1024.0
    );
    report(
        "load bundled (TOML -> packs)",
        &load,
        "parse the same packs from JSON",
        &from_json,
    );

    let library = Library::new(packs.into_iter().map(|pack| Loaded {
        pack,
        origin: Origin::Bundled,
    }));
    let t = Instant::now();
    let _ = library.search("warm", &Filter::default()).unwrap();
    println!(
        "first search (builds the index): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    // Queries: words taken from the booklets themselves, in every language.
    let mut queries = Vec::new();
    for c in library.countries(&[]) {
        for lang in &c.languages {
            let b = library
                .booklet(&c.code, std::slice::from_ref(lang))
                .unwrap();
            for s in b.sections.iter().take(3) {
                if let Some(w) = s.body.split_whitespace().find(|w| w.chars().count() >= 7) {
                    queries.push(w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned());
                }
            }
        }
    }
    queries.push("policja zatrzymanie".into());
    queries.push("trafficking reflection period".into());
    // Baseline: a plain case-sensitive substring scan of every section body,
    // without folding, ranking or snippets.
    let bodies: Vec<String> = library
        .countries(&[])
        .iter()
        .flat_map(|c| {
            c.languages
                .iter()
                .map(|l| library.booklet(&c.code, std::slice::from_ref(l)).unwrap())
                .collect::<Vec<_>>()
        })
        .flat_map(|b| b.sections.into_iter().map(|s| s.body))
        .collect();
    let n = 2_000;
    let filter = Filter::default();
    let search = time_each(n, |i| {
        black_box(
            library
                .search(&queries[i % queries.len()], &filter)
                .unwrap(),
        );
    });
    let folded_queries: Vec<String> = queries.iter().map(|q| fold::fold_text(q)).collect();
    let scan = time_each(n, |i| {
        let q = &folded_queries[i % queries.len()];
        black_box(bodies.iter().filter(|b| b.contains(q.as_str())).count());
    });
    println!(
        "search corpus: {} sections, {} queries",
        bodies.len(),
        queries.len()
    );
    report(
        "rights search, all packs",
        &search,
        "substring scan of every section",
        &scan,
    );
    let nl = Filter {
        country: Some("NL".into()),
        languages: vec!["nl".into()],
        limit: 20,
    };
    let search_nl = time_each(n, |i| {
        black_box(library.search(&queries[i % queries.len()], &nl).unwrap());
    });
    report(
        "rights search, one country+language",
        &search_nl,
        "substring scan of every section",
        &scan,
    );

    // Helplines: ordered "open now" list for a country, vs. cloning the records.
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-03-29T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let langs = vec!["ro".to_string(), "en".to_string()];
    let lines = library.helplines("NL").unwrap();
    let q = Query {
        open_only: true,
        ..Query::default()
    };
    let open_now = time_each(n, |i| {
        let at = start + Duration::minutes(i as i64 * 37);
        black_box(helplines::list(lines, &q, at, &langs));
    });
    let clone = time_each(n, |_| {
        black_box(lines.to_vec());
    });
    report(
        "helplines open-now (NL)",
        &open_now,
        "clone the NL helpline records",
        &clone,
    );
}
