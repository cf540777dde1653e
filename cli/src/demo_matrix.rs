//! The demo's last part: the phone is taken during a check-in, and the
//! contact still gets the alert, from a local Matrix homeserver (Synapse).
//!
//! It uses the test run's Synapse when `PARASOL_SYNAPSE_URL` is set, else
//! starts a temporary one with scripts/synapse.sh when Synapse is installed
//! (`bash scripts/synapse.sh install`), and otherwise says how to get one.

use crate::output::Out;
use parasol_core::alerts::matrix::testkit::Synapse;
use parasol_core::alerts::{Alerts, CheckinDeadline, CheckinRequest, ContactInput};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The repository's Synapse script (the demo runs from a checkout).
fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/synapse.sh")
}

/// A Synapse started for the demo, stopped when dropped.
struct Started {
    dir: tempfile::TempDir,
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(self.dir.path())
            .output();
    }
}

/// The test run's server, or a temporary one, or the reason there is none.
fn homeserver() -> Result<(Synapse, Option<Started>), String> {
    if std::env::var("PARASOL_SYNAPSE_URL").is_ok() {
        if let Some(hs) = Synapse::from_env() {
            return Ok((hs, None));
        }
    }
    let script = script();
    let installed = script.exists()
        && Command::new("bash")
            .arg(&script)
            .arg("installed")
            .status()
            .is_ok_and(|s| s.success());
    if !installed {
        return Err(
            "no local Matrix homeserver is installed: run `bash scripts/synapse.sh install` \
                    once (about 30 s, from PyPI), then the demo again"
                .into(),
        );
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = Command::new("bash")
        .arg(&script)
        .arg("start")
        .arg(dir.path())
        .output()
        .map_err(|e| e.to_string())?;
    let started = Started { dir };
    if !out.status.success() {
        return Err(format!(
            "the local homeserver did not start: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((k, v)) = line.trim_start_matches("export ").split_once('=') {
            std::env::set_var(k, v);
        }
    }
    let hs = Synapse::from_env().ok_or("the homeserver did not say where it listens")?;
    Ok((hs, Some(started)))
}

/// Runs the scenario; returns its JSON summary.
pub fn phone_taken(out: &Out) -> parasol_core::Result<Value> {
    out.say("\n6. The phone is taken during a check-in (Matrix, a timer held by the server).");
    let (hs, _started) = match homeserver() {
        Ok(x) => x,
        Err(why) => {
            out.say(format!("   Skipped: {why}."));
            return Ok(json!({ "skipped": why }));
        }
    };
    let me = hs.register("demo-worker");
    let friend = hs.register("demo-friend");
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("phone");
    {
        let profile = Arc::new(crate::context::open_profile(dir.clone(), |c| {
            c.http.allow_insecure_loopback = true;
        })?);
        let alerts = Alerts::open(profile)?;
        alerts.set_sender_name(Some("Ana"))?;
        alerts
            .matrix_login(&hs.url, &me.user_id, &me.password)
            .map_err(parasol_core::Error::from)?;
        alerts.add_contact(&ContactInput {
            name: "Mira".into(),
            matrix_id: Some(friend.user_id.clone()),
            ..ContactInput::default()
        })?;
        out.say(format!(
            "   a) Signed in as {} on a local homeserver ({}); contact Mira is {}.",
            me.user_id, hs.url, friend.user_id
        ));
        let deadline = chrono::Utc::now() + chrono::Duration::seconds(15);
        let s = alerts.start_checkin(&CheckinRequest {
            deadline: CheckinDeadline::At(deadline),
            grace: Some(chrono::Duration::zero()),
            note: Some("Meeting a new client at Hotel Mira".into()),
            location: None,
        })?;
        out.say(format!(
            "   b) Check-in due at {} (15 s from now, no grace); the server holds the alert: {}.",
            s.deadline.format("%H:%M:%S UTC"),
            s.server_timer
                .as_ref()
                .map(|t| t.state.as_str())
                .unwrap_or("no server timer")
        ));
    }
    std::fs::remove_dir_all(&dir)?;
    out.say("   c) The phone is taken: the whole profile folder is deleted. No timer on the phone can run.");
    let start = Instant::now();
    let mut got = None;
    while start.elapsed() < Duration::from_secs(40) && got.is_none() {
        got = hs
            .texts(&friend)
            .into_iter()
            .find(|t| t.contains("Hotel Mira"));
        if got.is_none() {
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    match &got {
        Some(text) => out.say(format!(
            "   d) {:.0} s later Mira reads, in her Matrix room:\n   | {}",
            start.elapsed().as_secs_f64(),
            text.replace('\n', "\n   | ")
        )),
        None => out.say("   d) Nothing arrived within 40 s."),
    }
    Ok(json!({ "delivered": got.is_some() }))
}
