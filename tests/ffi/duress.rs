//! The journal's duress passphrase raises a silent alert through the alert
//! engine, and with "wipe" the alert leaves before the profile is wiped.

use parasol_core::alerts::receiver::{Fault, Receiver};
use parasol_ffi::*;
use std::time::{Duration, Instant};

fn open(dir: &std::path::Path) -> std::sync::Arc<Parasol> {
    open_with_timeout(dir, 2)
}

fn open_with_timeout(dir: &std::path::Path, seconds: u32) -> std::sync::Arc<Parasol> {
    let mut c = crate::profile::config(dir);
    c.allow_insecure_loopback = true;
    c.timeout_seconds = seconds;
    Parasol::open(c, None).unwrap()
}

/// Waits (bounded) until `receiver` has recorded `n` requests.
fn wait_for(
    receiver: &Receiver,
    n: usize,
    within: Duration,
) -> Vec<parasol_core::alerts::receiver::Received> {
    let end = Instant::now() + within;
    loop {
        let got = receiver.requests();
        if got.len() >= n || Instant::now() > end {
            return got;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A journal whose duress passphrase alerts and wipes, with one webhook contact.
fn alert_and_wipe(p: &Parasol, url: String) {
    p.alerts()
        .unwrap()
        .add_contact(webhook_contact(url))
        .unwrap();
    let journal = p.journal();
    journal.create(REAL.to_vec()).unwrap();
    journal
        .set_duress(
            REAL.to_vec(),
            DURESS.to_vec(),
            DuressActions {
                open_decoy: false,
                alert: true,
                wipe: true,
            },
        )
        .unwrap();
    journal.lock();
}

fn webhook_contact(url: String) -> TrustedContactInput {
    TrustedContactInput {
        name: "Friend".into(),
        language: "en".into(),
        phone: None,
        webhook_url: Some(url),
        push_url: None,
        push_token: None,
        sms_code_phrase: None,
        matrix_id: None,
        triggers: ContactTriggers {
            button: true,
            missed_check_in: true,
            duress: true,
        },
    }
}

const REAL: &[u8] = b"correct horse battery staple";
const DURESS: &[u8] = b"open sesame for visitors";

#[test]
fn duress_with_decoy_and_alert_queues_a_silent_duress_alert() {
    let dir = tempfile::tempdir().unwrap();
    let p = open(dir.path());
    let alerts = p.alerts().unwrap();
    alerts
        .add_contact(webhook_contact("http://127.0.0.1:9/down".into()))
        .unwrap();
    let journal = p.journal();
    journal.create(REAL.to_vec()).unwrap();
    journal
        .set_duress(
            REAL.to_vec(),
            DURESS.to_vec(),
            DuressActions {
                open_decoy: true,
                alert: true,
                wipe: false,
            },
        )
        .unwrap();
    journal.lock();
    assert!(alerts.active_alerts().unwrap().is_empty());
    journal.unlock(DURESS.to_vec()).unwrap();
    assert!(journal.is_unlocked(), "the decoy opens");
    let active = alerts.active_alerts().unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].reason, AlertReason::Duress);
    assert_eq!(active[0].mode, AlertMode::Silent);
    assert_eq!(active[0].deliveries.len(), 1);
}

#[test]
fn duress_with_wipe_hands_the_alert_over_before_wiping() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().unwrap();
    let p = open(dir.path());
    alert_and_wipe(&p, receiver.url("/hook"));
    let journal = p.journal();
    assert!(matches!(
        journal.unlock(DURESS.to_vec()),
        Err(ParasolError::WrongPassphrase { .. })
    ));
    // Sent in the background: it arrives although the profile is wiped.
    let got = wait_for(&receiver, 1, Duration::from_secs(10));
    assert_eq!(got.len(), 1, "the alert reached the receiver");
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["reason"], "duress", "{body}");
    drop(p);
    let again = open(dir.path());
    assert!(!again.journal().exists().unwrap(), "wiped");
    assert!(
        again.alerts().unwrap().contacts().unwrap().is_empty(),
        "contacts wiped too"
    );
}

#[test]
fn an_unreachable_receiver_during_a_duress_wipe_gets_the_alert_later() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().unwrap();
    let p = open(dir.path());
    alert_and_wipe(&p, receiver.url("/hook"));
    receiver.pause();
    assert!(matches!(
        p.journal().unlock(DURESS.to_vec()),
        Err(ParasolError::WrongPassphrase { .. })
    ));
    drop(p);
    std::thread::sleep(Duration::from_millis(300));
    assert!(receiver.requests().is_empty());
    // The wipe deleted the journal's and the alerts' platform keys but kept
    // the one that wraps the hand-over.
    let keys = || {
        String::from_utf8_lossy(&std::fs::read(dir.path().join("keystore.bin")).unwrap_or_default())
            .into_owned()
    };
    assert!(keys().contains("parasol.handover.v1"), "hand-over key kept");
    assert!(
        !keys().contains("parasol.journal.v1"),
        "journal key deleted"
    );
    // The app starts again after the wipe: a fresh profile, nothing to see.
    let again = open(dir.path());
    assert!(!again.journal().exists().unwrap(), "wiped");
    let alerts = again.alerts().unwrap();
    assert!(alerts.contacts().unwrap().is_empty());
    assert!(alerts.active_alerts().unwrap().is_empty());
    assert!(alerts.recent_alerts(10).unwrap().is_empty());
    // ... but a wake-up is due, and once the network is back the alert leaves.
    assert!(
        alerts.next_wakeup_ms().unwrap().is_some(),
        "a wake-up is planned"
    );
    receiver.resume();
    // The shell ticks at each planned wake-up (the first retry is at most
    // the 5 s backoff away).
    let end = Instant::now() + Duration::from_secs(20);
    while receiver.requests().is_empty() && Instant::now() < end {
        alerts.tick().unwrap();
        if let Some(at) = alerts.next_wakeup_ms().unwrap() {
            let wait = at - chrono::Utc::now().timestamp_millis();
            std::thread::sleep(Duration::from_millis(wait.clamp(10, 1000) as u64));
        }
    }
    let got = receiver.requests();
    assert_eq!(got.len(), 1, "delivered after the wipe");
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["reason"], "duress", "{body}");
    assert_eq!(body["silent"], true);
    // Delivered once: nothing is left to send, nothing more is planned.
    alerts.tick().unwrap();
    assert_eq!(receiver.requests().len(), 1);
    assert_eq!(alerts.next_wakeup_ms().unwrap(), None);
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("handover"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(
        !keys().contains("parasol.handover.v1"),
        "its key deleted once delivered"
    );
}

#[test]
fn a_slow_receiver_does_not_delay_a_duress_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().unwrap();
    receiver.set_default(Fault::Slow(Duration::from_secs(8)));
    let p = open_with_timeout(dir.path(), 30);
    alert_and_wipe(&p, receiver.url("/hook"));
    // A wrong passphrase: the normal time of an unlock that fails.
    let t0 = Instant::now();
    assert!(p.journal().unlock(b"not the passphrase".to_vec()).is_err());
    let normal = t0.elapsed();
    let t1 = Instant::now();
    assert!(matches!(
        p.journal().unlock(DURESS.to_vec()),
        Err(ParasolError::WrongPassphrase { .. })
    ));
    let duress = t1.elapsed();
    assert!(
        duress < normal + Duration::from_millis(1500),
        "duress unlock took {duress:?}, a normal one {normal:?}"
    );
    // The alert still arrives, slowly.
    let got = wait_for(&receiver, 1, Duration::from_secs(20));
    assert_eq!(got.len(), 1);
}
