//! Alert benchmarks (`cargo bench -p parasol-core --bench alerts`):
//!
//! 1. Trigger-to-durably-queued latency (p50/p99) of an immediate alert to
//!    3 contacts x 2 channels (6 sealed deliveries + the sealed alert, one
//!    transaction), against a bare SQLite insert of one 512-byte blob per
//!    transaction with the same durability settings (WAL, synchronous=FULL),
//!    interleaved in the same run so both see the same disk.
//! 2. The same latency as a series over history: 10, 100, 1,000 and 10,000
//!    alerts already stored (each with its 6 deliveries), against a bare
//!    durable insert into a table holding as many rows, interleaved. The
//!    alert measured is removed again (untimed) so the size stays put, and
//!    both sides get the passive WAL checkpoint that the app's flush after
//!    each trigger runs (untimed).
//! 3. Outbox flush throughput against the loopback receiver.
//! 4. With a Synapse on loopback (`PARASOL_SYNAPSE_URL`, scripts/bench.sh
//!    starts one when installed): round trips of the server-held timers as the
//!    app makes them (arm = start a check-in, restart = hold keep-alive,
//!    cancel = check in; each with its local transaction) and of one Matrix
//!    message, against a bare `GET /_matrix/client/versions` to the same server.

use parasol_core::alerts::receiver::Receiver;
use parasol_core::alerts::{AlertSettings, Alerts, ContactInput, TriggerRequest};
use parasol_core::config::Config;
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use parasol_core::store;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn profile(dir: &std::path::Path) -> Arc<Profile> {
    let keys = SoftwareKeyStore::open(&dir.join("keys.bin")).expect("key store");
    let mut config = Config::new(dir.join("p"));
    config.http.allow_insecure_loopback = true;
    Arc::new(Profile::open(config, Arc::new(keys)).expect("profile"))
}

fn latency(rounds: usize) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let alerts = Alerts::open(profile(tmp.path())).expect("alerts");
    for i in 0..3 {
        alerts
            .add_contact(&ContactInput {
                name: format!("Contact {i}"),
                phone: Some(format!("+3161234567{i}")),
                webhook_url: Some(format!("https://relay{i}.example.org/hook")),
                ..ContactInput::default()
            })
            .expect("contact");
    }
    let bare = store::open_connection(&tmp.path().join("bare.db")).expect("bare db");
    bare.execute_batch(
        "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL, sealed BLOB NOT NULL) STRICT",
    )
    .expect("table");
    let blob = vec![0x5au8; 512];
    let request = TriggerRequest {
        note: Some("Meeting a new client at the hotel on the corner, room 12".into()),
        ..TriggerRequest::button()
    };
    let (mut t_bare, mut t_trigger) = (Vec::new(), Vec::new());
    for i in 0..rounds + 10 {
        let t0 = Instant::now();
        bare.execute_batch("BEGIN IMMEDIATE").expect("begin");
        bare.execute(
            "INSERT INTO t(id, sealed) VALUES (?1, ?2)",
            rusqlite::params![format!("{i:032x}"), blob],
        )
        .expect("insert");
        bare.execute_batch("COMMIT").expect("commit");
        let d_bare = t0.elapsed();
        let t1 = Instant::now();
        let status = alerts.trigger(&request).expect("trigger");
        let d_trigger = t1.elapsed();
        assert_eq!(status.deliveries.len(), 6);
        if i >= 10 {
            t_bare.push(d_bare);
            t_trigger.push(d_trigger);
        }
    }
    t_bare.sort();
    t_trigger.sort();
    let (b50, b99) = (percentile(&t_bare, 0.5), percentile(&t_bare, 0.99));
    let (a50, a99) = (percentile(&t_trigger, 0.5), percentile(&t_trigger, 0.99));
    println!("trigger-to-durably-queued latency, {rounds} rounds (6 deliveries per alert):");
    println!(
        "  bare SQLite insert (WAL, synchronous=FULL): p50 {:.3} ms, p99 {:.3} ms",
        ms(b50),
        ms(b99)
    );
    println!(
        "  alert trigger:                              p50 {:.3} ms, p99 {:.3} ms",
        ms(a50),
        ms(a99)
    );
    println!(
        "  ratio trigger / bare insert:                p50 {:.2}x, p99 {:.2}x",
        a50.as_secs_f64() / b50.as_secs_f64(),
        a99.as_secs_f64() / b99.as_secs_f64()
    );
    println!(
        "FIGURE|panic trigger to durably queued (6 deliveries)|p50 {:.3} ms, p99 {:.3} ms|bare durable SQLite insert|p50 {:.3} ms, p99 {:.3} ms|p50 {:.2}x, p99 {:.2}x",
        ms(a50),
        ms(a99),
        ms(b50),
        ms(b99),
        a50.as_secs_f64() / b50.as_secs_f64(),
        a99.as_secs_f64() / b99.as_secs_f64()
    );
}

