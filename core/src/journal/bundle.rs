//! The evidence bundle: chosen entries as a self-contained HTML page for a
//! lawyer or an NGO, with timestamps, each version's record hash and chain
//! link, the whole chain (hashes only), and the verification result. It is
//! plaintext by design: the user decides where it goes.

use super::chain::{ChainReport, Link};
use super::entry::Entry;
use chrono::{DateTime, SecondsFormat, Utc};
use std::fmt::Write;
use zeroize::Zeroizing;

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Renders the bundle.
pub fn render(
    vault_id: &[u8; 16],
    entries: &[Entry],
    positions: &[u64],
    links: &[Link],
    report: &ChainReport,
    now: DateTime<Utc>,
) -> Zeroizing<String> {
    let mut h = Zeroizing::new(String::new());
    let e = escape;
    // Writing to a String cannot fail.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Journal evidence bundle</title>\
         <style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}\
         code{{word-break:break-all}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #999;padding:.2em .4em;text-align:left}}</style></head><body>\n\
         <h1>Journal evidence bundle</h1>\n\
         <p>Generated {} by Parasol {}. Journal id <code>{}</code>.</p>\n",
        ts(&now),
        crate::VERSION,
        hex::encode(vault_id)
    );
    let _ = write!(
        h,
        "<h2>Integrity</h2>\n<p>Chain verification: <strong>{}</strong>. Records in chain: {}. \
         Newest record hash (chain head): <code>{}</code>.</p>\n",
        if report.ok { "intact" } else { "BROKEN" },
        report.records,
        e(&report.head_hash)
    );
    if let Some(b) = &report.first_broken {
        let _ = writeln!(
            h,
            "<p>First broken link: position {}: {}</p>",
            b.position,
            e(&b.reason)
        );
    }
    h.push_str(
        "<p>How to check: each journal record is stored encrypted; its hash is the SHA-256 of the \
         encrypted bytes. Every record contains, inside its encryption, its position and the hash \
         of the record before it (the first one links to a starting value derived from the journal \
         id, see docs/journal-format.md). A removed, changed or reordered record breaks the link \
         after it; a deletion by the user is itself a record listing what it removed. The table at \
         the end lists every position of the chain; the entries below name theirs.</p>\n",
    );
    for (entry, n) in entries.iter().zip(positions) {
        let position = n.to_string();
        let _ = write!(
            h,
            "<hr>\n<h2>{}</h2>\n<table>\
             <tr><th>Entry id</th><td><code>{}</code></td></tr>\
             <tr><th>Kind</th><td>{}</td></tr>\
             <tr><th>Written</th><td>{}</td></tr>\
             <tr><th>This version</th><td>{} (written {})</td></tr>\
             <tr><th>Record hash</th><td><code>{}</code> (chain position {})</td></tr>\
             <tr><th>Previous record hash</th><td><code>{}</code></td></tr>",
            e(&entry.title),
            e(&entry.id),
            entry.kind.as_str(),
            ts(&entry.created_at),
            entry.version,
            ts(&entry.updated_at),
            e(&entry.record_hash),
            position,
            e(&entry.prev_hash)
        );
        if !entry.tags.is_empty() {
            let tags: Vec<String> = entry.tags.iter().map(|t| e(t)).collect();
            let _ = write!(h, "<tr><th>Tags</th><td>{}</td></tr>", tags.join(", "));
        }
        if let Some(i) = &entry.incident {
            for (label, value) in i.fields() {
                if let Some(v) = value {
                    let _ = write!(
                        h,
                        "<tr><th>{}</th><td>{}</td></tr>",
                        e(label),
                        e(v).replace('\n', "<br>")
                    );
                }
            }
            if let Some(r) = i.reported_to_police {
                let _ = write!(
                    h,
                    "<tr><th>reported to police</th><td>{}</td></tr>",
                    if r { "yes" } else { "no" }
                );
            }
        }
        for a in &entry.attachments {
            let _ = write!(
                h,
                "<tr><th>Attachment</th><td>{} ({}, {} bytes), SHA-256 <code>{}</code></td></tr>",
                e(&a.name),
                e(&a.mime),
                a.size,
                e(&a.sha256)
            );
        }
        let _ = write!(
            h,
            "</table>\n<pre style=\"white-space:pre-wrap\">{}</pre>\n",
            e(&entry.body)
        );
    }
    h.push_str("<hr>\n<h2>The chain</h2>\n<table><tr><th>Position</th><th>Record hash (SHA-256 of the encrypted record)</th><th>Content</th></tr>\n");
    for l in links {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            l.n,
            hex::encode(l.hash),
            if l.present {
                "present"
            } else {
                "deleted by the user (recorded in the chain)"
            }
        );
    }
    h.push_str("</table>\n</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_html() {
        assert_eq!(
            super::escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
