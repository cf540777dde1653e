//! Engine tests: real SQLite, real HTTP against the loopback receiver with
//! injected faults, a fake clock for time. Loops are bounded in count.

use super::receiver::{Fault, Receiver};
use super::*;
use crate::clock::{Clock, FakeClock};
use crate::config::Config;
use crate::keystore::SoftwareKeyStore;
use chrono::TimeZone;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 28, 22, 0, 0)
        .single()
        .unwrap()
}

struct Env {
    dir: tempfile::TempDir,
    clock: Arc<FakeClock>,
    keys: Arc<SoftwareKeyStore>,
}

impl Env {
    fn new() -> Env {
        Env::at(start_time())
    }

    fn at(t: DateTime<Utc>) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(SoftwareKeyStore::open(&dir.path().join("keys.bin")).unwrap());
        Env {
            dir,
            clock: Arc::new(FakeClock::new(t)),
            keys,
        }
    }

    fn profile(&self) -> Arc<Profile> {
        let mut config = Config::new(self.dir.path().join("p"));
        config.http.allow_insecure_loopback = true;
        config.http.timeout = Duration::from_millis(1000);
        config.http.connect_timeout = Duration::from_millis(1000);
        Arc::new(Profile::open_with_clock(config, self.keys.clone(), self.clock.clone()).unwrap())
    }

    fn alerts(&self) -> Alerts {
        let a = Alerts::open(self.profile()).unwrap();
        a.set_settings(fast_settings()).unwrap();
        a
    }

    fn advance(&self, secs: i64) {
        self.clock.advance(chrono::Duration::seconds(secs));
    }
}

fn fast_settings() -> AlertSettings {
    AlertSettings {
        retry: RetryPolicy {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(8),
            max_age: Duration::from_secs(600),
            lease: Duration::from_secs(60),
        },
        ..AlertSettings::default()
    }
}

fn webhook_contact(name: &str, url: &str) -> ContactInput {
    ContactInput {
        name: name.into(),
        language: "en".into(),
        webhook_url: Some(url.into()),
        ..ContactInput::default()
    }
}

#[derive(Default)]
struct Recorder(Mutex<Vec<AlertEvent>>);

impl AlertObserver for Recorder {
    fn on_event(&self, event: &AlertEvent) {
        self.0.lock().unwrap().push(event.clone());
    }
}

impl Recorder {
    fn events(&self) -> Vec<AlertEvent> {
        self.0.lock().unwrap().clone()
    }
    fn delivery_states(&self) -> Vec<DeliveryState> {
        self.events()
            .iter()
            .filter_map(|e| match e {
                AlertEvent::Delivery { delivery } => Some(delivery.state),
                _ => None,
            })
            .collect()
    }
}

/// An SMS sender that records requests and answers from a script.
struct FakeSms {
    outcome: Mutex<Vec<Result<SmsOutcome>>>,
    sent: Mutex<Vec<SmsRequest>>,
}

impl FakeSms {
    fn new(outcomes: Vec<Result<SmsOutcome>>) -> Arc<Self> {
        Arc::new(FakeSms {
            outcome: Mutex::new(outcomes),
            sent: Mutex::new(Vec::new()),
        })
    }
}

impl SmsSender for FakeSms {
    fn send(&self, request: &SmsRequest) -> Result<SmsOutcome> {
        self.sent.lock().unwrap().push(request.clone());
        let mut o = self.outcome.lock().unwrap();
        if o.len() > 1 {
            o.remove(0)
        } else {
            match o.first() {
                Some(Ok(x)) => Ok(*x),
                Some(Err(_)) => Err(Error::Platform("no service".into())),
                None => Ok(SmsOutcome::Sent),
            }
        }
    }
}

/// Flushes and advances the fake clock until nothing is pending (bounded).
fn drain(env: &Env, alerts: &Alerts, max_rounds: usize) -> usize {
    for round in 0..max_rounds {
        let report = alerts.flush_outbox().unwrap();
        if report.pending == 0 {
            return round;
        }
        env.advance(8);
    }
    panic!("outbox did not drain in {max_rounds} rounds");
}

