//! Printing results and errors, as text for people or JSON for scripts.

use parasol_core::{Error, ErrorKind};
use serde::Serialize;

/// Where and how results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    /// JSON on stdout instead of text.
    pub json: bool,
}

impl Out {
    /// Prints `value` as JSON, or the text that `human` makes.
    pub fn value<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce() -> String,
    ) -> parasol_core::Result<()> {
        let text = if self.json {
            serde_json::to_string_pretty(value)?
        } else {
            human()
        };
        print_line(&text)
    }

    /// Prints a line of narration (text mode only; JSON mode stays machine-clean).
    pub fn say(&self, text: impl AsRef<str>) {
        if !self.json {
            let _ = print_line(text.as_ref());
        }
    }
}

/// Prints a line to stdout; a closed pipe (`parasol ... | head`) ends the
/// program quietly instead of panicking.
fn print_line(text: &str) -> parasol_core::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|_| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(e.into()),
    }
}

/// The stable name of an error class in JSON output.
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "invalid_input",
        ErrorKind::NotFound => "not_found",
        ErrorKind::WrongPassphrase => "wrong_passphrase",
        ErrorKind::Locked => "locked",
        ErrorKind::Storage => "storage",
        ErrorKind::Network => "network",
        ErrorKind::Crypto => "crypto",
        ErrorKind::Content => "content",
        ErrorKind::Platform => "platform",
        ErrorKind::Internal => "internal",
    }
}

/// Prints `error` (one line, or a JSON object on stderr) and exits non-zero.
pub fn fail(out: &Out, error: &Error) -> ! {
    let code = match error.kind() {
        ErrorKind::InvalidInput => 2,
        ErrorKind::NotFound => 3,
        ErrorKind::WrongPassphrase | ErrorKind::Locked => 4,
        _ => 1,
    };
    if out.json {
        let obj = serde_json::json!({
            "error": kind_name(error.kind()),
            "reason": error.to_string(),
        });
        eprintln!("{obj}");
    } else {
        eprintln!("parasol: {error}");
    }
    std::process::exit(code)
}
