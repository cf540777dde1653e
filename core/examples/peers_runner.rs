//! Parasol's runner for the peers bench (`bash scripts/bench.sh --peers`):
//! answers the driver of tests/peers with the core's public API only.
//!
//! Build: `cargo build --release -p parasol-core --example peers_runner`.
//! The protocol, the data set and the workload names are in
//! tests/peers/src/wire.rs. Each workload is one small method below; a new
//! one is a match arm in [`ParasolRunner::run`] (a name this runner does not
//! know answers "not in this build").

#[path = "../../tests/peers/src/wire.rs"]
mod wire;

use parasol_core::alerts::receiver::Receiver;
use parasol_core::alerts::{
    Alerts, ContactInput, SmsOutcome, SmsRequest, SmsSender, TriggerRequest,
};
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, EntryKind, Incident, Journal, JournalOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::{Profile, DB_FILE};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wire::{db_bytes, timed, workload, DataEntry, DataSet, Outcome, Prepared, Runner};

/// Flush the outbox after this many accumulated alerts.
const FLUSH_EVERY: u64 = 50;

/// The phone's SMS system, reporting every message as sent.
struct SentSms;

impl SmsSender for SentSms {
    fn send(&self, _request: &SmsRequest) -> parasol_core::error::Result<SmsOutcome> {
        Ok(SmsOutcome::Sent)
    }
}

/// The alert side: its own profile, three contacts, a loopback webhook receiver.
struct AlertSide {
    alerts: Alerts,
    _receiver: Receiver,
    request: TriggerRequest,
    count: u64,
    /// Why accumulating stopped (over budget): later sizes are not tried.
    stopped: Option<String>,
}

#[derive(Default)]
struct ParasolRunner {
    data: Option<DataSet>,
    dir: PathBuf,
    journal: Option<Journal>,
    alerts: Option<AlertSide>,
    next_extra: usize,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn profile(dir: &Path, loopback: bool) -> Result<Arc<Profile>, String> {
    std::fs::create_dir_all(dir).map_err(err)?;
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).map_err(err)?;
    let mut config = Config::new(dir.join("profile"));
    config.http.allow_insecure_loopback = loopback;
    Ok(Arc::new(
        Profile::open(config, Arc::new(keys)).map_err(err)?,
    ))
}

fn draft(e: &DataEntry) -> EntryDraft {
    let mut d = EntryDraft::note(e.title.clone(), e.body.clone());
    d.tags = e.tags.clone();
    if let Some(i) = &e.incident {
        d.kind = EntryKind::Incident;
        d.incident = Some(Incident {
            when: i.when.clone(),
            location: i.location.clone(),
            person: i.person.clone(),
            vehicle: i.vehicle.clone(),
            contact: i.contact.clone(),
            what_happened: i.what_happened.clone(),
            injuries: i.injuries.clone(),
            taken: i.taken.clone(),
            witnesses: i.witnesses.clone(),
            reported_to_police: i.reported_to_police,
            follow_up: i.follow_up.clone(),
        });
    }
    d
}

impl ParasolRunner {
    fn data(&self) -> Result<&DataSet, String> {
        self.data.as_ref().ok_or_else(|| "no setup yet".into())
    }

    fn journal(&self) -> Result<&Journal, String> {
        self.journal.as_ref().ok_or_else(|| "no setup yet".into())
    }

    fn journal_dir(&self) -> PathBuf {
        self.dir.join("journal")
    }

    /// Opens the journal's profile and unlocks the journal (creating it once).
    fn open_journal(&mut self, create: bool) -> Result<(), String> {
        let journal = Journal::with_options(
            profile(&self.journal_dir(), false)?,
            JournalOptions::default(),
        );
        let pass = self.data()?.passphrase.as_bytes();
        if create {
            journal.create(pass).map_err(err)?;
        } else {
            journal.unlock(pass).map_err(err)?;
        }
        // The driver's rounds never leave it idle this long; never auto-lock mid-run.
        journal.set_idle_timeout(24 * 3600).map_err(err)?;
        self.journal = Some(journal);
        Ok(())
    }

    fn unlock(&self) -> Result<Outcome, String> {
        let journal = self.journal()?;
        let pass = self.data()?.passphrase.as_bytes();
        journal.lock();
        timed(|| journal.unlock(pass).map(|()| 1)).map_err(err)
    }

    fn add(&mut self) -> Result<Outcome, String> {
        let data = self.data()?;
        let d = draft(&data.extra[self.next_extra % data.extra.len()]);
        self.next_extra += 1;
        let journal = self.journal()?;
        timed(|| journal.add(d).map(|_| 1)).map_err(err)
    }

    fn list(&self) -> Result<Outcome, String> {
        let journal = self.journal()?;
        timed(|| journal.list().map(|all| all.len())).map_err(err)
    }

    fn list_titles(&self) -> Result<Outcome, String> {
        let journal = self.journal()?;
        timed(|| journal.list_titles().map(|all| all.len())).map_err(err)
    }

    fn search(&self, word: &str) -> Result<Outcome, String> {
        let journal = self.journal()?;
        timed(|| journal.search(word).map(|hits| hits.len())).map_err(err)
    }

    /// Closes the profile (SQLite folds the WAL in), measures it, reopens.
    fn file_size(&mut self) -> Result<Outcome, String> {
        self.journal = None;
        let bytes = db_bytes(&self.journal_dir().join("profile").join(DB_FILE))?;
        self.open_journal(false)?;
        Ok(Outcome::Done {
            value: bytes,
            count: self.journal()?.list().map_err(err)?.len() as u64,
        })
    }