#[test]
fn contacts_round_trip_and_refuse_bad_input() {
    let env = Env::new();
    let a = env.alerts();
    let c = a
        .add_contact(&ContactInput {
            name: " Mira ".into(),
            language: "NL".into(),
            phone: Some("+31 6 1234 5678".into()),
            push_url: Some("https://ntfy.sh/parasol-test".into()),
            push_token: Some("tk_secret".into()),
            ..ContactInput::default()
        })
        .unwrap();
    assert_eq!(c.name, "Mira");
    assert_eq!(c.language, "nl");
    assert_eq!(c.phone.as_deref(), Some("+31612345678"));
    assert_eq!(c.channels(), vec![Channel::Sms, Channel::Push]);
    assert_eq!(a.contacts().unwrap(), vec![c.clone()]);
    assert_eq!(a.contact(&c.id).unwrap(), c);
    let shown = format!("{c:?}");
    assert!(!shown.contains("Mira") && !shown.contains("3161") && !shown.contains("tk_secret"));

    let updated = a
        .update_contact(
            &c.id,
            &ContactInput {
                name: "Mira B".into(),
                webhook_url: Some("https://relay.example.org/hook".into()),
                triggers: Triggers {
                    button: true,
                    missed_check_in: false,
                    duress: false,
                },
                ..ContactInput::default()
            },
        )
        .unwrap();
    assert_eq!(updated.id, c.id);
    assert_eq!(updated.created_at, c.created_at);
    assert_eq!(updated.channels(), vec![Channel::Webhook]);

    let bad = [
        ContactInput {
            name: "x".into(),
            phone: Some("+31 6 CALL ME".into()),
            ..ContactInput::default()
        },
        ContactInput {
            name: "x".into(),
            phone: Some("*#06#".into()),
            ..ContactInput::default()
        },
        ContactInput {
            name: "x".into(),
            phone: Some("+31\u{2060}612345678".into()),
            ..ContactInput::default()
        },
        ContactInput {
            name: "x".into(),
            webhook_url: Some("http://relay.example.org/hook".into()),
            ..ContactInput::default()
        },
        ContactInput {
            name: "x".into(),
            ..ContactInput::default()
        },
        ContactInput {
            name: "".into(),
            phone: Some("+31612345678".into()),
            ..ContactInput::default()
        },
        ContactInput {
            name: "x".into(),
            language: "dutch language".into(),
            phone: Some("+31612345678".into()),
            ..ContactInput::default()
        },
        ContactInput {
            name: "x".into(),
            phone: Some("+31612345678".into()),
            push_token: Some("tk".into()),
            ..ContactInput::default()
        },
    ];
    for input in &bad {
        let err = a.add_contact(input).unwrap_err();
        assert_eq!(
            err.kind(),
            crate::ErrorKind::InvalidInput,
            "{input:?}: {err}"
        );
    }
    assert_eq!(a.contacts().unwrap().len(), 1);
    a.remove_contact(&c.id).unwrap();
    assert!(matches!(a.remove_contact(&c.id), Err(Error::NotFound(_))));
    assert!(matches!(a.contact("not-an-id"), Err(Error::NotFound(_))));
}

#[test]
fn nothing_personal_is_stored_in_plaintext() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    rx.set_default(Fault::Status(503));
    let a = env.alerts();
    a.set_sender_name(Some("Zorana Secretname")).unwrap();
    a.add_contact(&ContactInput {
        name: "Contactname Unique".into(),
        phone: Some("+46701234567".into()),
        webhook_url: Some(rx.url("/hook-path-unique")),
        push_url: Some(rx.url("/topic-unique")),
        push_token: Some("tokenvalue-unique".into()),
        ..ContactInput::default()
    })
    .unwrap();
    a.set_sms_sender(Some(FakeSms::new(vec![Err(Error::Platform("x".into()))])));
    let alert = a
        .trigger(&TriggerRequest {
            note: Some("Notetext Hotelroom".into()),
            location: Some(Location::new(59.329323, 18.068581)),
            ..TriggerRequest::button()
        })
        .unwrap();
    a.flush_outbox().unwrap();
    a.start_checkin(&CheckinRequest {
        deadline: CheckinDeadline::In(chrono::Duration::hours(1)),
        grace: None,
        note: Some("Checkinnote Street".into()),
        location: None,
    })
    .unwrap();
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(env.dir.path().join("p")).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let hay = String::from_utf8_lossy(&bytes);
    for secret in [
        "Zorana",
        "Contactname",
        "46701234567",
        "hook-path-unique",
        "topic-unique",
        "tokenvalue-unique",
        "Notetext",
        "Checkinnote",
        "59.3293",
        "18.0685",
        "needs help",
    ] {
        assert!(!hay.contains(secret), "{secret} found in plaintext");
    }
    assert!(
        hay.contains(&alert.id),
        "ids are plaintext (sanity check of the scan)"
    );
}

