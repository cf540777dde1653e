//! App benchmarks (`cargo bench -p parasol-core --bench app`): what one event
//! and one render cost as history grows. For 10, 1,000 and 10,000 closed
//! alerts (each with its cancelled deliveries) in the profile: the p50 of
//! `update(TimerElapsed)` + `view()` on the alert screen, which plans
//! wake-ups, network job and reminders, against the engine's own
//! `next_wakeup()` measured interleaved in the same run (the least any plan
//! must read). Flat ratios across sizes mean the cost does not grow with history.

use parasol_core::alerts::{Alerts, ContactInput, TriggerRequest};
use parasol_core::app::{App, Body, Capabilities, Event};
use parasol_core::config::Config;
use parasol_core::journal::{Journal, JournalOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn p50(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn run(history: usize, rounds: usize) -> (f64, f64) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = SoftwareKeyStore::open(&tmp.path().join("keys.bin")).expect("keys");
    let profile = Arc::new(
        Profile::open(Config::new(tmp.path().join("p")), Arc::new(keys)).expect("profile"),
    );
    let alerts = Arc::new(Alerts::open(profile.clone()).expect("alerts"));
    alerts
        .add_contact(&ContactInput {
            name: "Contact".into(),
            webhook_url: Some("https://relay.example.org/hook".into()),
            ..ContactInput::default()
        })
        .expect("contact");
    // Seeding only: no fsync per alert (the measured part runs as shipped).
    profile
        .store()
        .with(|c| Ok(c.execute_batch("PRAGMA synchronous=OFF")?))
        .expect("pragma");
    for _ in 0..history {
        let a = alerts.trigger(&TriggerRequest::button()).expect("trigger");
        alerts.resolve(&a.id).expect("resolve");
    }
    profile
        .store()
        .with(|c| Ok(c.execute_batch("PRAGMA synchronous=FULL")?))
        .expect("pragma");
    let journal = Arc::new(Journal::with_options(
        profile.clone(),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    ));
    let caps = Capabilities {
        silent_sms: true,
        sms_composer: true,
        exact_wakeups: true,
        launcher_disguise: true,
    };
    let app = App::new(profile, alerts.clone(), journal, caps).expect("app");
    app.update(Event::Started {
        permissions: vec![],
    });
    let (mut t_app, mut t_base) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t0 = Instant::now();
        alerts.next_wakeup().expect("next wake-up");
        t_base.push(t0.elapsed());
        let t1 = Instant::now();
        app.update(Event::TimerElapsed);
        let view = app.view();
        t_app.push(t1.elapsed());
        assert!(matches!(view.body, Body::Alert(_)));
    }
    (p50(t_app), p50(t_base))
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if quick {
        &[10, 100]
    } else {
        &[10, 1_000, 10_000]
    };
    for &n in sizes {
        let (app, base) = run(n, if quick { 20 } else { 200 });
        println!(
            "FIGURE|app event + render (alert screen), {n} alerts in history, p50|{app:.3} ms|engine next_wakeup, same run|{base:.3} ms|{:.1}x",
            app / base
        );
    }
}
