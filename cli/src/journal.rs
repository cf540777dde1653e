//! `parasol journal ...`: the encrypted journal from the command line.
//!
//! Passphrases come only from `PARASOL_PASSPHRASE` (the current one) and
//! `PARASOL_NEW_PASSPHRASE` (a new, duress or backup one), or from stdin with
//! `--passphrase-stdin` (first line current, second line new). Never argv.
//! Journal text can stay off argv too (`--entry-json`, `--body-file`,
//! `--stdin`, `search --stdin`): argv is visible to other local users.

use crate::output::Out;
use chrono::{DateTime, SecondsFormat, Utc};
use clap::{Args, Subcommand};
use parasol_core::journal::{
    DuressActions, Entry, EntryDraft, EntryKind, EntrySummary, Incident, Journal, NewAttachment,
    PasswdOptions,
};
use parasol_core::profile::Profile;
use parasol_core::{Error, Result};
use std::io::{BufRead, Read};
use std::path::PathBuf;
use std::sync::Arc;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// What `--help` says about text on the command line.
const ARGV_WARNING: &str = "Text given as arguments (--title, --body, --tag, the incident fields, \
search words) is visible to other users of this computer while the command runs (ps, /proc). \
Give it with --entry-json FILE, --body-file FILE or --stdin instead.";

/// The journal's subcommands and their shared options.
#[derive(Debug, Args)]
#[command(after_help = ARGV_WARNING)]
pub struct JournalArgs {
    /// Read the passphrase from stdin (first line; a new passphrase on the second).
    #[arg(long, global = true)]
    passphrase_stdin: bool,
    #[command(subcommand)]
    command: JournalCommand,
}

