//! The peers driver: generates the data set, starts the Parasol, SQLCipher
//! and SQLite runners, runs every workload interleaved and writes the report.
//! Normally started by `bash scripts/bench.sh --peers`.

use clap::Parser;
use parasol_peers::driver::{self, WorkloadResult};
use parasol_peers::workloads::{self, Plan, ENGINES};
use parasol_peers::{dataset, machine, report, stats, wire};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
#[command(
    about = "Parasol against SQLCipher and plain SQLite, interleaved in one run",
    args_override_self = true
)]
struct Args {
    /// Parasol's runner (target/release/examples/peers_runner).
    #[arg(long)]
    parasol: PathBuf,
    /// The SQLCipher runner.
    #[arg(long)]
    sqlcipher: PathBuf,
    /// The plain SQLite runner.
    #[arg(long)]
    sqlite: PathBuf,
    /// The report (the samples go next to it, as .csv).
    #[arg(long, default_value = "target/bench/peers.md")]
    out: PathBuf,
    /// Journal entries.
    #[arg(long, default_value_t = 10_000)]
    entries: usize,
    /// Accumulated alerts at which the trigger is measured.
    #[arg(long, value_delimiter = ',', default_value = "10,1000,10000")]
    alerts: Vec<u64>,
    /// Multiplies every workload's rounds.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Data set seed.
    #[arg(long, default_value_t = 16)]
    seed: u64,
    /// Smoke run: 500 entries, alerts at 10 and 100, a tenth of the rounds.
    #[arg(long)]
    quick: bool,
    /// Only these workloads (names as in the report's last table).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Minutes a runner may spend accumulating alerts for one size of the
    /// series; a runner that cannot reach the size in time reports how far it got.
    #[arg(long, default_value_t = 10.0)]
    prepare_budget_min: f64,
    /// Idle milliseconds before each round: a user adds an entry or triggers
    /// an alert now and then, not hundreds a second, and on ext4 a commit that
    /// follows another within the same clock tick skips the inode update and
    /// its journal commit, which makes back-to-back durable writes bistable.
    #[arg(long, default_value_t = 10)]
    pause_ms: u64,
    /// Where the engines' files go (a temporary directory inside it).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// The command line to print in the report.
    #[arg(long, default_value = "bash scripts/bench.sh --peers")]
    command: String,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("peers: {e}");
        std::process::exit(1);
    }
}