#[test]
fn immediate_alert_reaches_a_webhook_once_with_the_documented_payload() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    let obs = Arc::new(Recorder::default());
    a.set_observer(Some(obs.clone()));
    a.set_sender_name(Some("Ana")).unwrap();
    let c = a
        .add_contact(&webhook_contact("Mira", &rx.url("/hook")))
        .unwrap();
    let alert = a
        .trigger(&TriggerRequest {
            location: Some(Location {
                accuracy_m: Some(12.0),
                ..Location::new(52.37022, 4.89517)
            }),
            note: Some("Room 12".into()),
            ..TriggerRequest::button()
        })
        .unwrap();
    assert_eq!(alert.state, AlertState::Fired);
    assert_eq!(alert.deliveries.len(), 1);
    let d = &alert.deliveries[0];
    assert_eq!(
        (d.state, d.channel, d.kind, d.contact_id.as_str()),
        (
            DeliveryState::Queued,
            Channel::Webhook,
            MessageKind::Alert,
            c.id.as_str()
        )
    );
    let report = a.flush_outbox().unwrap();
    assert_eq!(
        (report.attempted, report.delivered, report.pending),
        (1, 1, 0)
    );
    assert_eq!(report.next_wakeup, None);
    let status = a.status(&alert.id).unwrap();
    assert_eq!(status.deliveries[0].state, DeliveryState::Delivered);
    assert_eq!(status.deliveries[0].attempts, 1);

    let reqs = rx.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.path, "/hook");
    assert_eq!(
        r.idempotency_key.as_deref(),
        Some(d.idempotency_key.as_str())
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    let p: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(p["type"], "alert");
    assert_eq!(p["version"], 1);
    assert_eq!(p["idempotency_key"], d.idempotency_key.as_str());
    assert_eq!(p["alert_id"], alert.id.as_str());
    assert_eq!(p["reason"], "button");
    assert_eq!(p["silent"], false);
    assert_eq!(p["sender_name"], "Ana");
    assert_eq!(p["triggered_at"], "2026-03-28T22:00:00Z");
    assert_eq!(p["location"]["latitude"], 52.37022);
    assert_eq!(p["location"]["accuracy_m"], 12.0);
    assert_eq!(p["note"], "Room 12");
    assert_eq!(p["language"], "en");
    assert!(p["message"]
        .as_str()
        .unwrap()
        .starts_with("ALERT: Ana needs help."));
    let keys: HashSet<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    let documented: HashSet<&str> = [
        "type",
        "version",
        "idempotency_key",
        "alert_id",
        "reason",
        "silent",
        "sender_name",
        "triggered_at",
        "created_at",
        "location",
        "note",
        "language",
        "message",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        keys, documented,
        "payload fields are exactly the documented ones"
    );

    let kinds: Vec<String> = obs
        .events()
        .iter()
        .map(|e| match e {
            AlertEvent::Fired { .. } => "fired".to_string(),
            AlertEvent::Delivery { delivery } => delivery.state.as_str().to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, vec!["fired", "queued", "delivered"]);
}

#[test]
fn faults_never_lose_a_delivery_and_each_key_takes_effect_once() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    for i in 0..6 {
        a.add_contact(&webhook_contact(
            &format!("C{i}"),
            &rx.url(&format!("/c{i}")),
        ))
        .unwrap();
    }
    // Faults for the first requests, then mostly healthy.
    let hang = Duration::from_millis(2500);
    rx.script([
        Fault::Status(500),
        Fault::Hang(hang),
        Fault::RecordThenHang(hang),
        Fault::Slow(Duration::from_millis(300)),
        Fault::Close,
        Fault::Status(503),
        Fault::RecordThenHang(hang),
        Fault::Status(429),
        Fault::Status(502),
        Fault::Close,
        Fault::Hang(hang),
        Fault::Status(500),
    ]);
    let mut alerts = Vec::new();
    for _ in 0..3 {
        alerts.push(a.trigger(&TriggerRequest::button()).unwrap());
    }
    // Round 1 against the faults, round 2 while the receiver refuses connections.
    a.flush_outbox().unwrap();
    rx.pause();
    env.advance(8);
    let down = a.flush_outbox().unwrap();
    assert!(down.retrying > 0 || down.attempted == 0);
    rx.resume();
    env.advance(8);
    drain(&env, &a, 30);

    let applied = rx.applied();
    let mut keys = HashSet::new();
    for alert in &alerts {
        let status = a.status(&alert.id).unwrap();
        assert_eq!(status.deliveries.len(), 6);
        for d in &status.deliveries {
            assert!(keys.insert(d.idempotency_key.clone()), "keys are unique");
            assert_eq!(d.state, DeliveryState::Delivered, "{d:?}");
            assert!(applied.contains_key(&d.idempotency_key), "receiver has it");
        }
    }
    assert_eq!(applied.len(), 18, "one effect per key, nothing else");
    assert_eq!(rx.unkeyed(), 0);
    // Every request carried a key we created; retries reused them.
    for r in rx.requests() {
        assert!(keys.contains(r.idempotency_key.as_deref().unwrap()));
    }
    assert!(rx.requests().len() > 18, "faults caused retries");
    assert!(
        rx.duplicates() >= 2,
        "record-then-timeout requests were retried"
    );
}

#[test]
fn a_receiver_that_never_recovers_ends_in_failed_deliveries_not_lost_ones() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    rx.set_default(Fault::Status(500));
    let a = env.alerts();
    let obs = Arc::new(Recorder::default());
    a.set_observer(Some(obs.clone()));
    a.add_contact(&webhook_contact("A", &rx.url("/a"))).unwrap();
    let port = Receiver::free_port().unwrap();
    a.add_contact(&webhook_contact(
        "B",
        &format!("http://127.0.0.1:{port}/refused"),
    ))
    .unwrap();
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    let mut rounds = 0;
    loop {
        let r = a.flush_outbox().unwrap();
        if r.pending == 0 {
            break;
        }
        let wake = r.next_wakeup.unwrap();
        assert!(wake <= env.clock.now() + chrono::Duration::seconds(8));
        env.clock.set(wake.max(env.clock.now()));
        rounds += 1;
        assert!(rounds < 500, "bounded");
    }
    let status = a.status(&alert.id).unwrap();
    for d in &status.deliveries {
        assert_eq!(d.state, DeliveryState::Failed);
        let why = d.last_error.as_deref().unwrap();
        assert!(why.starts_with("gave up after"), "{why}");
        assert!(!why.contains("127.0.0.1"), "no URL in errors: {why}");
        assert!(d.attempts > 3);
    }
    // The observer saw the final failure of both.
    let failed = obs
        .delivery_states()
        .iter()
        .filter(|s| **s == DeliveryState::Failed)
        .count();
    assert_eq!(failed, 2);
    // Not before the maximum age.
    assert!(env.clock.now() - start_time() >= chrono::Duration::seconds(600));
}

#[test]
fn a_client_error_fails_at_once() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    rx.set_default(Fault::Status(404));
    let a = env.alerts();
    a.add_contact(&webhook_contact("A", &rx.url("/gone")))
        .unwrap();
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    let r = a.flush_outbox().unwrap();
    assert_eq!((r.failed, r.pending), (1, 0));
    let d = &a.status(&alert.id).unwrap().deliveries[0];
    assert_eq!(d.state, DeliveryState::Failed);
    assert!(d.last_error.as_deref().unwrap().contains("404"));
}