    fn alert_side(&mut self) -> Result<&mut AlertSide, String> {
        if self.alerts.is_none() {
            let receiver = Receiver::start().map_err(err)?;
            let alerts = Alerts::open(profile(&self.dir.join("alerts"), true)?).map_err(err)?;
            alerts.set_sms_sender(Some(Arc::new(SentSms)));
            for i in 0..3 {
                alerts
                    .add_contact(&ContactInput {
                        name: format!("Contact {i}"),
                        phone: Some(format!("+3161234567{i}")),
                        webhook_url: Some(receiver.url(&format!("/c{i}"))),
                        ..ContactInput::default()
                    })
                    .map_err(err)?;
            }
            let request = TriggerRequest {
                note: Some(self.data()?.alert_note.clone()),
                ..TriggerRequest::button()
            };
            self.alerts = Some(AlertSide {
                alerts,
                _receiver: receiver,
                request,
                count: 0,
                stopped: None,
            });
        }
        self.alerts.as_mut().ok_or_else(|| "no alerts".into())
    }

    /// One alert: triggered (timed), then "I'm safe" and, every
    /// [`FLUSH_EVERY`], an outbox flush (untimed), so the history is made of
    /// closed, delivered alerts.
    fn alert(side: &mut AlertSide) -> Result<Outcome, String> {
        let a = &side.alerts;
        let mut id = String::new();
        let outcome = timed(|| {
            a.trigger(&side.request).map(|s| {
                id = s.id;
                s.deliveries.len()
            })
        })
        .map_err(err)?;
        a.resolve(&id).map_err(err)?;
        side.count += 1;
        if side.count.is_multiple_of(FLUSH_EVERY) {
            a.flush_outbox().map_err(err)?;
        }
        Ok(outcome)
    }

    /// Accumulates alerts up to `n`, unless that takes longer than `budget`
    /// (the growing cost of a trigger is what the series measures).
    fn accumulate_alerts(&mut self, n: u64, budget: Duration) -> Result<Prepared, String> {
        let side = self.alert_side()?;
        if let Some(why) = &side.stopped {
            return Ok(Prepared::Unsupported(why.clone()));
        }
        let start = Instant::now();
        let mut recent = VecDeque::new();
        while side.count < n {
            if start.elapsed() > budget {
                let mut sorted: Vec<u64> = recent.into_iter().collect();
                sorted.sort_unstable();
                let why = format!(
                    "stopped accumulating at {} of {n} alerts after the {} s budget; \
                     the last {} triggers took p50 {:.1} ms",
                    side.count,
                    budget.as_secs(),
                    sorted.len(),
                    sorted.get(sorted.len() / 2).copied().unwrap_or(0) as f64 / 1e6
                );
                side.stopped = Some(why.clone());
                return Ok(Prepared::Unsupported(why));
            }
            if let Outcome::Done { value, .. } = Self::alert(side)? {
                recent.push_back(value);
                if recent.len() > 50 {
                    recent.pop_front();
                }
            }
            if side.count.is_multiple_of(1000) {
                eprintln!("   parasol: {} alerts", side.count);
            }
        }
        side.alerts.flush_outbox().map_err(err)?;
        Ok(Prepared::Ready)
    }
}

impl Runner for ParasolRunner {
    fn info(&mut self) -> Result<String, String> {
        let kdf = JournalOptions::default().kdf;
        Ok(format!(
            "Parasol {} (SQLite {}), journal key derivation Argon2id m={} MiB t={} p={} (defaults), \
             XChaCha20-Poly1305 records",
            env!("CARGO_PKG_VERSION"),
            rusqlite::version(),
            kdf.m_kib / 1024,
            kdf.t,
            kdf.p
        ))
    }

    fn setup(&mut self, data: DataSet, dir: &Path) -> Result<(), String> {
        self.dir = dir.to_path_buf();
        self.data = Some(data);
        self.open_journal(true)?;
        let journal = self.journal()?;
        let data = self.data()?;
        for e in &data.entries {
            journal.add(draft(e)).map_err(err)?;
        }
        Ok(())
    }

    fn prepare(&mut self, name: &str, arg: u64, budget: Duration) -> Result<Prepared, String> {
        match name {
            workload::ALERT_TRIGGER => self.accumulate_alerts(arg, budget),
            _ => Ok(Prepared::Ready),
        }
    }

    fn run(&mut self, name: &str, _arg: u64) -> Result<Outcome, String> {
        let data = self.data()?;
        let (selective, common) = (data.selective.clone(), data.common.clone());
        match name {
            workload::UNLOCK => self.unlock(),
            // Parasol keeps no search index on disk: both adds are the same.
            workload::ADD | workload::ADD_NO_INDEX => self.add(),
            workload::LIST => self.list(),
            workload::LIST_TITLES => self.list_titles(),
            workload::SEARCH_SELECTIVE => self.search(&selective),
            workload::SEARCH_COMMON => self.search(&common),
            // Parasol keeps no search index on disk: both sizes are the same file.
            workload::FILE_SIZE | workload::FILE_SIZE_CONTENT => self.file_size(),
            workload::ALERT_TRIGGER => Self::alert(self.alert_side()?),
            other => Ok(Outcome::Unsupported(format!("no workload {other:?} here"))),
        }
    }
}

fn main() {
    wire::serve(&mut ParasolRunner::default());
}
