//! What the peers bench measures, in what order, how often, and the issue's
//! targets the figures are checked against.
//!
//! To add a workload: give it a name in `wire::workload`, a row in
//! [`plan`] (and in [`HOW`], saying what each engine does), then a match arm
//! in each runner's `run` (`sql.rs`; `core/examples/peers_runner.rs`). A
//! runner without the arm answers `na` and the report shows "not in this
//! build", so the engines need not gain it at the same time.

use crate::wire::workload;

/// Engine names, in the order their runners are started.
pub const ENGINES: [&str; 3] = ["parasol", "sqlcipher", "sqlite"];
/// The engines' names in the report.
pub const ENGINE_TITLES: [&str; 3] = ["Parasol", "SQLCipher", "SQLite"];

/// What a workload's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Nanoseconds per round.
    Time,
    /// Bytes (measured once).
    Bytes,
}

/// One row of the report.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The `run` name (`wire::workload`).
    pub id: &'static str,
    /// Its argument (alerts accumulated before).
    pub arg: u64,
    /// The row label.
    pub label: String,
    pub unit: Unit,
    /// Rounds run and discarded first (caches, an index built on first use).
    pub warmup: usize,
    /// Rounds kept.
    pub rounds: usize,
}

/// How big a run is.
#[derive(Debug, Clone)]
pub struct Plan {
    pub entries: usize,
    pub alert_sizes: Vec<u64>,
    /// Multiplies every round count (at least 3 rounds are kept).
    pub scale: f64,
}

/// The workloads in the order they run. Sizes come first, before any `add`
/// changes the journals, while all three hold exactly the data set.
pub fn plan(p: &Plan) -> Vec<Workload> {
    let n = p.entries;
    let w = |id, label: String, unit, warmup: usize, rounds: usize| Workload {
        id,
        arg: 0,
        label,
        unit,
        warmup,
        rounds: match unit {
            Unit::Bytes => rounds,
            Unit::Time => ((rounds as f64 * p.scale).round() as usize).max(3),
        },
    };
    let mut all = vec![
        w(
            workload::FILE_SIZE,
            format!("journal file, {n} entries (as benched: SQLCipher with its FTS5 index)"),
            Unit::Bytes,
            0,
            1,
        ),
        w(
            workload::FILE_SIZE_CONTENT,
            format!("journal file, {n} entries, no search index on disk"),
            Unit::Bytes,
            0,
            1,
        ),
        w(
            workload::UNLOCK,
            "unlock, each one's default key derivation (SQLite: open)".into(),
            Unit::Time,
            2,
            20,
        ),
        w(
            workload::LIST,
            format!("list + decrypt {n} entries"),
            Unit::Time,
            3,
            30,
        ),
        w(
            workload::LIST_TITLES,
            format!("list titles only, {n} entries"),
            Unit::Time,
            3,
            30,
        ),
        w(
            workload::SEARCH_SELECTIVE,
            format!("search {n} entries, selective word"),
            Unit::Time,
            5,
            100,
        ),
        w(
            workload::SEARCH_COMMON,
            format!("search {n} entries, common word"),
            Unit::Time,
            3,
            30,
        ),
        w(
            workload::ADD,
            format!("add one entry (journal of {n}; SQLCipher updates its FTS5 index)"),
            Unit::Time,
            10,
            300,
        ),
        w(
            workload::ADD_NO_INDEX,
            format!("add one entry (journal of {n}; SQLCipher without a search index)"),
            Unit::Time,
            10,
            300,
        ),
    ];
    for &size in &p.alert_sizes {
        let mut t = w(
            workload::ALERT_TRIGGER,
            format!("alert trigger -> durably queued, {size} alerts before"),
            Unit::Time,
            5,
            100,
        );
        t.arg = size;
        all.push(t);
    }
    all
}