#[test]
fn cancelled_countdown_sends_nothing_ever() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    let obs = Arc::new(Recorder::default());
    a.set_observer(Some(obs.clone()));
    a.add_contact(&webhook_contact("A", &rx.url("/a"))).unwrap();
    let alert = a
        .trigger(&TriggerRequest {
            mode: AlertMode::Countdown { seconds: 30 },
            ..TriggerRequest::button()
        })
        .unwrap();
    assert_eq!(alert.state, AlertState::Countdown);
    assert!(alert.deliveries.is_empty());
    assert_eq!(
        a.next_wakeup().unwrap(),
        Some(start_time() + chrono::Duration::seconds(30))
    );
    env.advance(10);
    a.flush_outbox().unwrap();
    let cancelled = a.cancel(&alert.id).unwrap();
    assert_eq!(cancelled.state, AlertState::Cancelled);
    // Cancelling again is harmless.
    assert_eq!(a.cancel(&alert.id).unwrap().state, AlertState::Cancelled);
    env.advance(60);
    let r = a.flush_outbox().unwrap();
    assert_eq!((r.fired, r.attempted), (0, 0));
    // Even across a restart.
    drop(a);
    let a = env.alerts();
    a.flush_outbox().unwrap();
    assert!(rx.requests().is_empty());
    assert!(a.status(&alert.id).unwrap().deliveries.is_empty());
    assert_eq!(a.next_wakeup().unwrap(), None);
    assert!(matches!(
        obs.events().as_slice(),
        [
            AlertEvent::CountdownStarted { .. },
            AlertEvent::CountdownCancelled { .. }
        ]
    ));
    assert!(matches!(
        a.update_location(&alert.id, Location::new(1.0, 1.0)),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn countdown_fires_when_due_even_after_a_restart_and_uses_the_latest_location() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    a.add_contact(&webhook_contact("A", &rx.url("/a"))).unwrap();
    let alert = a
        .trigger(&TriggerRequest {
            mode: AlertMode::Countdown { seconds: 20 },
            ..TriggerRequest::button()
        })
        .unwrap();
    let u = a
        .update_location(&alert.id, Location::new(45.815, 15.9819))
        .unwrap();
    assert!(u.queued.is_empty() && u.deferred_until.is_none());
    env.advance(19);
    assert_eq!(a.flush_outbox().unwrap().fired, 0);
    assert!(matches!(a.cancel("00000000"), Err(Error::NotFound(_))));
    drop(a);
    env.advance(5);
    // Opening the engine fires it (durably queued); the flush sends it.
    let a = env.alerts();
    assert_eq!(a.status(&alert.id).unwrap().state, AlertState::Fired);
    let r = a.flush_outbox().unwrap();
    assert_eq!(r.delivered, 1);
    let body: serde_json::Value = serde_json::from_slice(&rx.requests()[0].body).unwrap();
    assert_eq!(body["location"]["latitude"], 45.815);
    assert!(matches!(a.cancel(&alert.id), Err(Error::InvalidInput(_))));
}

#[test]
fn sms_outcomes_and_reports_are_surfaced() {
    let env = Env::new();
    let a = env.alerts();
    let obs = Arc::new(Recorder::default());
    a.set_observer(Some(obs.clone()));
    a.set_sender_name(Some("Ana")).unwrap();
    for (name, phone) in [("Android", "+31612345678"), ("Ios", "+46701234567")] {
        a.add_contact(&ContactInput {
            name: name.into(),
            phone: Some(phone.into()),
            language: "sv".into(),
            ..ContactInput::default()
        })
        .unwrap();
    }
    // No sender registered: retried, never dropped.
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    let r = a.flush_outbox().unwrap();
    assert_eq!(r.retrying, 2);
    assert_eq!(
        a.status(&alert.id).unwrap().deliveries[0]
            .last_error
            .as_deref(),
        Some("no SMS sender is registered")
    );
    let sms = FakeSms::new(vec![Ok(SmsOutcome::Sent), Ok(SmsOutcome::NeedsUserAction)]);
    a.set_sms_sender(Some(sms.clone()));
    env.advance(8);
    let r = a.flush_outbox().unwrap();
    assert_eq!((r.sent, r.needs_user_action, r.pending), (1, 1, 0));
    let sent = sms.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert!(sent[0].text.starts_with("LARM: Ana behöver hjälp."));
    assert!(!sent[0].silent);
    assert!(!format!("{:?}", sent[0]).contains("+31"));
    let status = a.status(&alert.id).unwrap();
    let by_state: HashMap<DeliveryState, &DeliveryStatus> =
        status.deliveries.iter().map(|d| (d.state, d)).collect();
    let android = by_state[&DeliveryState::Sent].id.clone();
    let ios = by_state[&DeliveryState::NeedsUserAction].id.clone();
    assert!(obs
        .delivery_states()
        .contains(&DeliveryState::NeedsUserAction));
    // Android: delivery report.
    let d = a.report_sms(&android, &SmsReport::Delivered).unwrap();
    assert_eq!(d.state, DeliveryState::Delivered);
    // iOS: the user cancelled the composer -> retried -> composer again -> sent.
    let d = a
        .report_sms(
            &ios,
            &SmsReport::Failed {
                reason: "composer cancelled".into(),
            },
        )
        .unwrap();
    assert_eq!(d.state, DeliveryState::Queued);
    assert_eq!(d.last_error.as_deref(), Some("composer cancelled"));
    env.advance(8);
    a.flush_outbox().unwrap();
    assert_eq!(
        a.delivery(&ios).unwrap().state,
        DeliveryState::NeedsUserAction
    );
    let d = a.report_sms(&ios, &SmsReport::Sent).unwrap();
    assert_eq!(d.state, DeliveryState::Sent);
    let d = a.report_sms(&ios, &SmsReport::Sent).unwrap();
    assert_eq!(
        d.state,
        DeliveryState::Sent,
        "a repeated report changes nothing"
    );
    assert!(matches!(
        a.report_sms("ffffffffffffffff", &SmsReport::Sent),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn sms_handed_to_the_shell_waits_for_its_report_or_goes_again_after_the_lease() {
    let env = Env::new();
    let a = env.alerts();
    for (name, phone) in [("A", "+31612345678"), ("B", "+46701234567")] {
        a.add_contact(&ContactInput {
            name: name.into(),
            phone: Some(phone.into()),
            ..ContactInput::default()
        })
        .unwrap();
    }
    let sms = FakeSms::new(vec![
        Ok(SmsOutcome::AwaitingReport),
        Ok(SmsOutcome::CannotSend),
        Ok(SmsOutcome::AwaitingReport),
    ]);
    a.set_sms_sender(Some(sms.clone()));
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    let r = a.flush_outbox().unwrap();
    assert_eq!((r.failed, r.pending), (1, 1), "{r:?}");
    let status = a.status(&alert.id).unwrap();
    let handed = status
        .deliveries
        .iter()
        .find(|d| d.state == DeliveryState::Sending)
        .unwrap()
        .clone();
    let refused = status
        .deliveries
        .iter()
        .find(|d| d.state == DeliveryState::Failed)
        .unwrap();
    assert_eq!(
        refused.last_error.as_deref(),
        Some("this phone cannot send this text message")
    );
    // No composer for either: only waiting deliveries have a message to show.
    assert!(a.sms_request(&handed.id).is_err());
    // Within the lease nothing is sent again; after it, the SMS goes again.
    env.advance(30);
    a.flush_outbox().unwrap();
    assert_eq!(sms.sent.lock().unwrap().len(), 2);
    env.advance(31);
    a.flush_outbox().unwrap();
    assert_eq!(sms.sent.lock().unwrap().len(), 3);
    // The shell's report settles it.
    let d = a.report_sms(&handed.id, &SmsReport::Sent).unwrap();
    assert_eq!(d.state, DeliveryState::Sent);
    assert_eq!(a.flush_outbox().unwrap().pending, 0);
}

#[test]
fn a_message_waiting_for_the_user_can_be_shown_in_a_composer() {
    let env = Env::new();
    let a = env.alerts();
    a.add_contact(&ContactInput {
        name: "A".into(),
        phone: Some("+31612345678".into()),
        ..ContactInput::default()
    })
    .unwrap();
    a.set_sms_sender(Some(FakeSms::new(vec![Ok(SmsOutcome::NeedsUserAction)])));
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    a.flush_outbox().unwrap();
    let id = a.status(&alert.id).unwrap().deliveries[0].id.clone();
    let req = a.sms_request(&id).unwrap();
    assert_eq!(req.phone, "+31612345678");
    assert!(req.text.starts_with("ALERT"), "{}", req.text);
    a.report_sms(&id, &SmsReport::Sent).unwrap();
    assert!(a.sms_request(&id).is_err(), "sent: nothing to compose");
    assert!(matches!(
        a.sms_request("ffffffffffffffff"),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn silent_and_duress_alerts() {
    let env = Env::new();
    let a = env.alerts();
    let sms = FakeSms::new(vec![Ok(SmsOutcome::Sent)]);
    a.set_sms_sender(Some(sms.clone()));
    a.add_contact(&ContactInput {
        name: "Duress ok".into(),
        phone: Some("+48512345678".into()),
        language: "pl".into(),
        ..ContactInput::default()
    })
    .unwrap();
    a.add_contact(&ContactInput {
        name: "Button only".into(),
        phone: Some("+385912345678".into()),
        triggers: Triggers {
            button: true,
            missed_check_in: false,
            duress: false,
        },
        ..ContactInput::default()
    })
    .unwrap();
    let d = a.trigger_duress().unwrap();
    assert_eq!((d.reason, d.mode), (AlertReason::Duress, AlertMode::Silent));
    assert_eq!(
        d.deliveries.len(),
        1,
        "only contacts that take duress alerts"
    );
    a.flush_outbox().unwrap();
    let sent = sms.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].silent);
    assert_eq!(sent[0].phone, "+48512345678");
    assert!(sent[0].text.contains("może nie móc rozmawiać"));
}

#[test]
fn im_safe_follows_up_only_where_the_alert_may_have_arrived() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    let obs = Arc::new(Recorder::default());
    a.set_observer(Some(obs.clone()));
    let ok = a
        .add_contact(&webhook_contact("Reached", &rx.url("/ok")))
        .unwrap();
    let port = Receiver::free_port().unwrap();
    let never = a
        .add_contact(&webhook_contact(
            "Unreachable",
            &format!("http://127.0.0.1:{port}/x"),
        ))
        .unwrap();
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    // Only the first contact's delivery gets sent before "I'm safe": the
    // second fails once (refused), so it may have... no: refused means it
    // never arrived, but a failed attempt counts as "may have" only for
    // timeouts. We model it simply: attempts > 0 gets a follow-up.
    a.flush_outbox().unwrap();
    let third = a
        .add_contact(&webhook_contact("Late", &rx.url("/late")))
        .unwrap();
    let second = a.trigger(&TriggerRequest::button()).unwrap();
    let resolved = a.resolve(&second.id).unwrap();
    // Nothing of the second alert was attempted: all cancelled, no follow-up.
    assert_eq!(resolved.state, AlertState::Resolved);
    assert!(resolved
        .deliveries
        .iter()
        .all(|d| d.state == DeliveryState::Cancelled && d.kind == MessageKind::Alert));
    let resolved = a.resolve(&alert.id).unwrap();
    let safe: Vec<&DeliveryStatus> = resolved
        .deliveries
        .iter()
        .filter(|d| d.kind == MessageKind::Safe)
        .collect();
    let safe_contacts: HashSet<&str> = safe.iter().map(|d| d.contact_id.as_str()).collect();
    assert!(safe_contacts.contains(ok.id.as_str()));
    assert!(
        safe_contacts.contains(never.id.as_str()),
        "attempted once: may have arrived"
    );
    assert!(!safe_contacts.contains(third.id.as_str()));
    // The unreachable alert delivery is cancelled, not retried.
    let alert_for_never = resolved
        .deliveries
        .iter()
        .find(|d| d.kind == MessageKind::Alert && d.contact_id == never.id)
        .unwrap();
    assert_eq!(alert_for_never.state, DeliveryState::Cancelled);
    // Resolving twice does nothing more.
    assert_eq!(
        a.resolve(&alert.id).unwrap().deliveries.len(),
        resolved.deliveries.len()
    );
    drain(&env, &a, 200);
    let safe_bodies: Vec<serde_json::Value> = rx
        .requests()
        .iter()
        .filter(|r| r.path == "/ok")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(safe_bodies.len(), 2);
    assert_eq!(safe_bodies[1]["type"], "safe");
    assert!(safe_bodies[1]["message"]
        .as_str()
        .unwrap()
        .contains("is safe. The alert of 2026-03-28 22:00 UTC is over."));
    assert!(rx.requests().iter().all(|r| r.path != "/late"));
    assert!(obs
        .events()
        .iter()
        .any(|e| matches!(e, AlertEvent::Resolved { alert_id } if *alert_id == alert.id)));
}

#[test]
fn location_follow_ups_are_rate_limited_and_coalesced() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    a.add_contact(&webhook_contact("A", &rx.url("/a"))).unwrap();
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    a.flush_outbox().unwrap();
    // The first fix after a location-less alert goes at once.
    let u = a
        .update_location(&alert.id, Location::new(50.06143, 19.93658))
        .unwrap();
    assert_eq!(u.queued.len(), 1);
    assert_eq!(u.queued[0].kind, MessageKind::Location);
    a.flush_outbox().unwrap();
    env.advance(10);
    let u2 = a
        .update_location(&alert.id, Location::new(50.0620, 19.9370))
        .unwrap();
    assert!(u2.queued.is_empty());
    assert_eq!(
        u2.deferred_until,
        Some(start_time() + chrono::Duration::seconds(60))
    );
    env.advance(5);
    let u3 = a
        .update_location(&alert.id, Location::new(50.0630, 19.9380))
        .unwrap();
    assert_eq!(u3.deferred_until, u2.deferred_until);
    assert_eq!(a.next_wakeup().unwrap(), u2.deferred_until);
    assert_eq!(a.flush_outbox().unwrap().attempted, 0, "not yet");
    env.advance(50);
    a.flush_outbox().unwrap();
    let bodies: Vec<serde_json::Value> = rx
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(types, vec!["alert", "location", "location"]);
    assert_eq!(bodies[2]["location"]["latitude"], 50.063, "the newest one");
    assert!(matches!(
        a.update_location(&alert.id, Location::new(200.0, 0.0)),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn missed_check_in_fires_after_a_restart() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    a.add_contact(&webhook_contact("A", &rx.url("/a"))).unwrap();
    let c = a
        .start_checkin(&CheckinRequest {
            deadline: CheckinDeadline::In(chrono::Duration::minutes(90)),
            grace: Some(chrono::Duration::minutes(10)),
            note: Some("New client, Hotel Esplanade".into()),
            location: None,
        })
        .unwrap();
    assert_eq!(c.state, CheckinState::Active);
    assert_eq!(c.fires_at, start_time() + chrono::Duration::minutes(100));
    assert_eq!(a.next_wakeup().unwrap(), Some(c.fires_at));
    assert!(matches!(
        a.start_checkin(&CheckinRequest {
            deadline: CheckinDeadline::In(chrono::Duration::minutes(5)),
            grace: None,
            note: None,
            location: None,
        }),
        Err(Error::InvalidInput(_))
    ));
    drop(a);
    // The phone was off through the deadline.
    env.advance(3 * 3600);
    let a = env.alerts();
    let obs = Arc::new(Recorder::default());
    a.set_observer(Some(obs.clone()));
    // Events raised while opening reach the first observer.
    assert!(matches!(
        obs.events().first(),
        Some(AlertEvent::Fired {
            reason: AlertReason::MissedCheckIn,
            ..
        })
    ));
    let c = a.checkin().unwrap().unwrap();
    assert_eq!(c.state, CheckinState::Missed);
    let alert_id = c.alert_id.clone().unwrap();
    let r = a.flush_outbox().unwrap();
    assert_eq!(r.delivered, 1);
    let body: serde_json::Value = serde_json::from_slice(&rx.requests()[0].body).unwrap();
    assert_eq!(body["reason"], "missed_check_in");
    assert_eq!(body["note"], "New client, Hotel Esplanade");
    assert_eq!(body["alert_id"], alert_id.as_str());
    assert!(matches!(a.check_in(), Err(Error::NotFound(_))));
    assert_eq!(a.active_alerts().unwrap().len(), 1);
    a.resolve(&alert_id).unwrap();
    assert!(a.active_alerts().unwrap().is_empty());
}

#[test]
fn check_in_extend_done_and_cancel() {
    let env = Env::new();
    let a = env.alerts();
    assert!(
        matches!(
            a.start_checkin(&CheckinRequest {
                deadline: CheckinDeadline::In(chrono::Duration::minutes(30)),
                grace: None,
                note: None,
                location: None,
            }),
            Err(Error::NotFound(_))
        ),
        "no contact for missed check-ins"
    );
    a.add_contact(&ContactInput {
        name: "A".into(),
        phone: Some("+31612345678".into()),
        ..ContactInput::default()
    })
    .unwrap();
    let c = a
        .start_checkin(&CheckinRequest {
            deadline: CheckinDeadline::In(chrono::Duration::minutes(30)),
            grace: None,
            note: None,
            location: None,
        })
        .unwrap();
    let e = a.extend_checkin(chrono::Duration::minutes(15)).unwrap();
    assert_eq!(e.deadline, c.deadline + chrono::Duration::minutes(15));
    // In the grace period, extending counts from now.
    env.advance(47 * 60);
    let e = a.extend_checkin(chrono::Duration::minutes(10)).unwrap();
    assert_eq!(e.deadline, env.clock.now() + chrono::Duration::minutes(10));
    assert!(a.extend_checkin(chrono::Duration::days(8)).is_err());
    assert_eq!(a.check_in().unwrap().state, CheckinState::Done);
    assert!(matches!(a.check_in(), Err(Error::NotFound(_))));
    env.advance(3600);
    assert_eq!(a.flush_outbox().unwrap().fired, 0);
    a.start_checkin(&CheckinRequest {
        deadline: CheckinDeadline::At(env.clock.now() + chrono::Duration::hours(2)),
        grace: Some(chrono::Duration::zero()),
        note: None,
        location: None,
    })
    .unwrap();
    assert_eq!(a.cancel_checkin().unwrap().state, CheckinState::Cancelled);
    env.advance(3 * 3600);
    assert_eq!(a.flush_outbox().unwrap().fired, 0);
    assert!(a.active_alerts().unwrap().is_empty());
}

#[test]
fn check_in_deadlines_are_exact_across_europes_dst_changes() {
    use chrono_tz::Europe::Amsterdam;
    // Spring forward (29 March 2026, 01:00 UTC) and fall back (25 October 2026, 01:00 UTC).
    for (start, local) in [
        (
            Utc.with_ymd_and_hms(2026, 3, 29, 0, 15, 0)
                .single()
                .unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 29)
                .unwrap()
                .and_hms_opt(3, 30, 0)
                .unwrap(),
        ),
        (
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 15, 0)
                .single()
                .unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 25)
                .unwrap()
                .and_hms_opt(2, 30, 0)
                .unwrap(),
        ),
    ] {
        for deadline in [
            CheckinDeadline::In(chrono::Duration::hours(2)),
            CheckinDeadline::At(checkin::local_deadline(local, Amsterdam).unwrap()),
        ] {
            let env = Env::at(start);
            let a = env.alerts();
            a.add_contact(&ContactInput {
                name: "A".into(),
                phone: Some("+31612345678".into()),
                ..ContactInput::default()
            })
            .unwrap();
            let c = a
                .start_checkin(&CheckinRequest {
                    deadline,
                    grace: Some(chrono::Duration::minutes(5)),
                    note: None,
                    location: None,
                })
                .unwrap();
            let expected = match deadline {
                CheckinDeadline::In(d) => start + d,
                CheckinDeadline::At(t) => t,
            };
            assert_eq!(c.deadline, expected);
            // Walk the fake clock minute by minute across the change.
            let mut fired_at = None;
            for _ in 0..(4 * 60) {
                env.advance(60);
                if a.flush_outbox().unwrap().fired > 0 {
                    fired_at = Some(env.clock.now());
                    break;
                }
            }
            assert_eq!(
                fired_at,
                Some(expected + chrono::Duration::minutes(5)),
                "start {start}, {deadline:?}"
            );
        }
    }
    // Spring forward: 03:30 local is 01:30 UTC; fall back: 02:30 is the earlier, 00:30 UTC.
    assert_eq!(
        checkin::local_deadline(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 29)
                .unwrap()
                .and_hms_opt(3, 30, 0)
                .unwrap(),
            Amsterdam
        )
        .unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0)
            .single()
            .unwrap()
    );
}