#[derive(Debug, Subcommand)]
enum JournalCommand {
    /// Create the journal (passphrase from PARASOL_PASSPHRASE).
    Init {
        /// Wipe the profile after this many failed unlocks in a row (off by default).
        #[arg(long)]
        wipe_after: Option<u32>,
    },
    /// Add an entry.
    #[command(after_help = ARGV_WARNING)]
    Add(EntryArgs),
    /// List entries (oldest first): titles, kinds, dates (decrypts no bodies).
    List,
    /// Show an entry.
    Show {
        /// Entry id.
        id: String,
    },
    /// Write a new version of an entry (older versions are kept).
    #[command(after_help = ARGV_WARNING)]
    Update {
        /// Entry id.
        id: String,
        #[command(flatten)]
        entry: EntryArgs,
    },
    /// Delete an entry (its ciphertext is destroyed).
    Delete {
        /// Entry id.
        id: String,
    },
    /// Search entries (ignoring case and diacritics; in memory only).
    #[command(after_help = ARGV_WARNING)]
    Search {
        /// Text to look for (visible to other local users: prefer --stdin).
        #[arg(required_unless_present = "stdin")]
        query: Option<String>,
        /// Read the text to look for from stdin.
        #[arg(long, conflicts_with = "query")]
        stdin: bool,
    },
    /// Write an encrypted backup (under PARASOL_NEW_PASSPHRASE if set, else the journal's).
    Export {
        /// Backup file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the journal with a backup. PARASOL_PASSPHRASE: the backup's;
    /// PARASOL_NEW_PASSPHRASE: the journal's afterwards (default: the same).
    /// An existing journal must open with the latter.
    Import {
        /// Backup file.
        file: PathBuf,
    },
    /// Change the passphrase (PARASOL_PASSPHRASE -> PARASOL_NEW_PASSPHRASE).
    Passwd {
        /// Someone else knows (or may know) the old passphrase: re-encrypt
        /// everything under a new key (unless --no-reencrypt).
        #[arg(long)]
        known_to_someone: bool,
        /// Re-encrypt every entry and attachment under a new key, so that an
        /// old copy of the data and the old passphrase open nothing.
        #[arg(long, conflicts_with = "no_reencrypt")]
        reencrypt: bool,
        /// Only re-wrap the key (fast), even with --known-to-someone.
        #[arg(long)]
        no_reencrypt: bool,
    },
    /// Set or clear the duress passphrase.
    #[command(subcommand)]
    Duress(DuressCommand),
    /// Wipe the whole profile: journal, contacts, alerts, settings, keys.
    Wipe {
        /// Confirm.
        #[arg(long)]
        yes: bool,
    },
    /// Check the hash chain.
    Verify,
    /// Write an HTML evidence bundle of the chosen entries (plaintext!).
    Bundle {
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// Entry ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum DuressCommand {
    /// Set the duress passphrase (PARASOL_NEW_PASSPHRASE) and what it does.
    Set {
        /// Open a decoy journal.
        #[arg(long)]
        decoy: bool,
        /// Silently trigger the panic alert.
        #[arg(long)]
        alert: bool,
        /// Wipe the profile.
        #[arg(long)]
        wipe: bool,
    },
    /// Remove the duress passphrase and its decoy entries.
    Clear,
}

#[derive(Debug, Args)]
struct EntryArgs {
    /// Read the whole entry from a JSON file ("-" for stdin): {"kind", "title",
    /// "body", "tags", "incident": {the stored field names}}; arguments given
    /// as well override it.
    #[arg(long)]
    entry_json: Option<PathBuf>,
    /// note or incident.
    #[arg(long)]
    kind: Option<String>,
    /// Title (visible to other local users: prefer --entry-json).
    #[arg(long)]
    title: Option<String>,
    /// Text (visible to other local users: prefer --body-file or --stdin).
    #[arg(long, conflicts_with_all = ["body_file", "stdin"])]
    body: Option<String>,
    /// Read the text from a file ("-" for stdin).
    #[arg(long, conflicts_with = "stdin")]
    body_file: Option<PathBuf>,
    /// Read the text from stdin.
    #[arg(long)]
    stdin: bool,
    /// A tag (repeat for more).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Attach a file (repeat for more).
    #[arg(long = "attach")]
    attach: Vec<PathBuf>,
    /// Incident: when it happened.
    #[arg(long)]
    when: Option<String>,
    /// Incident: where.
    #[arg(long = "where")]
    location: Option<String>,
    /// Incident: who (description of the person).
    #[arg(long)]
    who: Option<String>,
    /// Incident: vehicle.
    #[arg(long)]
    vehicle: Option<String>,
    /// Incident: phone number or handle.
    #[arg(long)]
    contact: Option<String>,
    /// Incident: what happened.
    #[arg(long)]
    what: Option<String>,
    /// Incident: injuries.
    #[arg(long)]
    injuries: Option<String>,
    /// Incident: money or documents taken.
    #[arg(long)]
    taken: Option<String>,
    /// Incident: witnesses.
    #[arg(long)]
    witnesses: Option<String>,
    /// Incident: reported to the police (yes/no).
    #[arg(long)]
    reported: Option<String>,
    /// Incident: follow-up.
    #[arg(long)]
    follow_up: Option<String>,
}

type Secret = Zeroizing<Vec<u8>>;

/// Where passphrases come from.
struct Passphrases {
    stdin: Option<Vec<Secret>>,
}

impl Passphrases {
    fn new(from_stdin: bool) -> Result<Self> {
        if !from_stdin {
            return Ok(Passphrases { stdin: None });
        }
        let mut lines = Vec::new();
        for line in std::io::stdin().lock().split(b'\n').take(2) {
            let mut l = Zeroizing::new(line?);
            if l.last() == Some(&b'\r') {
                l.pop();
            }
            lines.push(l);
        }
        Ok(Passphrases { stdin: Some(lines) })
    }

    fn get(&self, index: usize, var: &str) -> Option<Secret> {
        match &self.stdin {
            Some(lines) => lines.get(index).cloned(),
            None => std::env::var_os(var).map(|v| Zeroizing::new(os_bytes(v))),
        }
    }

    fn current(&self) -> Result<Secret> {
        self.get(0, "PARASOL_PASSPHRASE").ok_or_else(|| {
            Error::invalid("no passphrase: set PARASOL_PASSPHRASE or use --passphrase-stdin")
        })
    }

    fn new_one(&self) -> Option<Secret> {
        self.get(1, "PARASOL_NEW_PASSPHRASE")
    }

    fn required_new(&self) -> Result<Secret> {
        self.new_one().ok_or_else(|| {
            Error::invalid(
                "no new passphrase: set PARASOL_NEW_PASSPHRASE or give it on the second line of stdin",
            )
        })
    }
}

#[cfg(unix)]
fn os_bytes(v: std::ffi::OsString) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    v.into_vec()
}

#[cfg(not(unix))]
fn os_bytes(v: std::ffi::OsString) -> Vec<u8> {
    v.to_string_lossy().into_owned().into_bytes()
}

/// RFC 3339 in UTC with a "Z", as the journal stores it.
fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// An entry as JSON: the stored field names (as in docs/journal-format.md).
fn entry_json(e: &Entry) -> serde_json::Value {
    serde_json::json!({
        "id": e.id,
        "version": e.version,
        "kind": e.kind.as_str(),
        "title": e.title,
        "body": e.body,
        "tags": e.tags,
        "incident": e.incident,
        "attachments": e.attachments.iter().map(|a| serde_json::json!({
            "id": a.id, "name": a.name, "mime": a.mime, "size": a.size, "sha256": a.sha256,
        })).collect::<Vec<_>>(),
        "created_at": ts(&e.created_at),
        "updated_at": ts(&e.updated_at),
        "record_hash": e.record_hash,
    })
}

fn summary_json(entries: &[EntrySummary]) -> serde_json::Value {
    entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id, "kind": e.kind.as_str(), "title": e.title,
                "created_at": ts(&e.created_at),
            })
        })
        .collect()
}