/// p50 and p99 of `samples` (sorted in place).
fn p50_p99(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    (percentile(samples, 0.5), percentile(samples, 0.99))
}

/// Trigger latency with `size` alerts already stored, next to a bare durable
/// insert into a table of `size` rows; `rounds` interleaved samples each.
fn latency_at(size: usize, rounds: usize) -> ((Duration, Duration), (Duration, Duration)) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = profile(tmp.path());
    let alerts = Alerts::open(p.clone()).expect("alerts");
    for i in 0..3 {
        alerts
            .add_contact(&ContactInput {
                name: format!("Contact {i}"),
                phone: Some(format!("+3161234567{i}")),
                webhook_url: Some(format!("https://relay{i}.example.org/hook")),
                ..ContactInput::default()
            })
            .expect("contact");
    }
    let request = TriggerRequest {
        note: Some("Meeting a new client at the hotel on the corner, room 12".into()),
        ..TriggerRequest::button()
    };
    let bare = store::open_connection(&tmp.path().join("bare.db")).expect("bare db");
    bare.execute_batch(
        "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL, sealed BLOB NOT NULL) STRICT",
    )
    .expect("table");
    let blob = vec![0x5au8; 512];
    // Fill both without fsync (untimed), then restore full durability.
    let sync = |v: &str| {
        p.store()
            .with(|c| Ok(c.execute_batch(&format!("PRAGMA synchronous = {v}"))?))
            .expect("pragma");
        bare.execute_batch(&format!("PRAGMA synchronous = {v}"))
            .expect("pragma");
    };
    sync("OFF");
    bare.execute_batch("BEGIN").expect("begin");
    for i in 0..size {
        alerts.trigger(&request).expect("trigger");
        bare.execute(
            "INSERT INTO t(id, sealed) VALUES (?1, ?2)",
            rusqlite::params![hex_id(), blob],
        )
        .expect("insert");
        if i % 1000 == 999 {
            bare.execute_batch("COMMIT; BEGIN").expect("commit");
        }
    }
    bare.execute_batch("COMMIT").expect("commit");
    sync("FULL");
    if let Ok(extra) = std::env::var("PARASOL_BENCH_PRAGMAS") {
        for pragma in extra.split(';').filter(|x| !x.is_empty()) {
            p.store()
                .with(|c| Ok(c.execute_batch(&format!("PRAGMA {pragma}"))?))
                .expect("pragma");
            bare.execute_batch(&format!("PRAGMA {pragma}"))
                .expect("pragma");
        }
    }
    let (mut t_bare, mut t_trigger) = (Vec::new(), Vec::new());
    for i in 0..rounds + 10 {
        let id = hex_id();
        let t0 = Instant::now();
        bare.execute_batch("BEGIN IMMEDIATE").expect("begin");
        bare.execute(
            "INSERT INTO t(id, sealed) VALUES (?1, ?2)",
            rusqlite::params![id, blob],
        )
        .expect("insert");
        bare.execute_batch("COMMIT").expect("commit");
        let d_bare = t0.elapsed();
        let t1 = Instant::now();
        let status = alerts.trigger(&request).expect("trigger");
        let d_trigger = t1.elapsed();
        assert_eq!(status.deliveries.len(), 6);
        // Back to `size` rows on both sides (untimed).
        bare.execute("DELETE FROM t WHERE id = ?1", [&id])
            .expect("delete");
        p.store()
            .transaction(|tx| {
                tx.execute("DELETE FROM alert_outbox WHERE alert_id = ?1", [&status.id])?;
                tx.execute("DELETE FROM alert_alerts WHERE id = ?1", [&status.id])?;
                Ok(())
            })
            .expect("remove");
        // The app flushes after every trigger, and the flush moves the WAL
        // into the database (a passive checkpoint): do the same (untimed) on
        // both sides, so neither pays a checkpoint inside the timed part.
        p.store().checkpoint_passive().expect("checkpoint");
        bare.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .expect("checkpoint");
        if i >= 10 {
            t_bare.push(d_bare);
            t_trigger.push(d_trigger);
        }
    }
    (p50_p99(&mut t_bare), p50_p99(&mut t_trigger))
}

