//! `parasol demo`: a guided tour of the core on a temporary profile.
//!
//! The journal part uses `JournalOptions::insecure_fast_kdf_for_tests_and_demo`
//! (Argon2id with 64 KiB, one pass) so the tour runs instantly. Real journals
//! (`parasol journal init`, the apps) always use the default t=3, m=64 MiB.

use crate::output::Out;
use parasol_core::content::search::Filter;
use parasol_core::helplines::Query;
use parasol_core::journal::{EntryDraft, EntryKind, Incident, Journal, JournalOptions};
use parasol_core::profile::Profile;
use serde_json::{json, Value};
use std::sync::Arc;

/// Runs the tour.
pub fn run(out: &Out) -> parasol_core::Result<()> {
    let dir = tempfile::tempdir()?;
    out.say("Parasol demo: a tour of the core on a temporary profile.\n");
    let profile = Arc::new(crate::context::open_profile(
        dir.path().join("profile"),
        |_| {},
    )?);
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
    let rights = rights(out, &profile)?;
    let open = helplines(out, &profile)?;
    let journal = journal(out, &profile)?;
    out.value(
        &serde_json::json!({
            "demo": "ok",
            "schema_version": info.schema_version,
            "countries": rights.0,
            "search_hits": rights.1,
            "helplines_open_now": open,
            "journal": journal,
        }),
        || "\nDemo finished; the temporary profile is deleted.".to_string(),
    )
}

/// Rights: the list of countries, one section in Romanian, a search.
fn rights(out: &Out, profile: &Profile) -> parasol_core::Result<(usize, usize)> {
    let library = profile.library()?;
    let langs = profile.languages()?;
    let countries = library.countries(&langs);
    let full: Vec<&str> = countries
        .iter()
        .filter(|c| c.depth == parasol_core::content::model::Depth::Full)
        .map(|c| c.code.as_str())
        .collect();
    out.say(format!(
        "\n2. Rights, offline: {} countries ({} full booklets: {}).",
        countries.len(),
        full.len(),
        full.join(", ")
    ));
    let section = library.section("NL", "police", &langs)?;
    if let Some(s) = section.sections.first() {
        let first_paragraph = s.body.split("\n\n").next().unwrap_or("");
        out.say(format!(
            "   {} ({}, {}): \"{}\"\n   {}",
            s.title,
            section.name,
            section.lang,
            first_paragraph.trim(),
            s.sources
                .first()
                .map(|x| format!("Source: {}", x.title))
                .unwrap_or_default()
        ));
    }
    let filter = Filter {
        country: None,
        languages: vec!["en".into()],
        limit: 3,
    };
    let hits = library.search("reflection period", &filter)?;
    out.say("   Search \"reflection period\":");
    for h in &hits {
        out.say(format!("   - {} {}: {}", h.country, h.title, h.snippet));
    }
    Ok((countries.len(), hits.len()))
}

/// Help, now: what is open now in the Netherlands.
fn helplines(out: &Out, profile: &Profile) -> parasol_core::Result<usize> {
    let query = Query {
        open_only: true,
        ..Query::default()
    };
    let open = profile.helplines("NL", &query, None)?;
    out.say(format!(
        "\n3. Help, now: {} helplines in the Netherlands are open now:",
        open.len()
    ));
    for l in open.iter().take(5) {
        let h = &l.helpline;
        let phone = h
            .channels
            .iter()
            .find(|c| c.kind.is_phone_number())
            .map(|c| c.label.clone().unwrap_or_else(|| c.value.clone()))
            .unwrap_or_default();
        out.say(format!("   - {} {}", h.name, phone));
    }
    Ok(open.len())
}

/// The journal: create, add an incident, lock, a wrong passphrase fails, unlock.
fn journal(out: &Out, profile: &Arc<Profile>) -> parasol_core::Result<Value> {
    out.say(
        "\n4. Journal (demo only: weak, fast key derivation; real journals use Argon2id t=3, m=64 MiB).",
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
    Ok(json!({ "entries": entries.len(), "wrong_passphrase_refused": true, "chain_ok": chain.ok }))
}
