//! `parasol demo`: a guided tour of the core on a temporary profile.

use crate::output::Out;
use parasol_core::alerts::receiver::Receiver;
use parasol_core::alerts::{
    AlertSettings, Alerts, ContactInput, DeliveryState, Location, RetryPolicy, TriggerRequest,
};
use std::sync::Arc;
use std::time::Duration;

/// Runs the tour.
pub fn run(out: &Out) -> parasol_core::Result<()> {
    let dir = tempfile::tempdir()?;
    out.say("Parasol demo: a tour of the core on a temporary profile.\n");
    let profile = crate::open_profile_with(dir.path().join("profile"), true)?;
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
    let delivered = panic_button(Arc::new(profile), out)?;
    out.value(
        &serde_json::json!({
            "demo": "ok",
            "schema_version": info.schema_version,
            "alert_delivered": delivered,
        }),
        || "\nDemo finished; the temporary profile is deleted.".to_string(),
    )
}

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
        "2. Trusted contact {} receives alerts by webhook at http://127.0.0.1:{port} \
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
        "3. Panic button pressed: alert {} is on disk before anything is sent.",
        alert.id
    ));
    alerts.flush_outbox()?;
    out.say(format!(
        "4. First attempt with the receiver down: {}.",
        state_of(&alerts, &alert.id)?
    ));
    let receiver = Receiver::start_on(port)?;
    out.say("5. The receiver is up. Flushing the outbox until delivered:");
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
        "6. \"I'm safe\": {}.",
        state_of(&alerts, &alert.id)?
    ));
    if let Some(r) = receiver.requests().last() {
        let body: serde_json::Value = serde_json::from_slice(&r.body)?;
        out.say(format!("   | {}", body["message"].as_str().unwrap_or("")));
    }
    Ok(delivered)
}