fn hex_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The series over history sizes (targets: p99 within 2x of the bare insert
/// at every size; the largest size within 1.2x of the smallest).
fn latency_series(sizes: &[usize], rounds: usize) {
    println!("trigger latency over history ({rounds} rounds per size, 6 deliveries per alert):");
    println!("  stored alerts | bare insert p50 / p99 | trigger p50 / p99 | ratio p50 / p99");
    let mut first_p99 = None;
    for &size in sizes {
        let ((b50, b99), (a50, a99)) = latency_at(size, rounds);
        let r50 = a50.as_secs_f64() / b50.as_secs_f64();
        let r99 = a99.as_secs_f64() / b99.as_secs_f64();
        let base = *first_p99.get_or_insert(a99);
        println!(
            "  {size:>13} | {:.3} / {:.3} ms | {:.3} / {:.3} ms | {r50:.2}x / {r99:.2}x | p99 vs first size {:.2}x",
            ms(b50),
            ms(b99),
            ms(a50),
            ms(a99),
            a99.as_secs_f64() / base.as_secs_f64()
        );
        println!(
            "FIGURE|panic trigger to durably queued, {size} alerts stored|p50 {:.3} ms, p99 {:.3} ms|bare durable insert, {size} rows|p50 {:.3} ms, p99 {:.3} ms|p50 {r50:.2}x, p99 {r99:.2}x",
            ms(a50),
            ms(a99),
            ms(b50),
            ms(b99)
        );
    }
}

/// Baseline: the same number of bare HTTP POSTs (one JSON body, an
/// idempotency key each) from the core's HTTP client to the same kind of
/// loopback receiver, one after the other, with no database at all.
fn bare_posts(n: usize) -> f64 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rx = Receiver::start().expect("receiver");
    let p = profile(tmp.path());
    let body = br#"{"type":"alert","version":1,"message":"benchmark"}"#.to_vec();
    let t0 = Instant::now();
    for i in 0..n {
        let key = format!("{i:032x}");
        let r = p
            .http()
            .post_json(
                &rx.url("/bare"),
                body.clone(),
                &[("Idempotency-Key", key.as_str())],
                1024,
            )
            .expect("post");
        assert!(r.status < 300);
    }
    let rate = n as f64 / t0.elapsed().as_secs_f64();
    println!("bare HTTP POSTs, {n} to 127.0.0.1, one at a time: {rate:.0} requests/s");
    rate
}

fn throughput(deliveries: usize, parallelism: usize) -> f64 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rx = Receiver::start().expect("receiver");
    let p = profile(tmp.path());
    let alerts = Alerts::open(p.clone()).expect("alerts");
    alerts
        .set_settings(AlertSettings {
            parallelism,
            flush_limit: deliveries * 2,
            ..AlertSettings::default()
        })
        .expect("settings");
    let contacts = 10;
    for i in 0..contacts {
        alerts
            .add_contact(&ContactInput {
                name: format!("C{i}"),
                webhook_url: Some(rx.url(&format!("/c{i}"))),
                ..ContactInput::default()
            })
            .expect("contact");
    }
    for _ in 0..deliveries / contacts {
        alerts.trigger(&TriggerRequest::button()).expect("trigger");
    }
    let t0 = Instant::now();
    let report = alerts.flush_outbox().expect("flush");
    let took = t0.elapsed();
    assert_eq!(report.delivered as usize, deliveries);
    assert_eq!(rx.applied().len(), deliveries);
    println!(
        "outbox flush, {deliveries} webhook deliveries to 127.0.0.1, parallelism {parallelism}: \
         {:.0} ms, {:.0} deliveries/s",
        ms(took),
        deliveries as f64 / took.as_secs_f64()
    );
    deliveries as f64 / took.as_secs_f64()
}

