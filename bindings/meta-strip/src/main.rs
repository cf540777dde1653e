//! `meta-strip`: removes uniffi's metadata from a built library (see the crate docs).
//!
//! Usage:
//!   meta-strip <library> [-o <out>]   strip (in place unless -o), print what was removed
//!   meta-strip --check <library>      fail if any metadata bytes or item names remain
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("meta-strip: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    match args {
        [flag, lib] if flag == "--check" => {
            let data = std::fs::read(lib).map_err(|e| format!("{lib}: {e}"))?;
            let r = parasol_meta_strip::inspect(&data).map_err(|e| format!("{lib}: {e}"))?;
            println!(
                "{lib}: {} metadata symbols, {} non-zero metadata bytes, {} named",
                r.symbols, r.nonzero_bytes, r.named
            );
            Ok(if r.nonzero_bytes == 0 && r.named == 0 {
                ExitCode::SUCCESS
            } else {
                eprintln!("meta-strip: {lib} still carries uniffi metadata (run meta-strip on it)");
                ExitCode::FAILURE
            })
        }
        [lib] => strip(lib, lib),
        [lib, o, out] if o == "-o" => strip(lib, out),
        _ => Err("usage: meta-strip <library> [-o <out>] | meta-strip --check <library>".into()),
    }
}

fn strip(lib: &str, out: &str) -> Result<ExitCode, String> {
    let mut data = std::fs::read(lib).map_err(|e| format!("{lib}: {e}"))?;
    let r = parasol_meta_strip::strip(&mut data).map_err(|e| format!("{lib}: {e}"))?;
    if r.symbols == 0 {
        return Err(format!(
            "{lib}: no uniffi metadata found (already stripped, or not a uniffi library?)"
        ));
    }
    let after = parasol_meta_strip::inspect(&data).map_err(|e| format!("{lib}: {e}"))?;
    if after.nonzero_bytes != 0 {
        return Err(format!(
            "{lib}: {} metadata bytes left after stripping",
            after.nonzero_bytes
        ));
    }
    let tmp = format!("{out}.meta-strip.tmp");
    std::fs::write(&tmp, &data).map_err(|e| format!("{tmp}: {e}"))?;
    let mode = std::fs::metadata(lib)
        .map_err(|e| format!("{lib}: {e}"))?
        .permissions();
    std::fs::set_permissions(&tmp, mode).map_err(|e| format!("{tmp}: {e}"))?;
    std::fs::rename(&tmp, out).map_err(|e| format!("{out}: {e}"))?;
    println!(
        "{out}: zeroed {} metadata bytes in {} symbols ({} objects)",
        r.nonzero_bytes, r.symbols, r.objects
    );
    Ok(ExitCode::SUCCESS)
}