#[test]
fn rows_left_sending_by_a_crash_go_back_to_the_queue() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    a.add_contact(&webhook_contact("A", &rx.url("/a"))).unwrap();
    let alert = a.trigger(&TriggerRequest::button()).unwrap();
    // Simulate a crash mid-send: claim the row, then drop the engine.
    let profile = env.profile();
    let claimed = profile
        .store()
        .transaction(|tx| {
            outbox::claim(
                tx,
                profile.device_key(),
                env.clock.now(),
                env.clock.now(),
                Duration::from_secs(3600),
                10,
            )
        })
        .unwrap();
    assert_eq!(claimed.0.len(), 1);
    assert_eq!(
        a.status(&alert.id).unwrap().deliveries[0].state,
        DeliveryState::Sending
    );
    drop(a);
    drop(profile);
    let a = env.alerts();
    assert_eq!(
        a.status(&alert.id).unwrap().deliveries[0].state,
        DeliveryState::Queued
    );
    assert_eq!(a.flush_outbox().unwrap().delivered, 1);
}

#[test]
fn concurrent_flushes_send_each_delivery_once() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    rx.set_default(Fault::Slow(Duration::from_millis(20)));
    let a = Arc::new(env.alerts());
    for i in 0..5 {
        a.add_contact(&webhook_contact(&format!("C{i}"), &rx.url("/c")))
            .unwrap();
    }
    for _ in 0..6 {
        a.trigger(&TriggerRequest::button()).unwrap();
    }
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let a = a.clone();
            std::thread::spawn(move || a.flush_outbox().unwrap())
        })
        .collect();
    let total: u32 = threads
        .into_iter()
        .map(|t| t.join().unwrap().delivered)
        .sum();
    assert_eq!(total, 30);
    assert_eq!(rx.requests().len(), 30, "no row was sent twice");
    assert_eq!(rx.applied().len(), 30);
}