fn date() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%MZ"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn run(mut args: Args) -> Result<(), String> {
    if args.quick {
        args.entries = args.entries.min(500);
        args.alerts = vec![10, 100];
        args.scale = args.scale.min(0.1);
    }
    let started = Instant::now();
    let load_start = machine::load();
    let base = args.dir.clone().unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    let tmp = tempfile::Builder::new()
        .prefix("parasol-peers-")
        .tempdir_in(&base)
        .map_err(|e| format!("{}: {e}", base.display()))?;
    let work = tmp.path().to_path_buf();
    let plan = Plan {
        entries: args.entries,
        alert_sizes: args.alerts.clone(),
        scale: args.scale,
    };
    let mut list = workloads::plan(&plan);
    if !args.only.is_empty() {
        list.retain(|w| args.only.iter().any(|o| o == w.id));
    }
    let add_rounds = list
        .iter()
        .filter(|w| [wire::workload::ADD, wire::workload::ADD_NO_INDEX].contains(&w.id))
        .map(|w| w.warmup + w.rounds)
        .sum::<usize>()
        .max(1);

    eprintln!("== data set: {} entries, seed {}", args.entries, args.seed);
    let data = dataset::generate(args.seed, args.entries, add_rounds);
    let data_file = work.join("dataset.json");
    data.save(&data_file)?;
    let expected = [
        (wire::workload::LIST, args.entries as u64),
        (wire::workload::LIST_TITLES, args.entries as u64),
        (
            wire::workload::SEARCH_SELECTIVE,
            hits(&data, &data.selective),
        ),
        (wire::workload::SEARCH_COMMON, hits(&data, &data.common)),
    ];

    let mut runners = driver::start(&[&args.parasol, &args.sqlcipher, &args.sqlite])?;
    let mut infos = Vec::new();
    for r in runners.iter_mut() {
        match r.call("info")? {
            driver::Reply::Ok(info) => infos.push(info),
            driver::Reply::Unsupported(why) => return Err(why),
        }
    }
    for r in runners.iter_mut() {
        let t = Instant::now();
        let dir = work.join(r.engine);
        r.call(&format!("setup {} {}", data_file.display(), dir.display()))?;
        eprintln!(
            "== {} loaded {} entries in {:.1} s",
            r.engine,
            args.entries,
            t.elapsed().as_secs_f64()
        );
    }

    let mut results: Vec<WorkloadResult> = Vec::new();
    for w in &list {
        eprintln!(
            "== {} ({} rounds + {} warm-up)",
            w.label, w.rounds, w.warmup
        );
        let t = Instant::now();
        let budget = std::time::Duration::from_secs_f64(args.prepare_budget_min * 60.0);
        let pause = std::time::Duration::from_millis(args.pause_ms);
        let r = driver::run_workload(&mut runners, w, budget, pause);
        let line: Vec<String> = ENGINES
            .iter()
            .zip(&r.engines)
            .map(|(e, r)| match r {
                driver::EngineResult::Samples { values, .. } if !values.is_empty() => {
                    let s = stats::Summary::of(values);
                    match w.unit {
                        workloads::Unit::Time => format!(
                            "{e} {} / {}",
                            stats::duration(s.p50),
                            stats::duration(s.p99)
                        ),
                        workloads::Unit::Bytes => format!("{e} {}", stats::bytes(s.p50)),
                    }
                }
                other => format!("{e} {other:?}"),
            })
            .collect();
        eprintln!(
            "   {} ({:.0} s)",
            line.join(", "),
            t.elapsed().as_secs_f64()
        );
        results.push(r);
    }
    for r in runners {
        r.quit();
    }

    let ctx = report::Context {
        command: args.command.clone(),
        commit: machine::commit(),
        date: date(),
        machine: machine::describe(&work),
        load_start,
        load_end: machine::load(),
        minutes: started.elapsed().as_secs_f64() / 60.0,
        infos,
        data_set: describe(&data, args.seed),
        expected: expected.to_vec(),
    };
    drop(tmp);
    let targets = workloads::targets(&plan);
    let md = report::markdown(&ctx, &results, &targets);
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(&args.out, &md).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let csv = args.out.with_extension("csv");
    std::fs::write(&csv, report::csv(&results)).map_err(|e| e.to_string())?;
    println!("{md}");
    println!(
        "Written: {} (samples: {})",
        args.out.display(),
        csv.display()
    );
    let failed = results
        .iter()
        .flat_map(|r| &r.engines)
        .any(|e| matches!(e, driver::EngineResult::Failed(_)));
    if failed {
        return Err("some workloads failed (see the report)".into());
    }
    Ok(())
}

fn hits(data: &wire::DataSet, word: &str) -> u64 {
    data.entries.iter().filter(|e| e.contains(word)).count() as u64
}

fn describe(data: &wire::DataSet, seed: u64) -> String {
    let n = data.entries.len().max(1);
    let text: usize = data
        .entries
        .iter()
        .map(|e| e.title.len() + e.body.len())
        .sum();
    let incidents = data.entries.iter().filter(|e| e.incident.is_some()).count();
    let mut langs: Vec<&str> = data.entries.iter().map(|e| e.lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    format!(
        "{} entries generated from seed {seed} (ChaCha8) in {} ({}), title + body {} bytes \
         on average, {}% incident reports with structured fields, 0–3 tags; selective word \
         \"{}\" in {} entries, common word \"{}\" in {} ({}%).",
        data.entries.len(),
        langs.len(),
        langs.join(", "),
        text / n,
        100 * incidents / n,
        data.selective,
        hits(data, &data.selective),
        data.common,
        hits(data, &data.common),
        100 * hits(data, &data.common) as usize / n,
    )
}