fn matrix_round_trips(rounds: usize) {
    use parasol_core::alerts::matrix::testkit::Synapse;
    use parasol_core::alerts::{CheckinDeadline, CheckinRequest, HoldRequest};
    use parasol_core::http::{Method, Request};
    let Some(hs) = Synapse::from_env() else {
        println!("matrix round trips: skipped (no PARASOL_SYNAPSE_URL)");
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = profile(tmp.path());
    let alerts = Alerts::open(p.clone()).expect("alerts");
    let me = hs.register("bench");
    let friend = hs.register("bench-friend");
    alerts
        .matrix_login(&hs.url, &me.user_id, &me.password)
        .expect("login");
    alerts
        .add_contact(&ContactInput {
            name: "F".into(),
            matrix_id: Some(friend.user_id.clone()),
            ..ContactInput::default()
        })
        .expect("contact");
    alerts.set_hold_pin(Some(b"1234")).expect("pin");
    // The room exists before anything is timed.
    alerts
        .test_contact(&alerts.contacts().expect("contacts")[0].id)
        .expect("test");
    alerts.flush_outbox().expect("flush");
    let (mut bare, mut arm, mut cancel, mut restart, mut message) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let url = format!("{}/_matrix/client/versions", hs.url);
    alerts
        .hold_start(&HoldRequest {
            delay: Duration::from_secs(600),
            ..HoldRequest::default()
        })
        .expect("hold");
    for _ in 0..rounds {
        let t = Instant::now();
        p.http()
            .request(Request {
                method: Method::Get,
                url: &url,
                bearer: None,
                json: None,
                max_bytes: 64 * 1024,
            })
            .expect("versions");
        bare.push(t.elapsed());
        let t = Instant::now();
        let s = alerts
            .start_checkin(&CheckinRequest {
                deadline: CheckinDeadline::In(chrono::Duration::hours(1)),
                grace: None,
                note: None,
                location: None,
            })
            .expect("arm");
        arm.push(t.elapsed());
        assert_eq!(s.server_timer.expect("timer").state.as_str(), "armed");
        let t = Instant::now();
        let s = alerts.check_in().expect("cancel");
        cancel.push(t.elapsed());
        assert_eq!(s.server_timer.expect("timer").state.as_str(), "cancelled");
        let t = Instant::now();
        alerts.hold_keep_alive().expect("restart");
        restart.push(t.elapsed());
        let a = alerts.trigger(&TriggerRequest::button()).expect("trigger");
        let t = Instant::now();
        alerts.flush_outbox().expect("send");
        message.push(t.elapsed());
        alerts.resolve(&a.id).expect("resolve");
        alerts.flush_outbox().expect("safe");
    }
    alerts.hold_release().expect("release");
    alerts.hold_confirm(b"1234").expect("confirm");
    let (b50, b99) = p50_p99(&mut bare);
    println!("matrix round trips to Synapse on 127.0.0.1, {rounds} rounds:");
    println!(
        "  bare GET /versions:          p50 {:.2} ms, p99 {:.2} ms",
        ms(b50),
        ms(b99)
    );
    for (name, samples) in [
        ("arm (start check-in)", &mut arm),
        ("restart (hold keep-alive)", &mut restart),
        ("cancel (check in)", &mut cancel),
        ("one message (flush)", &mut message),
    ] {
        let (a50, a99) = p50_p99(samples);
        println!(
            "  {name:<27}  p50 {:.2} ms, p99 {:.2} ms ({:.1}x bare p50)",
            ms(a50),
            ms(a99),
            a50.as_secs_f64() / b50.as_secs_f64()
        );
        println!(
            "FIGURE|Matrix {name}, local Synapse|p50 {:.2} ms, p99 {:.2} ms|bare GET to the same server|p50 {:.2} ms, p99 {:.2} ms|p50 {:.1}x",
            ms(a50),
            ms(a99),
            ms(b50),
            ms(b99),
            a50.as_secs_f64() / b50.as_secs_f64()
        );
    }
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then.
    let quick = !std::env::args().any(|a| a == "--bench");
    latency(if quick { 20 } else { 300 });
    let sizes: &[usize] = match std::env::var("PARASOL_BENCH_ALERT_SIZES") {
        Ok(v) => &*Box::leak(
            v.split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect::<Vec<usize>>()
                .into_boxed_slice(),
        ),
        Err(_) if quick => &[10, 100],
        Err(_) => &[10, 100, 1_000, 10_000],
    };
    latency_series(sizes, if quick { 20 } else { 1000 });
    matrix_round_trips(if quick { 5 } else { 100 });
    let n = if quick { 50 } else { 500 };
    let bare = bare_posts(n);
    let one = throughput(n, 1);
    let eight = throughput(n, 8);
    println!(
        "FIGURE|outbox flush to a loopback server, parallelism 1|{one:.0} deliveries/s|bare HTTP POSTs, one at a time|{bare:.0} requests/s|{:.2}x",
        one / bare
    );
    println!(
        "FIGURE|outbox flush to a loopback server, parallelism 8|{eight:.0} deliveries/s|bare HTTP POSTs, one at a time|{bare:.0} requests/s|{:.2}x",
        eight / bare
    );
}