fn summary_text(entries: &[EntrySummary]) -> String {
    if entries.is_empty() {
        return "(no entries)".into();
    }
    entries
        .iter()
        .map(|e| {
            format!(
                "{}  {}  {:<8}  {}",
                e.id,
                e.created_at.format("%Y-%m-%d %H:%M"),
                e.kind.as_str(),
                e.title
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn entry_text(e: &Entry) -> String {
    let mut s = format!(
        "{}\n{} v{}  {}  written {}  this version {}\n",
        e.title,
        e.id,
        e.version,
        e.kind.as_str(),
        ts(&e.created_at),
        ts(&e.updated_at)
    );
    if !e.tags.is_empty() {
        s += &format!("tags: {}\n", e.tags.join(", "));
    }
    if let Some(i) = &e.incident {
        for (k, v) in i.fields() {
            if let Some(v) = v {
                s += &format!("{k}: {v}\n");
            }
        }
        if let Some(r) = i.reported_to_police {
            s += &format!("reported to police: {}\n", if r { "yes" } else { "no" });
        }
    }
    for a in &e.attachments {
        s += &format!(
            "attachment: {} ({}, {} bytes, sha256 {})\n",
            a.name, a.mime, a.size, a.sha256
        );
    }
    s += &format!("record hash: {}\n\n{}", e.record_hash, e.body);
    s
}

/// An entry given as JSON (`--entry-json`): the stored field names.
#[derive(Default, serde::Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(deny_unknown_fields)]
struct EntryJson {
    kind: Option<String>,
    title: Option<String>,
    body: Option<String>,
    tags: Option<Vec<String>>,
    incident: Option<Incident>,
}

/// Reads UTF-8 text from `path` ("-": stdin, unless it carries the passphrase).
fn read_text(path: &std::path::Path, stdin_taken: bool, what: &str) -> Result<Zeroizing<String>> {
    let mut s = Zeroizing::new(String::new());
    if path.as_os_str() == "-" {
        if stdin_taken {
            return Err(Error::invalid(format!(
                "stdin already carries the passphrase: give {what} in a file"
            )));
        }
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|_| Error::invalid(format!("{what} on stdin is not UTF-8 text")))?;
    } else {
        let bytes = Zeroizing::new(
            std::fs::read(path).map_err(|e| Error::invalid(format!("cannot read {what}: {e}")))?,
        );
        s.push_str(
            std::str::from_utf8(&bytes)
                .map_err(|_| Error::invalid(format!("{what} is not UTF-8 text")))?,
        );
    }
    Ok(s)
}

impl EntryArgs {
    /// Builds a draft, starting from `base` (update) or from nothing (add):
    /// `base`, then `--entry-json`, then the other arguments.
    fn draft(&self, base: Option<&Entry>, stdin_taken: bool) -> Result<EntryDraft> {
        let given: EntryJson = match &self.entry_json {
            Some(path) => {
                let text = read_text(path, stdin_taken, "--entry-json")?;
                serde_json::from_str(&text)
                    .map_err(|e| Error::invalid(format!("--entry-json is not an entry: {e}")))?
            }
            None => EntryJson::default(),
        };
        let kind = match (self.kind.as_ref().or(given.kind.as_ref()), base) {
            (Some(k), _) => EntryKind::parse(k)?,
            (None, Some(b)) => b.kind,
            (None, None) => EntryKind::Note,
        };
        let title = match (self.title.as_ref().or(given.title.as_ref()), base) {
            (Some(t), _) => t.clone(),
            (None, Some(b)) => b.title.clone(),
            (None, None) => {
                return Err(Error::invalid(
                    "--title (or a title in --entry-json) is required",
                ))
            }
        };
        let body = if let Some(b) = &self.body {
            b.clone()
        } else if let Some(path) = &self.body_file {
            read_text(path, stdin_taken, "--body-file")?.to_string()
        } else if self.stdin {
            read_text(std::path::Path::new("-"), stdin_taken, "the text")?.to_string()
        } else if let Some(b) = &given.body {
            b.clone()
        } else {
            base.map(|b| b.body.clone()).unwrap_or_default()
        };
        let mut incident = given
            .incident
            .clone()
            .or_else(|| base.and_then(|b| b.incident.clone()))
            .unwrap_or_default();
        let mut any = given.incident.is_some() || base.and_then(|b| b.incident.as_ref()).is_some();
        for (arg, field) in [
            (&self.when, &mut incident.when),
            (&self.location, &mut incident.location),
            (&self.who, &mut incident.person),
            (&self.vehicle, &mut incident.vehicle),
            (&self.contact, &mut incident.contact),
            (&self.what, &mut incident.what_happened),
            (&self.injuries, &mut incident.injuries),
            (&self.taken, &mut incident.taken),
            (&self.witnesses, &mut incident.witnesses),
            (&self.follow_up, &mut incident.follow_up),
        ] {
            if let Some(v) = arg {
                *field = Some(v.clone());
                any = true;
            }
        }
        if let Some(r) = &self.reported {
            incident.reported_to_police = Some(match r.as_str() {
                "yes" | "true" => true,
                "no" | "false" => false,
                _ => return Err(Error::invalid("--reported must be yes or no")),
            });
            any = true;
        }
        let tags = if !self.tags.is_empty() {
            self.tags.clone()
        } else if let Some(t) = &given.tags {
            t.clone()
        } else {
            base.map(|b| b.tags.clone()).unwrap_or_default()
        };
        let mut attachments = Vec::new();
        for path in &self.attach {
            let meta = std::fs::metadata(path).map_err(|e| {
                Error::invalid(format!("cannot read --attach {}: {e}", path.display()))
            })?;
            if meta.len() > parasol_core::journal::entry::MAX_ATTACHMENT_BYTES as u64 {
                return Err(Error::invalid(format!(
                    "{} is larger than the attachment limit",
                    path.display()
                )));
            }
            attachments.push(NewAttachment {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "attachment".into()),
                mime: guess_mime(path).into(),
                data: std::fs::read(path)?,
            });
        }
        Ok(EntryDraft {
            kind,
            title,
            body,
            incident: if any || kind == EntryKind::Incident {
                Some(incident)
            } else {
                None
            },
            tags,
            attachments,
        })
    }
}

fn guess_mime(path: &std::path::Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("heic") => "image/heic",
        Some("m4a") => "audio/mp4",
        Some("mp3") => "audio/mpeg",
        Some("ogg" | "opus") => "audio/ogg",
        Some("txt") => "text/plain",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn done(out: &Out, what: &str) -> Result<()> {
    out.value(&serde_json::json!({ "ok": true }), || what.to_string())
}

/// Runs a journal command on the profile.
pub fn run(
    profile: Arc<Profile>,
    alerts: Option<parasol_core::alerts::Alerts>,
    args: &JournalArgs,
    out: &Out,
) -> Result<()> {
    let journal = Journal::new(profile);
    if let Some(alerts) = alerts {
        parasol_core::alerts::duress::connect(&journal, Arc::new(alerts));
    }
    let pass = Passphrases::new(args.passphrase_stdin)?;
    let unlock = || -> Result<Secret> {
        let p = pass.current()?;
        journal.unlock(&p)?;
        if journal.lockout().map(|l| l.tampered).unwrap_or(false) {
            eprintln!(
                "warning: the failed-unlock record was missing, damaged or older than expected \
                 (changed outside the app); set the limit again to dismiss this"
            );
        }
        Ok(p)
    };
    match &args.command {
        JournalCommand::Init { wipe_after } => {
            let p = pass.current()?;
            journal.create(&p)?;
            if wipe_after.is_some() {
                journal.set_wipe_after_failures(&p, *wipe_after)?;
            }
            done(out, "journal created")
        }
        JournalCommand::Add(entry) => {
            unlock()?;
            let id = journal.add(entry.draft(None, args.passphrase_stdin)?)?;
            out.value(&serde_json::json!({ "id": id }), || id.clone())
        }
        JournalCommand::List => {
            unlock()?;
            let list = journal.list_titles()?;
            out.value(&summary_json(&list), || summary_text(&list))
        }
        JournalCommand::Show { id } => {
            unlock()?;
            let e = journal.get(id)?;
            out.value(&entry_json(&e), || entry_text(&e))
        }
        JournalCommand::Update { id, entry } => {
            unlock()?;
            let base = journal.get(id)?;
            let version = journal.update(id, entry.draft(Some(&base), args.passphrase_stdin)?)?;
            out.value(&serde_json::json!({ "id": id, "version": version }), || {
                format!("{id} is now at version {version}")
            })
        }
        JournalCommand::Delete { id } => {
            unlock()?;
            journal.delete(id)?;
            done(out, "deleted")
        }
        JournalCommand::Search { query, stdin: _ } => {
            let query = match query {
                Some(q) => Zeroizing::new(q.clone()),
                None => read_text(
                    std::path::Path::new("-"),
                    args.passphrase_stdin,
                    "the search text",
                )?,
            };
            unlock()?;
            let list = journal.search_titles(query.trim())?;
            out.value(&summary_json(&list), || summary_text(&list))
        }
        JournalCommand::Export { out: path } => {
            let p = unlock()?;
            let backup = pass.new_one();
            journal.export_backup(&p, backup.as_ref().map(|b| b.as_slice()), path)?;
            out.value(&serde_json::json!({ "ok": true, "file": path }), || {
                format!("backup written to {}", path.display())
            })
        }
        JournalCommand::Import { file } => {
            let backup = pass.current()?;
            let new = pass.new_one().unwrap_or_else(|| backup.clone());
            if journal.exists()? {
                // Replacing a journal needs it unlocked: its passphrase is the new one.
                journal.unlock(&new)?;
            }
            journal.import_backup(file, &backup, &new)?;
            done(out, "backup imported; the journal is locked")
        }
        JournalCommand::Passwd {
            known_to_someone,
            reencrypt,
            no_reencrypt,
        } => {
            let p = unlock()?;
            let options = PasswdOptions {
                old_passphrase_known_to_someone: *known_to_someone,
                reencrypt: match (reencrypt, no_reencrypt) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
            };
            journal.change_passphrase_with(&p, &pass.required_new()?, options)?;
            out.value(
                &serde_json::json!({ "ok": true, "reencrypted": options.reencrypts() }),
                || {
                    if options.reencrypts() {
                        "passphrase changed; everything re-encrypted under a new key".into()
                    } else {
                        "passphrase changed".into()
                    }
                },
            )
        }
        JournalCommand::Duress(DuressCommand::Set { decoy, alert, wipe }) => {
            let p = unlock()?;
            journal.set_duress(
                &p,
                &pass.required_new()?,
                DuressActions {
                    open_decoy: *decoy,
                    alert: *alert,
                    wipe: *wipe,
                },
            )?;
            done(out, "duress passphrase set")
        }
        JournalCommand::Duress(DuressCommand::Clear) => {
            let p = unlock()?;
            journal.clear_duress(&p)?;
            done(out, "duress passphrase removed")
        }
        JournalCommand::Wipe { yes } => {
            if !yes {
                return Err(Error::invalid(
                    "wipe destroys the whole profile: add --yes to confirm",
                ));
            }
            journal.wipe()?;
            done(out, "profile wiped")
        }
        JournalCommand::Verify => {
            unlock()?;
            let r = journal.verify()?;
            let json = serde_json::json!({
                "ok": r.ok,
                "records": r.records,
                "head_hash": r.head_hash,
                "first_broken": r.first_broken.as_ref().map(|b| serde_json::json!({
                    "position": b.position, "reason": b.reason,
                })),
            });
            out.value(&json, || match &r.first_broken {
                None => format!("chain intact: {} records, head {}", r.records, r.head_hash),
                Some(b) => format!("chain BROKEN at position {}: {}", b.position, b.reason),
            })?;
            if r.ok {
                Ok(())
            } else {
                Err(Error::Crypto("the journal's hash chain is broken".into()))
            }
        }
        JournalCommand::Bundle { out: path, ids } => {
            unlock()?;
            let html = journal.evidence_bundle(ids)?;
            parasol_core::keystore::write_atomically(path, html.as_bytes())?;
            out.value(&serde_json::json!({ "ok": true, "file": path }), || {
                format!(
                    "evidence bundle written to {} (readable: keep it safe)",
                    path.display()
                )
            })
        }
    }
}
