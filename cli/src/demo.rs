//! `parasol demo`: a guided tour of the core on a temporary profile.
//!
//! The journal part uses `JournalOptions::insecure_fast_kdf_for_tests_and_demo`
//! (Argon2id with 64 KiB, one pass) so the tour runs instantly. Real journals
//! (`parasol journal init`, the apps) always use the default t=3, m=64 MiB.

use crate::output::Out;
use parasol_core::alerts::receiver::Receiver;
use parasol_core::alerts::{
    AlertSettings, Alerts, ContactInput, DeliveryState, Location, RetryPolicy, TriggerRequest,
};
use parasol_core::content::search::Filter;
use parasol_core::helplines::Query;
use parasol_core::journal::{EntryDraft, EntryKind, Incident, Journal, JournalOptions};
use parasol_core::profile::Profile;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// Runs the tour.
pub fn run(out: &Out) -> parasol_core::Result<()> {
    let dir = tempfile::tempdir()?;
    out.say("Parasol demo: a tour of the core on a temporary profile.\n");
    let profile = Arc::new(crate::context::open_profile(
        dir.path().join("profile"),
        |c| {
            c.http.allow_insecure_loopback = true;
        },
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
    let delivered = panic_button(profile.clone(), out)?;
    let phone_taken = crate::demo_matrix::phone_taken(out)?;
    out.value(
        &serde_json::json!({
            "demo": "ok",
            "schema_version": info.schema_version,
            "countries": rights.0,
            "search_hits": rights.1,
            "helplines_open_now": open,
            "journal": journal,
            "alert_delivered": delivered,
            "phone_taken": phone_taken,
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

/// One line per delivery of an alert.
fn state_of(alerts: &Alerts, id: &str) -> parasol_core::Result<String> {
    let status = alerts.status(id)?;
    Ok(status
        .deliveries
        .iter()
        .map(|d| {
            format!(
                "{} {} {}{}",
                d.kind.as_str(),
                d.channel.as_str(),
                d.state.as_str(),
                d.last_error
                    .as_deref()
                    .map(|e| format!(" ({e}, attempt {})", d.attempts))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("; "))
}

/// The panic button against a local receiver that is down, then up.
fn panic_button(
    profile: Arc<parasol_core::profile::Profile>,
    out: &Out,
) -> parasol_core::Result<bool> {
    let alerts = Alerts::open(profile)?;
    alerts.set_settings(AlertSettings {
        retry: RetryPolicy {
            base: Duration::from_millis(200),
            cap: Duration::from_millis(800),
            ..RetryPolicy::default()
        },
        ..AlertSettings::default()
    })?;
    alerts.set_sender_name(Some("Ana"))?;
    let port = Receiver::free_port()?;
    let contact = alerts.add_contact(&ContactInput {
        name: "Mira".into(),
        language: "en".into(),
        webhook_url: Some(format!("http://127.0.0.1:{port}/parasol")),
        ..ContactInput::default()
    })?;
    out.say(format!(
        "\n5. Panic button.\n   a) Trusted contact {} receives alerts by webhook at http://127.0.0.1:{port} \
         (a local receiver, not running yet).",
        contact.id
    ));
    let alert = alerts.trigger(&TriggerRequest {
        location: Some(Location {
            accuracy_m: Some(15.0),
            ..Location::new(52.37022, 4.89517)
        }),
        note: Some("Hotel on Damrak, room 12".into()),
        ..TriggerRequest::button()
    })?;
    out.say(format!(
        "   b) Panic button pressed: alert {} is on disk before anything is sent.",
        alert.id
    ));
    alerts.flush_outbox()?;
    out.say(format!(
        "   c) First attempt with the receiver down: {}.",
        state_of(&alerts, &alert.id)?
    ));
    let receiver = Receiver::start_on(port)?;
    out.say("   d) The receiver is up. Flushing the outbox until delivered:");
    let mut delivered = false;
    for _ in 0..50 {
        let report = alerts.flush_outbox()?;
        let status = alerts.status(&alert.id)?;
        if status
            .deliveries
            .iter()
            .all(|d| d.state == DeliveryState::Delivered)
        {
            delivered = true;
            break;
        }
        if let Some(next) = report.next_wakeup {
            let wait = (next - chrono::Utc::now())
                .num_milliseconds()
                .clamp(10, 1000);
            std::thread::sleep(Duration::from_millis(wait as u64));
        }
    }
    out.say(format!("   {}.", state_of(&alerts, &alert.id)?));
    if let Some(r) = receiver
        .requests()
        .iter()
        .find(|r| r.idempotency_key.is_some())
    {
        let body: serde_json::Value = serde_json::from_slice(&r.body)?;
        out.say(format!(
            "   The receiver got (Idempotency-Key {}):\n   | {}",
            r.idempotency_key.as_deref().unwrap_or(""),
            body["message"]
                .as_str()
                .unwrap_or("")
                .replace('\n', "\n   | ")
        ));
    }
    alerts.resolve(&alert.id)?;
    alerts.flush_outbox()?;
    out.say(format!(
        "   e) \"I'm safe\": {}.",
        state_of(&alerts, &alert.id)?
    ));
    if let Some(r) = receiver.requests().last() {
        let body: serde_json::Value = serde_json::from_slice(&r.body)?;
        out.say(format!("   | {}", body["message"].as_str().unwrap_or("")));
    }
    Ok(delivered)
}
