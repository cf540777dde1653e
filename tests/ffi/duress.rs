//! The journal's duress passphrase raises a silent alert through the alert
//! engine, and with "wipe" the alert leaves before the profile is wiped.

use parasol_core::alerts::receiver::Receiver;
use parasol_ffi::*;

fn open(dir: &std::path::Path) -> std::sync::Arc<Parasol> {
    let mut c = crate::profile::config(dir);
    c.allow_insecure_loopback = true;
    c.timeout_seconds = 2;
    Parasol::open(c, None).unwrap()
}

fn webhook_contact(url: String) -> TrustedContactInput {
    TrustedContactInput {
        name: "Friend".into(),
        language: "en".into(),
        phone: None,
        webhook_url: Some(url),
        push_url: None,
        push_token: None,
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
    let alerts = p.alerts().unwrap();
    alerts
        .add_contact(webhook_contact(receiver.url("/hook")))
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
    assert!(matches!(
        journal.unlock(DURESS.to_vec()),
        Err(ParasolError::WrongPassphrase { .. })
    ));
    let got = receiver.requests();
    assert_eq!(
        got.len(),
        1,
        "the alert reached the receiver before the wipe"
    );
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
