//! The Matrix channel and server-held timers against a real Synapse on
//! 127.0.0.1 (one per test run, started by scripts/test.sh). Every wait is
//! bounded. The scenarios that wait for real time run in parallel threads of
//! one test, so the suite waits about as long as its longest scenario.

use parasol_core::alerts::matrix::testkit::{Proxy, ProxyMode, Synapse, TestUser};
use parasol_core::alerts::matrix::{MatrixContactState, MatrixError};
use parasol_core::alerts::{
    AlertSettings, Alerts, CheckinDeadline, CheckinRequest, CheckinState, ContactInput,
    DeliveryState, HoldRequest, HoldState, RetryPolicy, ServerTimerState, TriggerRequest,
};
use parasol_core::config::Config;
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A profile signed in to the test homeserver (through `via`, default the
/// server itself) as a fresh user, with one Matrix contact.
struct World {
    _dir: tempfile::TempDir,
    alerts: Alerts,
    contact: TestUser,
    contact_id: String,
}

fn alerts(dir: &std::path::Path, timeout: Duration) -> Alerts {
    let keys = SoftwareKeyStore::open(&dir.join("keys.bin")).unwrap();
    let mut config = Config::new(dir.join("p"));
    config.http.allow_insecure_loopback = true;
    config.http.timeout = timeout;
    config.http.connect_timeout = Duration::from_secs(2);
    let a = Alerts::open(Arc::new(Profile::open(config, Arc::new(keys)).unwrap())).unwrap();
    a.set_settings(AlertSettings {
        retry: RetryPolicy {
            base: Duration::from_millis(200),
            cap: Duration::from_secs(2),
            ..RetryPolicy::default()
        },
        ..AlertSettings::default()
    })
    .unwrap();
    a
}

fn world(hs: &Synapse, via: Option<&str>) -> World {
    let dir = tempfile::tempdir().unwrap();
    let a = alerts(dir.path(), Duration::from_secs(5));
    let me = hs.register("worker");
    let contact = hs.register("friend");
    a.set_sender_name(Some("Ana")).unwrap();
    a.matrix_login(via.unwrap_or(&hs.url), &me.user_id, &me.password)
        .unwrap();
    let c = a
        .add_contact(&ContactInput {
            name: "Friend".into(),
            matrix_id: Some(contact.user_id.clone()),
            ..ContactInput::default()
        })
        .unwrap();
    World {
        _dir: dir,
        alerts: a,
        contact,
        contact_id: c.id,
    }
}

/// Flushes until nothing is pending (bounded).
fn drain(a: &Alerts, within: Duration) {
    let end = Instant::now() + within;
    while Instant::now() < end {
        if a.flush_outbox().unwrap().pending == 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the outbox did not drain in {within:?}");
}

fn at(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + chrono::Duration::seconds(secs)
}

fn checkin_at(a: &Alerts, secs: i64, note: &str) -> parasol_core::alerts::CheckinStatus {
    a.start_checkin(&CheckinRequest {
        deadline: CheckinDeadline::At(at(secs)),
        grace: Some(chrono::Duration::zero()),
        note: Some(note.into()),
        location: None,
    })
    .unwrap()
}

#[test]
fn an_alert_reaches_the_contact_once_despite_retries_and_a_lost_answer() {
    let Some(hs) = Synapse::from_env() else {
        return;
    };
    let proxy = Proxy::start(hs.port());
    let w = world(&hs, Some(&proxy.url()));
    let a = &w.alerts;
    // The room is made and the contact invited with the first message.
    let t = a.test_contact(&w.contact_id).unwrap();
    drain(a, Duration::from_secs(20));
    let d = a.delivery(&t[0].id).unwrap();
    assert_eq!(d.state, DeliveryState::Delivered);
    assert!(
        d.last_error.unwrap_or_default().contains("not joined"),
        "the contact has not accepted the invitation yet"
    );
    let st = a.matrix_status(true).unwrap();
    assert_eq!(st.rooms[0].state, MatrixContactState::Invited);
    // The homeserver stores the alert, but its answer is lost: retried with
    // the same transaction id, it is still one message.
    proxy.set(ProxyMode::SwallowPutAnswers);
    let alert = a
        .trigger(&TriggerRequest {
            note: Some("Hotel Damrak room 12".into()),
            ..TriggerRequest::button()
        })
        .unwrap();
    let r = a.flush_outbox().unwrap();
    assert_eq!((r.delivered, r.retrying), (0, 1), "{r:?}");
    proxy.set(ProxyMode::Forward);
    drain(a, Duration::from_secs(20));
    a.flush_outbox().unwrap();
    let got = hs.wait_for(
        &w.contact,
        "Hotel Damrak room 12",
        1,
        Duration::from_secs(5),
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("ALERT: Ana needs help."), "{}", got[0]);
    // Flushing again sends nothing more.
    a.flush_outbox().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        hs.texts(&w.contact)
            .iter()
            .filter(|t| t.contains("room 12"))
            .count(),
        1
    );
    let st = a.status(&alert.id).unwrap();
    assert_eq!(st.deliveries[0].state, DeliveryState::Delivered);
    assert!(st.deliveries[0].attempts >= 2, "it was retried");
    // "I'm safe" follows.
    a.resolve(&alert.id).unwrap();
    drain(a, Duration::from_secs(20));
    assert_eq!(
        hs.wait_for(&w.contact, "Ana is safe", 1, Duration::from_secs(5))
            .len(),
        1
    );
}

#[test]
fn typed_errors_and_nothing_lost() {
    let Some(hs) = Synapse::from_env() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = alerts(dir.path(), Duration::from_secs(3));
    let me = hs.register("worker");
    // Nothing that speaks Matrix there.
    let rx = parasol_core::alerts::receiver::Receiver::start().unwrap();
    rx.set_default(parasol_core::alerts::receiver::Fault::Status(404));
    assert!(matches!(
        a.matrix_login(&rx.url(""), &me.user_id, &me.password),
        Err(MatrixError::UnknownHomeserver(_))
    ));
    assert!(matches!(
        a.matrix_login("https://user:pw@example.org", &me.user_id, &me.password),
        Err(MatrixError::UnknownHomeserver(_))
    ));
    // A wrong password, then the server's real rate limit on failed logins.
    let mut limited = None;
    for _ in 0..6 {
        match a.matrix_login(&hs.url, &me.user_id, "wrong password") {
            Err(MatrixError::WrongPassword) => {}
            Err(MatrixError::RateLimited { retry_after_ms }) => {
                limited = Some(retry_after_ms);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(limited.is_some_and(|ms| ms > 0), "{limited:?}");
    assert!(matches!(a.matrix_status(false), Ok(s) if s.user_id.is_none()));

    // Sending under a rate limit: the retry waits what the server says,
    // and every message arrives once.
    let w = world(&hs, None);
    let a = &w.alerts;
    a.test_contact(&w.contact_id).unwrap();
    drain(a, Duration::from_secs(20));
    hs.accept_invites(&w.contact);
    let me = hs.register("limited");
    drop(w.alerts);
    let dir2 = tempfile::tempdir().unwrap();
    let a = alerts(dir2.path(), Duration::from_secs(3));
    a.matrix_login(&hs.url, &me.user_id, &me.password).unwrap();
    a.add_contact(&ContactInput {
        name: "Friend".into(),
        matrix_id: Some(w.contact.user_id.clone()),
        ..ContactInput::default()
    })
    .unwrap();
    hs.rate_limit(&me, 1, 1);
    let first = a
        .trigger(&TriggerRequest {
            note: Some("limit one".into()),
            ..TriggerRequest::button()
        })
        .unwrap();
    let second = a
        .trigger(&TriggerRequest {
            note: Some("limit two".into()),
            ..TriggerRequest::button()
        })
        .unwrap();
    a.set_settings(AlertSettings {
        parallelism: 1,
        ..a.settings()
    })
    .unwrap();
    a.flush_outbox().unwrap();
    let states: Vec<_> = [&first, &second]
        .iter()
        .map(|s| a.status(&s.id).unwrap().deliveries[0].clone())
        .collect();
    let waiting: Vec<_> = states
        .iter()
        .filter(|d| d.state == DeliveryState::Queued)
        .collect();
    assert!(!waiting.is_empty(), "one send was rate limited: {states:?}");
    for d in waiting {
        assert!(
            d.last_error
                .as_deref()
                .unwrap_or("")
                .contains("rate limited"),
            "{d:?}"
        );
        assert!(d.next_attempt_at.is_some());
    }
    drain(&a, Duration::from_secs(30));
    for s in [&first, &second] {
        let d = &a.status(&s.id).unwrap().deliveries[0];
        assert_eq!(d.state, DeliveryState::Delivered, "{d:?}");
    }
    for note in ["limit one", "limit two"] {
        assert_eq!(
            hs.wait_for(&w.contact, note, 1, Duration::from_secs(5))
                .len(),
            1,
            "{note}"
        );
    }

    // The contact left the room: the status says so, the next alert goes to
    // a new room with a new invitation, and it is read there.
    hs.rate_limit(&me, 0, 0);
    hs.accept_invites(&w.contact);
    hs.leave_all(&w.contact);
    let st = a.matrix_status(true).unwrap();
    assert_eq!(st.rooms[0].state, MatrixContactState::Left);
    let alert = a
        .trigger(&TriggerRequest {
            note: Some("after leaving".into()),
            ..TriggerRequest::button()
        })
        .unwrap();
    drain(&a, Duration::from_secs(20));
    let d = &a.status(&alert.id).unwrap().deliveries[0];
    assert_eq!(d.state, DeliveryState::Delivered);
    assert!(
        d.last_error
            .as_deref()
            .unwrap_or("")
            .contains("left the room"),
        "{d:?}"
    );
    assert_eq!(
        a.matrix_status(true).unwrap().rooms[0].state,
        MatrixContactState::Invited
    );
    assert_eq!(
        hs.wait_for(&w.contact, "after leaving", 1, Duration::from_secs(5))
            .len(),
        1
    );

    // Signing out: refused while a timer is held, then server-side and local.
    a.start_checkin(&CheckinRequest {
        deadline: CheckinDeadline::In(chrono::Duration::hours(2)),
        grace: None,
        note: None,
        location: None,
    })
    .unwrap();
    assert_eq!(
        a.checkin().unwrap().unwrap().server_timer.unwrap().state,
        ServerTimerState::Armed
    );
    assert!(a.matrix_logout().is_err());
    a.cancel_checkin().unwrap();
    assert_eq!(
        a.checkin().unwrap().unwrap().server_timer.unwrap().state,
        ServerTimerState::Cancelled
    );
    assert!(a.matrix_logout().unwrap().server_side);
    assert!(matches!(a.matrix_logout(), Err(MatrixError::NotSignedIn)));
}

/// A check-in 12 s ahead; the user checks in at once: nothing arrives.
fn check_in_in_time(hs: &Synapse) {
    let w = world(hs, None);
    let s = checkin_at(&w.alerts, 12, "checked in early");
    assert_eq!(s.server_timer.unwrap().state, ServerTimerState::Armed);
    let done = w.alerts.check_in().unwrap();
    assert_eq!(done.state, CheckinState::Done);
    assert_eq!(
        done.server_timer.unwrap().state,
        ServerTimerState::Cancelled
    );
    std::thread::sleep(Duration::from_secs(12 + 15));
    assert!(hs
        .texts(&w.contact)
        .iter()
        .all(|t| !t.contains("checked in early")));
}

/// A check-in 12 s ahead, moved to 26 s: it arrives after the new deadline only.
fn extend_moves_the_server_timer(hs: &Synapse) {
    let w = world(hs, None);
    let start = Instant::now();
    checkin_at(&w.alerts, 12, "extended once");
    let s = w.alerts.extend_checkin_to(at(26)).unwrap();
    assert_eq!(s.server_timer.unwrap().state, ServerTimerState::Armed);
    // Nothing before the new deadline (the old one passes meanwhile).
    while start.elapsed() < Duration::from_secs(24) {
        assert!(
            hs.texts(&w.contact)
                .iter()
                .all(|t| !t.contains("extended once")),
            "arrived early, after {:?}",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_secs(2));
    }
    let got = hs.wait_for(&w.contact, "extended once", 1, Duration::from_secs(16));
    assert_eq!(got.len(), 1, "after {:?}: {got:?}", start.elapsed());
    assert!(
        got[0].contains("did not check in") || got[0].contains("check"),
        "{}",
        got[0]
    );
}

/// Homeserver down when the check-in starts: pending, armed once it is back.
fn down_at_start_then_armed(hs: &Synapse) {
    let proxy = Proxy::start(hs.port());
    let w = world(hs, Some(&proxy.url()));
    proxy.set(ProxyMode::Down);
    let s = checkin_at(&w.alerts, 3600, "down at start");
    assert_eq!(s.state, CheckinState::Active, "the check-in starts anyway");
    let t = s.server_timer.unwrap();
    assert_eq!(t.state, ServerTimerState::Pending);
    assert!(t.last_error.is_some());
    assert!(w.alerts.next_wakeup().unwrap().is_some());
    proxy.set(ProxyMode::Forward);
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        w.alerts.flush_outbox().unwrap();
        let t = w.alerts.checkin().unwrap().unwrap().server_timer.unwrap();
        if t.state == ServerTimerState::Armed {
            break;
        }
        assert!(Instant::now() < end, "not armed: {t:?}");
        std::thread::sleep(Duration::from_millis(300));
    }
    w.alerts.cancel_checkin().unwrap();
}

/// Hold: keep-alives keep it back; when they stop it arrives within the delay.
fn hold_stops_restarting(hs: &Synapse) {
    let w = world(hs, None);
    w.alerts.set_hold_pin(Some(b"2468")).unwrap();
    let s = w
        .alerts
        .hold_start(&HoldRequest {
            delay: Duration::from_secs(10),
            note: Some("hold dropped".into()),
            ..HoldRequest::default()
        })
        .unwrap();
    assert_eq!(s.state, HoldState::Holding);
    assert_eq!(s.keep_alive_every, Duration::from_secs(10) / 3);
    assert_eq!(s.server_timer.unwrap().state, ServerTimerState::Armed);
    for _ in 0..4 {
        std::thread::sleep(Duration::from_secs(3));
        let s = w.alerts.hold_keep_alive().unwrap();
        assert_eq!(s.server_timer.unwrap().state, ServerTimerState::Armed);
    }
    // 12 s of keep-alives: past the first delay, nothing was sent.
    assert!(hs
        .texts(&w.contact)
        .iter()
        .all(|t| !t.contains("hold dropped")));
    let last = Instant::now();
    // The phone dies: no more keep-alives, no flush.
    let got = hs.wait_for(&w.contact, "hold dropped", 1, Duration::from_secs(20));
    let took = last.elapsed();
    assert_eq!(got.len(), 1);
    assert!(
        took >= Duration::from_secs(8) && took <= Duration::from_secs(18),
        "arrived {took:?} after the last keep-alive"
    );
}

/// Hold: released and confirmed with the PIN, nothing arrives; a wrong PIN changes nothing.
fn hold_released_and_confirmed(hs: &Synapse) {
    let w = world(hs, None);
    w.alerts.set_hold_pin(Some(b"1357")).unwrap();
    w.alerts
        .hold_start(&HoldRequest {
            delay: Duration::from_secs(10),
            note: Some("hold confirmed".into()),
            ..HoldRequest::default()
        })
        .unwrap();
    w.alerts.hold_keep_alive().unwrap();
    let r = w.alerts.hold_release().unwrap();
    assert_eq!(r.state, HoldState::Released);
    assert!(w.alerts.hold_confirm(b"0000").is_err());
    assert_eq!(w.alerts.hold().unwrap().unwrap().state, HoldState::Released);
    let done = w.alerts.hold_confirm(b"1357").unwrap();
    assert_eq!(done.state, HoldState::Done);
    assert_eq!(
        done.server_timer.unwrap().state,
        ServerTimerState::Cancelled
    );
    std::thread::sleep(Duration::from_secs(10 + 10));
    w.alerts.flush_outbox().unwrap();
    assert!(hs
        .texts(&w.contact)
        .iter()
        .all(|t| !t.contains("hold confirmed")));
}

/// The server fires, then the phone's own timer: one message; "I'm safe" follows.
fn both_fire_one_alert(hs: &Synapse) {
    let w = world(hs, None);
    checkin_at(&w.alerts, 6, "both sides fire");
    let got = hs.wait_for(&w.contact, "both sides fire", 1, Duration::from_secs(20));
    assert_eq!(got.len(), 1);
    // The phone comes back: its own timer fires the same alert.
    let r = w.alerts.flush_outbox().unwrap();
    assert_eq!(r.fired, 1);
    drain(&w.alerts, Duration::from_secs(20));
    let c = w.alerts.checkin().unwrap().unwrap();
    assert_eq!(c.state, CheckinState::Missed);
    assert_eq!(c.server_timer.unwrap().state, ServerTimerState::Fired);
    let alert = w.alerts.status(c.alert_id.as_deref().unwrap()).unwrap();
    assert_eq!(alert.deliveries[0].state, DeliveryState::Delivered);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        hs.texts(&w.contact)
            .iter()
            .filter(|t| t.contains("both sides fire"))
            .count(),
        1,
        "one alert, not two"
    );
    w.alerts.resolve(&alert.id).unwrap();
    drain(&w.alerts, Duration::from_secs(20));
    assert_eq!(
        hs.wait_for(&w.contact, "Ana is safe", 1, Duration::from_secs(5))
            .len(),
        1
    );
}

/// The phone's timer fires first (its clock is ahead): it asks the server to
/// send the held message now; the server's own time later sends nothing more.
fn phone_first_one_alert(hs: &Synapse) {
    let w = world(hs, None);
    checkin_at(&w.alerts, 8, "phone fires first");
    // The phone's deadline passes for the phone when its flush runs after
    // the deadline; here the deadline is real, so wait for it but flush at
    // once, before the server's delay has run out on its side.
    std::thread::sleep(Duration::from_millis(8200));
    let r = w.alerts.flush_outbox().unwrap();
    assert_eq!(r.fired, 1);
    drain(&w.alerts, Duration::from_secs(20));
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(
        hs.texts(&w.contact)
            .iter()
            .filter(|t| t.contains("phone fires first"))
            .count(),
        1
    );
}

/// One scenario of [`server_held_timers`].
type Scenario = fn(&Synapse);

#[test]
fn server_held_timers() {
    let Some(hs) = Synapse::from_env() else {
        return;
    };
    let scenarios: [(&str, Scenario); 7] = [
        ("check in in time", check_in_in_time),
        ("extend", extend_moves_the_server_timer),
        ("down at start", down_at_start_then_armed),
        ("hold stops restarting", hold_stops_restarting),
        ("hold confirmed", hold_released_and_confirmed),
        ("both fire", both_fire_one_alert),
        ("phone first", phone_first_one_alert),
    ];
    let failed: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = scenarios
            .iter()
            .map(|(name, f)| (name, s.spawn(|| f(&hs))))
            .collect();
        handles
            .into_iter()
            .filter_map(|(name, h)| h.join().is_err().then(|| name.to_string()))
            .collect()
    });
    assert!(failed.is_empty(), "failed scenarios: {failed:?}");
}
