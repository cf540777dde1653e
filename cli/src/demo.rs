//! `parasol demo`: a guided tour of the core on a temporary profile.
//!
//! The journal part uses `JournalOptions::insecure_fast_kdf_for_tests_and_demo`
//! (Argon2id with 64 KiB, one pass) so the tour runs instantly. Real journals
//! (`parasol journal init`, the apps) always use the default t=3, m=64 MiB.

use crate::output::Out;
use parasol_core::journal::{EntryDraft, EntryKind, Incident, Journal, JournalOptions};
use std::sync::Arc;

/// Runs the tour.
pub fn run(out: &Out) -> parasol_core::Result<()> {
    let dir = tempfile::tempdir()?;
    out.say("Parasol demo: a tour of the core on a temporary profile.\n");
    let profile = Arc::new(crate::open_profile(dir.path().join("profile"))?);
    profile.set_country("NL")?;
    profile.set_languages(&["ro".into(), "en".into()])?;
    let info = profile.info()?;
    out.say(format!(
        "1. Profile opened (core {}, schema {}). Country {}, languages {}.",
        info.core_version,
        info.schema_version,
        info.country.as_deref().unwrap_or("-"),
        info.languages.join(", ")
    ));
    out.say(
        "2. Journal (demo only: weak, fast key derivation; real journals use Argon2id t=3, m=64 MiB).",
    );
    let journal = Journal::with_options(
        profile.clone(),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    );
    let passphrase = "demo passphrase, not a real one".as_bytes();
    journal.create(passphrase)?;
    let mut draft = EntryDraft::note("Client took my passport", "He would not give it back.");
    draft.kind = EntryKind::Incident;
    draft.incident = Some(Incident {
        when: Some("Friday about 23:00".into()),
        person: Some("man, 40s, grey jacket".into()),
        vehicle: Some("dark blue van".into()),
        taken: Some("passport, 150 EUR".into()),
        reported_to_police: Some(false),
        ..Incident::default()
    });
    draft.tags = vec!["documents".into()];
    let id = journal.add(draft)?;
    out.say(format!("   Created the journal and added incident {id}."));
    journal.lock();
    out.say(format!("   Locked. Unlocked: {}.", journal.is_unlocked()));
    let wrong = journal.unlock(b"a wrong guess");
    out.say(format!(
        "   Wrong passphrase: {}.",
        match &wrong {
            Err(e) => e.to_string(),
            Ok(()) => "opened (this must not happen)".into(),
        }
    ));
    if wrong.is_ok() {
        return Err(parasol_core::Error::Internal(
            "a wrong passphrase opened the journal".into(),
        ));
    }
    journal.unlock(passphrase)?;
    let entries = journal.list()?;
    let chain = journal.verify()?;
    out.say(format!(
        "   Unlocked: {} entry, \"{}\"; hash chain {} ({} records).",
        entries.len(),
        entries.first().map(|e| e.title.as_str()).unwrap_or(""),
        if chain.ok { "intact" } else { "BROKEN" },
        chain.records
    ));
    journal.lock();
    out.value(
        &serde_json::json!({
            "demo": "ok",
            "schema_version": info.schema_version,
            "journal": { "entries": entries.len(), "wrong_passphrase_refused": true, "chain_ok": chain.ok },
        }),
        || "\nDemo finished; the temporary profile is deleted.".to_string(),
    )
}