#[test]
fn push_uses_the_token_header_and_plain_text() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    let c = a
        .add_contact(&ContactInput {
            name: "N".into(),
            language: "uk".into(),
            push_url: Some(rx.url("/parasol-topic")),
            push_token: Some("tk_abc123".into()),
            ..ContactInput::default()
        })
        .unwrap();
    let t = a.test_contact(&c.id).unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(
        (t[0].kind, t[0].alert_id.clone()),
        (MessageKind::Test, None)
    );
    a.trigger(&TriggerRequest::button()).unwrap();
    a.flush_outbox().unwrap();
    let reqs = rx.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.header("authorization"), Some("Bearer tk_abc123"));
        assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
        assert!(r.idempotency_key.is_some());
    }
    let body = |prefix: &str| {
        reqs.iter()
            .find(|r| String::from_utf8_lossy(&r.body).starts_with(prefix))
            .unwrap_or_else(|| panic!("no body starting with {prefix}"))
    };
    assert_eq!(body("Тест:").header("priority"), Some("low"));
    assert_eq!(body("ТРИВОГА:").header("priority"), Some("urgent"));
}

#[test]
fn bad_trigger_input_is_a_typed_error_and_stores_nothing() {
    let env = Env::new();
    let a = env.alerts();
    assert!(matches!(
        a.trigger(&TriggerRequest::button()),
        Err(Error::NotFound(_))
    ));
    a.add_contact(&ContactInput {
        name: "A".into(),
        phone: Some("+31612345678".into()),
        ..ContactInput::default()
    })
    .unwrap();
    let huge = "x".repeat(10 * 1024 * 1024);
    for req in [
        TriggerRequest {
            note: Some(huge),
            ..TriggerRequest::button()
        },
        TriggerRequest {
            location: Some(Location::new(f64::NAN, 0.0)),
            ..TriggerRequest::button()
        },
        TriggerRequest {
            mode: AlertMode::Countdown { seconds: 0 },
            ..TriggerRequest::button()
        },
    ] {
        assert!(matches!(a.trigger(&req), Err(Error::InvalidInput(_))));
    }
    assert!(a.recent_alerts(10).unwrap().is_empty());
    assert!(a.set_sender_name(Some("bad\u{202E}name")).is_err());
    assert!(a
        .set_settings(AlertSettings {
            parallelism: 0,
            ..AlertSettings::default()
        })
        .is_err());
}

