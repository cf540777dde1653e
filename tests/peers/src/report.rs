//! The report: target/bench/peers.md (figures, ratios, targets, what each
//! engine does, the machine) and the raw samples as CSV.

use crate::driver::{EngineResult, WorkloadResult};
use crate::stats::{self, Summary};
use crate::workloads::{Figure, Limit, Stat, Target, Unit, ENGINES, ENGINE_TITLES, HOW};
use std::fmt::Write;

/// Everything around the figures.
pub struct Context {
    pub command: String,
    pub commit: String,
    pub date: String,
    pub machine: String,
    pub load_start: String,
    pub load_end: String,
    pub minutes: f64,
    /// One line per engine, [`ENGINES`] order.
    pub infos: Vec<String>,
    pub data_set: String,
    /// Results each search should return: (workload id, entries holding the word).
    pub expected: Vec<(&'static str, u64)>,
}

fn summary(r: &EngineResult) -> Option<Summary> {
    match r {
        EngineResult::Samples { values, .. } if !values.is_empty() => Some(Summary::of(values)),
        _ => None,
    }
}

/// The value of a figure in these results.
pub fn figure(results: &[WorkloadResult], f: &Figure) -> Option<u64> {
    let i = ENGINES.iter().position(|e| *e == f.engine)?;
    let w = results
        .iter()
        .find(|w| w.workload.id == f.id && w.workload.arg == f.arg)?;
    let s = summary(&w.engines[i])?;
    Some(match f.stat {
        Stat::P50 => s.p50,
        Stat::P99 => s.p99,
    })
}

fn cell(unit: Unit, r: &EngineResult) -> String {
    match (r, summary(r)) {
        (_, Some(s)) => match unit {
            Unit::Time => format!("{} / {}", stats::duration(s.p50), stats::duration(s.p99)),
            Unit::Bytes => stats::bytes(s.p50),
        },
        (EngineResult::Unsupported(why), _) => format!("n/a: {why}"),
        (EngineResult::Failed(e), _) => {
            format!("FAILED: {}", e.chars().take(100).collect::<String>())
        }
        _ => "no samples".into(),
    }
}

fn ratio_cell(unit: Unit, a: &EngineResult, b: &EngineResult) -> String {
    match (summary(a), summary(b)) {
        (Some(a), Some(b)) => match unit {
            Unit::Time => format!(
                "{} / {}",
                stats::ratio(a.p50, b.p50),
                stats::ratio(a.p99, b.p99)
            ),
            Unit::Bytes => stats::ratio(a.p50, b.p50),
        },
        _ => "–".into(),
    }
}

fn format_value(f: &Figure, results: &[WorkloadResult], v: u64) -> String {
    let bytes = results
        .iter()
        .any(|w| w.workload.id == f.id && w.workload.unit == Unit::Bytes);
    if bytes {
        stats::bytes(v)
    } else {
        stats::duration(v)
    }
}

/// Evaluates one target: (measured, limit, verdict).
pub fn check(results: &[WorkloadResult], t: &Target) -> (String, String, String) {
    let Some(v) = figure(results, &t.figure) else {
        return ("–".into(), "–".into(), "not measured".into());
    };
    let measured = format_value(&t.figure, results, v);
    match t.limit {
        Limit::Below(ns) => (
            measured,
            format!("< {}", stats::duration(ns)),
            if v < ns { "met" } else { "NOT met" }.into(),
        ),
        Limit::Ratio(other, factor) => match figure(results, &other) {
            Some(o) if o > 0 => {
                let r = v as f64 / o as f64;
                (
                    format!(
                        "{measured} = {} x {}",
                        stats::ratio(v, o),
                        format_value(&other, results, o)
                    ),
                    format!("<= {factor}x"),
                    if r <= factor { "met" } else { "NOT met" }.into(),
                )
            }
            _ => (
                measured,
                format!("<= {factor}x"),
                "baseline not measured".into(),
            ),
        },
    }
}

/// The Markdown report.
pub fn markdown(ctx: &Context, results: &[WorkloadResult], targets: &[Target]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Peers: Parasol, SQLCipher and plain SQLite, interleaved\n"
    );
    let _ = writeln!(
        s,
        "Command: `{}`, {}, commit {}, {:.1} min.  ",
        ctx.command, ctx.date, ctx.commit, ctx.minutes
    );
    let _ = writeln!(s, "Machine: {}.  ", ctx.machine);
    let _ = writeln!(
        s,
        "Load average (1/5/15 min) at start {}, at end {} (a shared machine: others' builds add noise to every engine alike, since rounds interleave).\n",
        ctx.load_start, ctx.load_end
    );
    for (title, info) in ENGINE_TITLES.iter().zip(&ctx.infos) {
        let _ = writeln!(s, "- **{title}**: {info}");
    }
    let _ = writeln!(s, "\nData set: {}\n", ctx.data_set);
    let _ = writeln!(
        s,
        "Durability: every engine commits in WAL mode with `synchronous=FULL` (an fsync per \
         commit), one transaction per write. Rounds interleave (round r starts with engine \
         r mod 3); warm-up rounds are discarded. Times are p50 / p99 of the kept rounds, \
         measured inside each runner around the operation only. Ratios are Parasol ÷ peer \
         (below 1: Parasol faster or smaller).\n"
    );
    let _ = writeln!(
        s,
        "| workload | rounds | Parasol p50 / p99 | SQLCipher p50 / p99 | SQLite p50 / p99 | Parasol ÷ SQLCipher | Parasol ÷ SQLite |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for w in results {
        let u = w.workload.unit;
        let rounds = match u {
            Unit::Time => format!("{} (+{})", w.workload.rounds, w.workload.warmup),
            Unit::Bytes => "1".into(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            w.workload.label,
            rounds,
            cell(u, &w.engines[0]),
            cell(u, &w.engines[1]),
            cell(u, &w.engines[2]),
            ratio_cell(u, &w.engines[0], &w.engines[1]),
            ratio_cell(u, &w.engines[0], &w.engines[2]),
        );
    }
    let _ = writeln!(s, "\n## Issue 16's targets in this run\n");
    let _ = writeln!(s, "| target | measured | limit | verdict |");
    let _ = writeln!(s, "|---|---|---|---|");
    for t in targets {
        let (m, l, v) = check(results, t);
        let _ = writeln!(s, "| {} | {m} | {l} | {v} |", t.what);
    }
    let _ = writeln!(
        s,
        "\n## Results returned (each engine must find the same)\n"
    );
    let _ = writeln!(s, "| workload | expected | Parasol | SQLCipher | SQLite |");
    let _ = writeln!(s, "|---|---|---|---|---|");
    for w in results
        .iter()
        .filter(|w| w.workload.unit == Unit::Time && w.workload.arg == 0)
    {
        let expected = ctx
            .expected
            .iter()
            .find(|(id, _)| *id == w.workload.id)
            .map_or("–".to_string(), |(_, n)| n.to_string());
        let counts: Vec<String> = w
            .engines
            .iter()
            .map(|r| match r {
                EngineResult::Samples { counts, .. } if !counts.is_empty() => {
                    let (lo, hi) = (counts.iter().min(), counts.iter().max());
                    match (lo, hi) {
                        (Some(lo), Some(hi)) if lo == hi => lo.to_string(),
                        (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
                        _ => "–".into(),
                    }
                }
                _ => "–".into(),
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {expected} | {} |",
            w.workload.label,
            counts.join(" | ")
        );
    }
    let _ = writeln!(s, "\n## What each engine does\n");
    let _ = writeln!(s, "| workload | Parasol | SQLCipher | SQLite |");
    let _ = writeln!(s, "|---|---|---|---|");
    for (id, p, c, l) in HOW {
        let _ = writeln!(s, "| `{id}` | {p} | {c} | {l} |");
    }
    s
}

/// Every kept sample: `engine,workload,arg,index,value,count`.
pub fn csv(results: &[WorkloadResult]) -> String {
    let mut s = String::from("engine,workload,arg,index,value,count\n");
    for w in results {
        for (engine, r) in ENGINES.iter().zip(&w.engines) {
            if let EngineResult::Samples { values, counts } = r {
                for (i, (v, c)) in values.iter().zip(counts).enumerate() {
                    let _ = writeln!(
                        s,
                        "{engine},{},{},{i},{v},{c}",
                        w.workload.id, w.workload.arg
                    );
                }
            }
        }
    }
    s
}
