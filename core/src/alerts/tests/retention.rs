//! Retention (issue 16): nothing is removed before its time, everything
//! idle is removed after it, a crash in the middle leaves every alert whole or
//! gone, rows from before the migration are covered, and an insert never
//! scans the tables.

use super::*;
use crate::alerts::retention::{fail_point, DEFAULT_RETENTION};

const DAY: i64 = 24 * 3600;

fn table_count(a: &Alerts, table: &str) -> i64 {
    a.profile
        .store()
        .with(|c| Ok(c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?))
        .unwrap()
}

/// A profile with one of each kind of history, all finished at the start time:
/// a resolved alert, a cancelled countdown, a fired alert never resolved, a
/// test message and a finished check-in.
fn history(env: &Env, rx: &Receiver) -> (Alerts, Vec<String>) {
    let a = env.alerts();
    let c = a.add_contact(&webhook_contact("W", &rx.url("/w"))).unwrap();
    let resolved = a
        .trigger(&TriggerRequest {
            location: Some(Location::new(52.37, 4.89)),
            ..TriggerRequest::button()
        })
        .unwrap();
    let cancelled = a
        .trigger(&TriggerRequest {
            mode: AlertMode::Countdown { seconds: 60 },
            ..TriggerRequest::button()
        })
        .unwrap();
    a.cancel(&cancelled.id).unwrap();
    let unresolved = a.trigger(&TriggerRequest::button()).unwrap();
    a.test_contact(&c.id).unwrap();
    a.flush_outbox().unwrap();
    a.resolve(&resolved.id).unwrap();
    a.flush_outbox().unwrap();
    a.start_checkin(&CheckinRequest {
        deadline: CheckinDeadline::In(chrono::Duration::hours(1)),
        grace: None,
        note: Some("note".into()),
        location: None,
    })
    .unwrap();
    a.check_in().unwrap();
    assert_eq!(a.flush_outbox().unwrap().pending, 0);
    (a, vec![resolved.id, cancelled.id, unresolved.id])
}

#[test]
fn nothing_is_removed_before_its_time_and_everything_after() {
    // Everything happens at 22:10; `idle_since` rounds that up to 23:00.
    let env = Env::at(start_time() + chrono::Duration::minutes(10));
    let rx = Receiver::start().unwrap();
    let (a, ids) = history(&env, &rx);
    let r = DEFAULT_RETENTION.as_secs() as i64;
    env.advance(r - 60);
    assert_eq!(a.prune().unwrap(), PruneReport::default());
    env.advance(60 + 50 * 60 - 1);
    assert_eq!(a.prune().unwrap(), PruneReport::default());
    for id in &ids {
        assert!(a.status(id).is_ok(), "{id} kept");
    }
    assert_eq!(
        a.checkin().unwrap().map(|c| c.state),
        Some(CheckinState::Done)
    );
    env.advance(1);
    let report = a.prune().unwrap();
    assert_eq!(
        report,
        PruneReport {
            alerts: 3,
            // alert + safe to W for the resolved one, one for the unresolved
            // one, and the test message.
            deliveries: 4,
            checkins: 1,
        }
    );
    for id in &ids {
        assert_eq!(a.status(id).unwrap_err().kind(), crate::ErrorKind::NotFound);
    }
    assert_eq!(table_count(&a, "alert_alerts"), 0);
    assert_eq!(table_count(&a, "alert_outbox"), 0);
    assert!(a.checkin().unwrap().is_none());
    assert_eq!(a.contacts().unwrap().len(), 1, "contacts stay");
    // Crypto-shredded: the WAL was truncated and no freed page keeps a row.
    let wal = env.dir.path().join("p").join("parasol.db-wal");
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
    let db = std::fs::read(env.dir.path().join("p").join("parasol.db")).unwrap();
    for id in &ids {
        assert!(
            !String::from_utf8_lossy(&db).contains(id.as_str()),
            "{id} still in the file"
        );
    }
}

#[test]
fn waiting_work_and_running_countdowns_are_never_removed() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    rx.pause();
    let a = env.alerts();
    a.set_settings(AlertSettings {
        retry: RetryPolicy {
            max_age: Duration::from_secs(20 * 24 * 3600),
            cap: Duration::from_secs(3600),
            ..fast_settings().retry
        },
        ..fast_settings()
    })
    .unwrap();
    a.add_contact(&webhook_contact("W", &rx.url("/w"))).unwrap();
    let waiting = a.trigger(&TriggerRequest::button()).unwrap();
    a.flush_outbox().unwrap();
    env.advance(10 * DAY);
    assert_eq!(a.prune().unwrap().alerts, 0, "a delivery is still retrying");
    assert!(a.status(&waiting.id).is_ok());
    // Once it is delivered, it waits a whole retention period from then.
    rx.resume();
    drain(&env, &a, 20);
    env.advance(DAY);
    assert_eq!(a.prune().unwrap().alerts, 0);
    env.advance(7 * DAY);
    assert_eq!(a.prune().unwrap().alerts, 1);
}