#[test]
fn wipe_removes_everything() {
    let env = Env::new();
    let a = env.alerts();
    a.set_sender_name(Some("Ana")).unwrap();
    a.add_contact(&ContactInput {
        name: "A".into(),
        phone: Some("+31612345678".into()),
        ..ContactInput::default()
    })
    .unwrap();
    a.trigger(&TriggerRequest::button()).unwrap();
    a.wipe().unwrap();
    assert!(a.contacts().unwrap().is_empty());
    assert!(a.recent_alerts(10).unwrap().is_empty());
    assert_eq!(a.sender_name().unwrap(), None);
    assert_eq!(a.next_wakeup().unwrap(), None);
}

#[test]
fn a_damaged_row_never_blocks_other_alerts() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    a.add_contact(&webhook_contact("A", &rx.url("/a"))).unwrap();
    let first = a.trigger(&TriggerRequest::button()).unwrap();
    let countdown = a
        .trigger(&TriggerRequest {
            mode: AlertMode::Countdown { seconds: 5 },
            ..TriggerRequest::button()
        })
        .unwrap();
    drop(a);
    // Damage one alert row and one delivery row on disk.
    let profile = env.profile();
    profile
        .store()
        .with(|c| {
            c.execute(
                "UPDATE alert_alerts SET sealed = x'00' WHERE id = ?1",
                [&countdown.id],
            )?;
            c.execute(
                "UPDATE alert_outbox SET sealed = x'01' WHERE alert_id = ?1",
                [&first.id],
            )?;
            Ok(())
        })
        .unwrap();
    drop(profile);
    env.advance(10);
    let a = env.alerts();
    let r = a.flush_outbox().unwrap();
    assert_eq!(r.failed, 1, "the unreadable delivery is reported failed");
    let again = a.trigger(&TriggerRequest::button()).unwrap();
    assert_eq!(a.flush_outbox().unwrap().delivered, 1);
    assert_eq!(
        a.status(&again.id).unwrap().deliveries[0].state,
        DeliveryState::Delivered
    );
    assert_eq!(
        a.status(&countdown.id).unwrap_err().kind(),
        crate::ErrorKind::Crypto
    );
}

mod code_phrase;
mod redirects;
mod retention;
