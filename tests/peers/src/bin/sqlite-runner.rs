//! The plain SQLite runner (built with `--features sqlite`).
use parasol_peers::sql::{Engine, SqlRunner};

fn main() {
    parasol_peers::wire::serve(&mut SqlRunner::new(Engine::Sqlite));
}
