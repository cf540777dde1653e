//! The SQLCipher runner (built with `--features sqlcipher`).
use parasol_peers::sql::{Engine, SqlRunner};

fn main() {
    parasol_peers::wire::serve(&mut SqlRunner::new(Engine::SqlCipher));
}