#[test]
fn a_crash_in_the_middle_leaves_each_alert_whole_or_gone() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    a.add_contact(&webhook_contact("W", &rx.url("/w"))).unwrap();
    a.add_contact(&webhook_contact("V", &rx.url("/v"))).unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let s = a.trigger(&TriggerRequest::button()).unwrap();
        a.flush_outbox().unwrap();
        a.resolve(&s.id).unwrap();
        a.flush_outbox().unwrap();
        ids.push(s.id);
        env.advance(3600);
    }
    env.advance(DEFAULT_RETENTION.as_secs() as i64 + 7200);
    fail_point::arm(1);
    let err = a.prune().unwrap_err();
    assert!(err.to_string().contains("injected"), "{err}");
    let deliveries = |id: &str| {
        a.profile
            .store()
            .with(|c| {
                Ok(c.query_row(
                    "SELECT COUNT(*) FROM alert_outbox WHERE alert_id = ?1",
                    [id],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .unwrap()
    };
    // The first went completely, the second (the crash) and third are whole.
    assert!(a.status(&ids[0]).is_err());
    assert_eq!(deliveries(&ids[0]), 0);
    for id in &ids[1..] {
        let s = a.status(id).unwrap();
        assert_eq!(s.deliveries.len(), 4, "alert and safe to two contacts");
        assert_eq!(deliveries(id), 4);
    }
    let report = a.prune().unwrap();
    assert_eq!((report.alerts, report.deliveries), (2, 8));
    assert_eq!(table_count(&a, "alert_alerts"), 0);
    assert_eq!(table_count(&a, "alert_outbox"), 0);
}

#[test]
fn flushes_sweep_by_themselves_at_most_hourly() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let (a, ids) = history(&env, &rx);
    env.advance(DEFAULT_RETENTION.as_secs() as i64 + 7200);
    a.flush_outbox().unwrap();
    assert!(a.status(&ids[0]).is_err(), "the first flush swept");
    // A shorter retention is honoured; a period below a day is refused.
    let s = a.trigger(&TriggerRequest::button()).unwrap();
    a.flush_outbox().unwrap();
    a.set_settings(AlertSettings {
        retention: Duration::from_secs(2 * 24 * 3600),
        ..fast_settings()
    })
    .unwrap();
    assert!(a
        .set_settings(AlertSettings {
            retention: Duration::from_secs(3600),
            ..fast_settings()
        })
        .is_err());
    env.advance(2 * DAY + 7200);
    a.flush_outbox().unwrap();
    assert!(a.status(&s.id).is_err(), "swept after two days");
}

#[test]
fn rows_from_before_the_migration_are_swept_too() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let (a, ids) = history(&env, &rx);
    drop(a);
    // Turn the file back into a schema-3 file holding the same rows.
    let path = env.dir.path().join("p").join("parasol.db");
    {
        let c = crate::store::open_connection(&path).unwrap();
        c.execute_batch(
            "DROP INDEX alert_alerts_seq; DROP INDEX alert_outbox_seq;
             DROP INDEX alert_contacts_seq; DROP INDEX alert_outbox_idle;
             ALTER TABLE alert_alerts DROP COLUMN idle_since;
             ALTER TABLE alert_outbox DROP COLUMN idle_since;
             DROP TABLE alert_timers;
             ALTER TABLE journal_records DROP COLUMN summary;
             ALTER TABLE journal_meta DROP COLUMN header_mac;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let a = env.alerts();
    assert_eq!(
        a.profile.store().schema_version().unwrap(),
        crate::store::current_schema_version()
    );
    let nulls: i64 = a
        .profile
        .store()
        .with(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM alert_alerts WHERE idle_since IS NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(nulls, 3, "upgraded rows start without idle_since");
    // Before their time: filled in, kept.
    env.advance(DAY);
    assert_eq!(a.prune().unwrap(), PruneReport::default());
    env.advance(DEFAULT_RETENTION.as_secs() as i64);
    let report = a.prune().unwrap();
    assert_eq!((report.alerts, report.deliveries), (3, 4));
    for id in &ids {
        assert!(a.status(id).is_err());
    }
}

#[test]
fn inserts_read_the_seq_indexes_not_the_tables() {
    let env = Env::new();
    let a = env.alerts();
    for (table, index) in [
        ("alert_alerts", "alert_alerts_seq"),
        ("alert_outbox", "alert_outbox_seq"),
        ("alert_contacts", "alert_contacts_seq"),
    ] {
        let plan: Vec<String> = a
            .profile
            .store()
            .with(|c| {
                let mut stmt = c.prepare(&format!(
                    "EXPLAIN QUERY PLAN SELECT IFNULL(MAX(seq), 0) + 1 FROM {table}"
                ))?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<std::result::Result<_, _>>()?)
            })
            .unwrap();
        assert!(plan.iter().any(|p| p.contains(index)), "{table}: {plan:?}");
        assert!(
            !plan.iter().any(|p| p.starts_with("SCAN")),
            "{table}: {plan:?}"
        );
    }
}