/// What each engine does in a workload: (id, Parasol, SQLCipher, SQLite).
pub const HOW: &[(&str, &str, &str, &str)] = &[
    (
        workload::FILE_SIZE,
        "the profile database holding only the journal, closed (WAL folded in)",
        "entries table + contentless FTS5 index, closed",
        "entries table, closed",
    ),
    (
        workload::FILE_SIZE_CONTENT,
        "same file (Parasol keeps no index on disk)",
        "entries table only, closed",
        "entries table, closed",
    ),
    (
        workload::UNLOCK,
        "`Journal::lock` (untimed), then `Journal::unlock`: Argon2id defaults",
        "open a connection, `PRAGMA key` (PBKDF2 defaults), WAL, read a row",
        "open a connection, WAL, read a row",
    ),
    (
        workload::LIST,
        "`Journal::list`: every entry decrypted into `Entry`",
        "SELECT all columns ORDER BY created_at, tags and incident parsed from JSON",
        "same as SQLCipher",
    ),
    (
        workload::LIST_TITLES,
        "`Journal::list_titles` once it exists",
        "SELECT id, kind, title, dates ORDER BY created_at",
        "same as SQLCipher",
    ),
    (
        workload::SEARCH_SELECTIVE,
        "`Journal::search`, whole entries back",
        "FTS5 MATCH (unicode61, diacritics removed), whole entries back",
        "`LIKE '%word%'` over title, body, tags, incident, whole entries back",
    ),
    (
        workload::SEARCH_COMMON,
        "`Journal::search`",
        "FTS5 MATCH",
        "`LIKE`",
    ),
    (
        workload::ADD,
        "`Journal::add`: one durable transaction",
        "BEGIN IMMEDIATE; INSERT entry + FTS5 row; COMMIT",
        "BEGIN IMMEDIATE; INSERT entry; COMMIT",
    ),
    (
        workload::ADD_NO_INDEX,
        "`Journal::add` (the same operation, measured again)",
        "BEGIN IMMEDIATE; INSERT entry; COMMIT (the content-only database)",
        "same as `add`",
    ),
    (
        workload::ALERT_TRIGGER,
        "`Alerts::trigger`: 3 contacts x (SMS + webhook) = 6 sealed deliveries, one \
         transaction; then untimed \"I'm safe\" and outbox flush (a loopback receiver, \
         an SMS sender that reports sent), so history is closed, delivered alerts",
        "BEGIN IMMEDIATE; INSERT one 512-byte row; COMMIT",
        "the same bare durable insert",
    ),
];

/// Which figure of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    P50,
    P99,
}

/// One figure: engine, workload, argument, statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub engine: &'static str,
    pub id: &'static str,
    pub arg: u64,
    pub stat: Stat,
}

/// What a target compares a figure with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// At most `factor` times another figure.
    Ratio(Figure, f64),
    /// Under this many nanoseconds.
    Below(u64),
}

/// One of the targets.
#[derive(Debug, Clone)]
pub struct Target {
    pub what: String,
    pub figure: Figure,
    pub limit: Limit,
}

fn fig(engine: &'static str, id: &'static str, arg: u64, stat: Stat) -> Figure {
    Figure {
        engine,
        id,
        arg,
        stat,
    }
}

/// Issue 16's targets (ratios within this run).
pub fn targets(p: &Plan) -> Vec<Target> {
    use workload::*;
    let parasol = |id, stat| fig("parasol", id, 0, stat);
    let sqlcipher = |id, stat| fig("sqlcipher", id, 0, stat);
    let mut t = vec![
        Target {
            what: "journal list + decrypt <= 1.0x SQLCipher (p50)".into(),
            figure: parasol(LIST, Stat::P50),
            limit: Limit::Ratio(sqlcipher(LIST, Stat::P50), 1.0),
        },
        Target {
            what: "titles-only list <= 0.5x SQLCipher's full list (p50)".into(),
            figure: parasol(LIST_TITLES, Stat::P50),
            limit: Limit::Ratio(sqlcipher(LIST, Stat::P50), 0.5),
        },
        Target {
            what: "selective search p99 < 1 ms (after warm-up)".into(),
            figure: parasol(SEARCH_SELECTIVE, Stat::P99),
            limit: Limit::Below(1_000_000),
        },
        Target {
            what: "journal file <= 1.2x SQLCipher's for the same content (no index)".into(),
            figure: parasol(FILE_SIZE_CONTENT, Stat::P50),
            limit: Limit::Ratio(sqlcipher(FILE_SIZE_CONTENT, Stat::P50), 1.2),
        },
        Target {
            what: "add one entry <= 1.1x SQLCipher without a search index (p50)".into(),
            figure: parasol(ADD_NO_INDEX, Stat::P50),
            limit: Limit::Ratio(sqlcipher(ADD_NO_INDEX, Stat::P50), 1.1),
        },
    ];
    for &n in &p.alert_sizes {
        t.push(Target {
            what: format!("trigger p99 <= 2x a bare durable insert, {n} alerts before"),
            figure: fig("parasol", ALERT_TRIGGER, n, Stat::P99),
            limit: Limit::Ratio(fig("sqlite", ALERT_TRIGGER, n, Stat::P99), 2.0),
        });
    }
    if let (Some(&first), Some(&last)) = (p.alert_sizes.first(), p.alert_sizes.last()) {
        if last > first {
            for stat in [Stat::P50, Stat::P99] {
                t.push(Target {
                    what: format!(
                        "trigger flat over history: {last} alerts <= 1.2x {first} alerts ({})",
                        if stat == Stat::P50 { "p50" } else { "p99" }
                    ),
                    figure: fig("parasol", ALERT_TRIGGER, last, stat),
                    limit: Limit::Ratio(fig("parasol", ALERT_TRIGGER, first, stat), 1.2),
                });
            }
        }
    }
    t
}
