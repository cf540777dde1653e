//! The Matrix commands end to end against the test run's Synapse, and the
//! scenario the server-held timer exists for: the phone is taken (here: the
//! whole profile folder is deleted, so no local timer can ever run) and the
//! contact still reads the missed check-in alert, after the deadline and not
//! before.

use parasol_core::alerts::matrix::testkit::Synapse;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &std::path::Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parasol"));
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("--json")
        .arg("--allow-insecure-loopback")
        .args(args)
        .env_remove("PARASOL_MATRIX_PASSWORD")
        .env_remove("PARASOL_HOLD_PIN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(r: &Run) -> serde_json::Value {
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn the_phone_is_taken_and_the_missed_check_in_still_arrives() {
    let Some(hs) = Synapse::from_env() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("profile");
    let me = hs.register("worker");
    let friend = hs.register("friend");
    // A wrong password is a typed error; the password never goes on argv.
    let r = run(
        &dir,
        &[
            "matrix",
            "login",
            "--homeserver",
            &hs.url,
            "--user",
            &me.user_id,
        ],
        "",
        &[("PARASOL_MATRIX_PASSWORD", "not it")],
    );
    assert_ne!(r.code, 0);
    let err: serde_json::Value = serde_json::from_str(&r.stderr).unwrap();
    assert_eq!(err["error"], "wrong_passphrase", "{err}");
    let s = json(&run(
        &dir,
        &[
            "matrix",
            "login",
            "--homeserver",
            &hs.url,
            "--user",
            &me.user_id,
            "--password-stdin",
        ],
        &format!("{}\n", me.password),
        &[],
    ));
    assert_eq!(s["user_id"], me.user_id.as_str());
    assert!(s["max_delay_ms"].as_u64().unwrap() >= 3_600_000);
    let c = json(&run(
        &dir,
        &[
            "contacts",
            "add",
            "--name",
            "Friend",
            "--matrix",
            &friend.user_id,
        ],
        "",
        &[],
    ));
    assert_eq!(c["matrix"], friend.user_id.as_str());
    assert!(c["notices"][0]
        .as_str()
        .unwrap()
        .contains("not end-to-end encrypted"));
    // A check-in 20 s ahead (seconds in --at), no grace.
    let deadline = chrono::Utc::now() + chrono::Duration::seconds(20);
    let at = deadline.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let started = json(&run(
        &dir,
        &[
            "checkin",
            "start",
            "--at",
            &at,
            "--grace",
            "0",
            "--note",
            "Client at Hotel Mira",
        ],
        "",
        &[],
    ));
    assert_eq!(started["server_timer"]["state"], "armed", "{started}");
    let status = json(&run(&dir, &["checkin", "status"], "", &[]));
    assert_eq!(status["server_timer"]["state"], "armed");
    let fires: chrono::DateTime<chrono::Utc> = status["server_timer"]["fires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (fires - deadline).num_milliseconds().abs() < 1500,
        "{fires} vs {deadline}"
    );
    // The phone is taken: nothing of the profile is left.
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!dir.exists());
    let missed = |t: &String| t.contains("did not check in") && t.contains("Hotel Mira");
    while chrono::Utc::now() < deadline - chrono::Duration::milliseconds(1500) {
        assert!(
            !hs.texts(&friend).iter().any(missed),
            "arrived before the deadline"
        );
        std::thread::sleep(Duration::from_millis(700));
    }
    let t0 = Instant::now();
    let mut got = Vec::new();
    while t0.elapsed() < Duration::from_secs(20) && got.is_empty() {
        got = hs.texts(&friend).into_iter().filter(missed).collect();
        std::thread::sleep(Duration::from_millis(300));
    }
    let arrived = chrono::Utc::now();
    assert_eq!(got.len(), 1, "the contact reads the alert");
    assert!(
        arrived >= deadline - chrono::Duration::milliseconds(500),
        "{arrived} < {deadline}"
    );
    assert!(got[0].starts_with("ALERT:"), "{}", got[0]);
}

#[test]
fn hold_and_sign_out_from_the_command_line() {
    let Some(hs) = Synapse::from_env() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("profile");
    let me = hs.register("worker");
    let friend = hs.register("friend");
    json(&run(
        &dir,
        &[
            "matrix",
            "login",
            "--homeserver",
            &hs.url,
            "--user",
            &me.name,
        ],
        "",
        &[("PARASOL_MATRIX_PASSWORD", &me.password)],
    ));
    json(&run(
        &dir,
        &[
            "contacts",
            "add",
            "--name",
            "F",
            "--matrix",
            &friend.user_id,
        ],
        "",
        &[],
    ));
    // No PIN yet: refused.
    let r = run(&dir, &["panic", "hold", "start", "--delay", "60"], "", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    json(&run(
        &dir,
        &["panic", "hold", "pin", "--pin-stdin"],
        "4826\n",
        &[],
    ));
    let h = json(&run(
        &dir,
        &["panic", "hold", "start", "--delay", "60"],
        "",
        &[],
    ));
    assert_eq!(h["state"], "holding");
    assert_eq!(h["server_timer"]["state"], "armed");
    assert_eq!(h["keep_alive_every_ms"], 20_000);
    let h = json(&run(&dir, &["panic", "hold", "keep-alive"], "", &[]));
    assert_eq!(h["server_timer"]["state"], "armed");
    // A wrong PIN: the hold stays let go, the alert still pending.
    let r = run(
        &dir,
        &["panic", "hold", "release"],
        "",
        &[("PARASOL_HOLD_PIN", "0000")],
    );
    assert_ne!(r.code, 0);
    let h = json(&run(&dir, &["panic", "hold", "status"], "", &[]));
    assert_eq!(h["state"], "released");
    let h = json(&run(
        &dir,
        &["panic", "hold", "release", "--pin-stdin"],
        "4826\n",
        &[],
    ));
    assert_eq!(h["state"], "done");
    assert_eq!(h["server_timer"]["state"], "cancelled");
    let st = json(&run(&dir, &["matrix", "status"], "", &[]));
    assert_eq!(
        st["contacts"][0]["state"], "invited",
        "the hold made the room"
    );
    let out = json(&run(&dir, &["matrix", "logout"], "", &[]));
    assert_eq!(out["server_side"], true);
    let st = json(&run(&dir, &["matrix", "status", "--offline"], "", &[]));
    assert!(st["user_id"].is_null());
}

#[test]
fn the_demo_shows_the_phone_taken_scenario() {
    let Some(_hs) = Synapse::from_env() else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_parasol"))
        .args(["--json", "demo"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["phone_taken"]["delivered"], true, "{v}");
}
