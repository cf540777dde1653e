//! Packs the bundled content sources (`../content/**/*.toml`) into one
//! deflate-compressed archive embedded in the library.
//!
//! Compressing saves about 0.6 MB of the phone library, and keeps the
//! booklets' words (which say what the app is for) out of `strings` output:
//! the discretion check (`scripts/discretion.sh`) relies on it.
//!
//! Archive (before compression), repeated per file in path order:
//! `u32 path length || path (UTF-8, '/'-separated) || u32 text length || text`,
//! integers little-endian.

use std::path::{Path, PathBuf};

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("content directory")
        .map(|e| e.expect("content entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path
                .strip_prefix(root)
                .expect("under the content root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path).expect("content file")));
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let mut archive = Vec::new();
    for (path, text) in &files {
        archive.extend_from_slice(&(path.len() as u32).to_le_bytes());
        archive.extend_from_slice(path.as_bytes());
        archive.extend_from_slice(&(text.len() as u32).to_le_bytes());
        archive.extend_from_slice(text);
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&archive, 10);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("content.deflate");
    std::fs::write(&out, packed).expect("write the packed content");
    println!(
        "cargo:rustc-env=PARASOL_CONTENT_RAW_BYTES={}",
        archive.len()
    );
}
