//! The peers benchmark (`bash scripts/bench.sh --peers`): Parasol against
//! SQLCipher and plain SQLite on the same workloads and the same generated
//! data, interleaved round by round in one run. See README.md.
//!
//! - [`wire`]: the protocol and data set shared with every runner;
//! - [`dataset`] and [`phrases`]: the deterministic multilingual data set;
//! - [`workloads`]: what is measured, and the targets;
//! - [`driver`]: runs the runners' rounds interleaved; [`report`]: the table;
//! - `sql`: the SQLCipher / plain SQLite runner (one per feature).

pub mod dataset;
pub mod driver;
pub mod machine;
pub mod phrases;
pub mod report;
pub mod stats;
pub mod wire;
pub mod workloads;

#[cfg(any(feature = "sqlcipher", feature = "sqlite"))]
pub mod sql;
