//! The alert commands end to end: `--json` contracts, exit codes, the
//! desktop SMS channel, and a loopback receiver.

use parasol_core::alerts::receiver::{Fault, Receiver};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_parasol"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--json")
        .args(args)
        .env("PARASOL_SMS_OUT", dir.join("sms.txt"))
        .env_remove("PARASOL_PUSH_TOKEN")
        .output()
        .unwrap();
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

fn check_alert_contract(v: &serde_json::Value) {
    assert!(v["alert_id"].is_string());
    assert!(v["state"].is_string());
    for d in v["deliveries"].as_array().unwrap() {
        for k in ["contact_id", "channel", "state", "idempotency_key"] {
            assert!(d[k].is_string(), "{k} in {d}");
        }
    }
}

#[test]
fn panic_trigger_status_safe_and_flush() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let rx = Receiver::start().unwrap();
    let url = rx.url("/hook");
    // Plain http needs the flag.
    let r = run(dir, &["contacts", "add", "--name", "W", "--webhook", &url]);
    assert_eq!(r.code, 2);
    let err: serde_json::Value = serde_json::from_str(&r.stderr).unwrap();
    assert_eq!(err["error"], "invalid_input");
    let w = json(&run(
        dir,
        &[
            "--allow-insecure-loopback",
            "contacts",
            "add",
            "--name",
            "W",
            "--webhook",
            &url,
        ],
    ));
    let s = json(&run(
        dir,
        &[
            "contacts",
            "add",
            "--name",
            "S",
            "--phone",
            "+46701234567",
            "--lang",
            "sv",
        ],
    ));
    assert_eq!(s["language"], "sv");
    for bad in [
        "+46 70 ABC",
        "+4670*123",
        "#31612345678",
        "+31\u{200b}612345678",
    ] {
        let r = run(dir, &["contacts", "add", "--name", "X", "--phone", bad]);
        assert_eq!(r.code, 2, "{bad}");
    }
    let list = json(&run(dir, &["contacts", "list"]));
    assert_eq!(list.as_array().unwrap().len(), 2);

    // The receiver is down: the alert is queued, not lost.
    rx.pause();
    let t = json(&run(
        dir,
        &[
            "--allow-insecure-loopback",
            "panic",
            "trigger",
            "--lat",
            "59.33",
            "--lon",
            "18.07",
            "--note",
            "room 4",
        ],
    ));
    check_alert_contract(&t);
    assert_eq!(t["state"], "fired");
    let id = t["alert_id"].as_str().unwrap().to_owned();
    let by_channel = |v: &serde_json::Value, ch: &str| {
        v["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["channel"] == ch && d["kind"] == "alert")
            .unwrap()
            .clone()
    };
    assert_eq!(by_channel(&t, "webhook")["state"], "queued");
    assert_eq!(by_channel(&t, "webhook")["contact_id"], w["id"]);
    assert_eq!(by_channel(&t, "sms")["state"], "needs_user_action");
    let sms = std::fs::read_to_string(dir.join("sms.txt")).unwrap();
    assert!(sms.contains("SMS NOT SENT"));
    assert!(sms.contains("LARM:"));
    rx.resume();
    // Retries are due after a backoff of up to 5 s.
    let mut delivered = false;
    for _ in 0..40 {
        let f = json(&run(dir, &["--allow-insecure-loopback", "outbox", "flush"]));
        assert!(f["pending"].is_u64());
        let st = json(&run(dir, &["panic", "status", &id]));
        check_alert_contract(&st);
        if by_channel(&st, "webhook")["state"] == "delivered" {
            delivered = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    assert!(delivered);
    let key = by_channel(&t, "webhook")["idempotency_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(rx.applied().contains_key(&key));

    let l = json(&run(
        dir,
        &[
            "--allow-insecure-loopback",
            "panic",
            "locate",
            &id,
            "--lat",
            "59.34",
            "--lon",
            "18.08",
        ],
    ));
    check_alert_contract(&l);
    let safe = json(&run(
        dir,
        &["--allow-insecure-loopback", "panic", "safe", &id],
    ));
    assert_eq!(safe["state"], "resolved");
    assert!(safe["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "safe" && d["channel"] == "webhook" && d["state"] == "delivered"));
    assert_eq!(run(dir, &["panic", "status", "0123456789abcdef"]).code, 3);
    let tick = json(&run(dir, &["tick"]));
    assert!(tick["attempted"].is_u64());
}

#[test]
fn countdown_cancel_and_checkin() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let rx = Receiver::start().unwrap();
    rx.set_default(Fault::None);
    json(&run(
        dir,
        &[
            "--allow-insecure-loopback",
            "contacts",
            "add",
            "--name",
            "W",
            "--webhook",
            &rx.url("/w"),
        ],
    ));
    let c = json(&run(dir, &["panic", "trigger", "--countdown", "30"]));
    assert_eq!(c["state"], "countdown");
    assert!(c["deliveries"].as_array().unwrap().is_empty());
    let id = c["alert_id"].as_str().unwrap();
    let x = json(&run(dir, &["panic", "cancel", id]));
    assert_eq!(x["state"], "cancelled");
    json(&run(dir, &["--allow-insecure-loopback", "tick"]));
    assert!(
        rx.requests().is_empty(),
        "a cancelled countdown sends nothing"
    );

    let s = json(&run(
        dir,
        &["checkin", "start", "--minutes", "60", "--note", "client"],
    ));
    assert_eq!(s["state"], "active");
    let e = json(&run(dir, &["checkin", "extend", "--minutes", "15"]));
    assert_ne!(e["deadline"], s["deadline"]);
    let d = json(&run(dir, &["checkin", "done"]));
    assert_eq!(d["state"], "done");
    let local = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let at = json(&run(
        dir,
        &[
            "checkin",
            "start",
            "--at",
            &local,
            "--tz",
            "Europe/Amsterdam",
        ],
    ));
    assert_eq!(at["state"], "active");
    assert_eq!(
        run(dir, &["checkin", "start", "--minutes", "5"]).code,
        2,
        "one at a time"
    );
    assert_eq!(run(dir, &["checkin", "start", "--at", "yesterday"]).code, 2);
}

/// Runs `parasol` with `stdin` fed to it and extra environment.
fn run_with(dir: &std::path::Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parasol"));
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("--json")
        .args(args)
        .env_remove("PARASOL_PUSH_TOKEN")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
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

#[test]
fn sms_out_is_private_and_numbers_and_notes_need_not_be_on_argv() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("profile");
    // The SMS file lives outside the (0700) profile folder, under umask 022.
    let outdir = tempfile::tempdir().unwrap();
    let sms = outdir.path().join("sms.txt");
    let sms_s = sms.to_str().unwrap();
    // The number comes from stdin, the note from a file.
    let c = json(&run_with(
        &dir,
        &["contacts", "add", "--name", "S", "--phone-file", "-"],
        "+46 70 123 45 67\n",
        &[],
    ));
    assert_eq!(c["phone"], "+46701234567");
    let note = outdir.path().join("note.txt");
    std::fs::write(&note, "Hotel Damrak, room 12\n").unwrap();
    let a = json(&run_with(
        &dir,
        &[
            "--sms-out",
            sms_s,
            "panic",
            "trigger",
            "--note-file",
            note.to_str().unwrap(),
        ],
        "",
        &[],
    ));
    check_alert_contract(&a);
    let mode = std::fs::metadata(&sms).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "sms-out mode {mode:o}");
    let text = std::fs::read_to_string(&sms).unwrap();
    assert!(text.contains("Note: Hotel Damrak, room 12"), "{text}");
    // An existing file that others could read is made private too.
    std::fs::set_permissions(&sms, std::fs::Permissions::from_mode(0o644)).unwrap();
    json(&run_with(
        &dir,
        &["--sms-out", sms_s, "panic", "trigger"],
        "",
        &[],
    ));
    let mode = std::fs::metadata(&sms).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "sms-out mode after reuse {mode:o}");
    // A check-in note from stdin.
    let s = json(&run_with(
        &dir,
        &["checkin", "start", "--minutes", "30", "--note-file", "-"],
        "Client at the station\n",
        &[],
    ));
    assert_eq!(s["state"], "active");
    // Giving both is refused.
    let r = run_with(
        &dir,
        &["panic", "trigger", "--note", "x", "--note-file", "-"],
        "y",
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    // The help says why.
    for sub in [
        &["contacts", "add", "--help"][..],
        &["panic", "trigger", "--help"][..],
        &["checkin", "start", "--help"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_parasol"))
            .args(sub)
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("visible to other local users"),
            "{sub:?}: {help}"
        );
    }
}

#[test]
fn tick_lists_the_check_in_reminders_and_the_alert_fires_only_at_the_end_of_grace() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let rx = Receiver::start().unwrap();
    let at = |t: &str| ["--now".to_string(), t.to_string()];
    let run_at = |t: &str, args: &[&str]| {
        let mut all: Vec<String> = at(t).to_vec();
        all.push("--allow-insecure-loopback".into());
        all.extend(args.iter().map(|s| s.to_string()));
        run(dir, &all.iter().map(String::as_str).collect::<Vec<_>>())
    };
    json(&run_at(
        "2026-05-12T20:00:00Z",
        &["contacts", "add", "--name", "W", "--webhook", &rx.url("/w")],
    ));
    let s = json(&run_at(
        "2026-05-12T20:00:00Z",
        &["checkin", "start", "--minutes", "30", "--grace", "5"],
    ));
    assert_eq!(s["state"], "active");
    assert_eq!(s["deadline"], "2026-05-12T20:30:00Z");
    assert_eq!(s["grace_ends"], "2026-05-12T20:35:00Z");
    let status = json(&run_at("2026-05-12T20:10:00Z", &["checkin", "status"]));
    for k in ["deadline", "grace_ends", "state"] {
        assert!(status[k].is_string(), "{k} in {status}");
    }
    let t = json(&run_at("2026-05-12T20:10:00Z", &["tick"]));
    assert_eq!(t["fired"], 0);
    let effects = t["effects"].as_array().unwrap();
    let find = |kind: &str, reason: Option<&str>| {
        effects
            .iter()
            .find(|e| e["kind"] == kind && reason.is_none_or(|r| e["reason"] == r))
            .unwrap_or_else(|| panic!("no {kind} {reason:?} in {effects:?}"))
    };
    assert_eq!(
        find("notify", Some("checkin-deadline"))["at"],
        status["deadline"]
    );
    assert_eq!(
        find("notify", Some("checkin-grace"))["at"],
        "2026-05-12T20:30:00Z"
    );
    assert_eq!(find("wakeup", None)["at"], status["grace_ends"]);
    assert_eq!(find("wakeup", None)["needs_network"], false);
    // In grace: still nothing sent.
    let t = json(&run_at("2026-05-12T20:34:59Z", &["tick"]));
    assert_eq!(t["fired"], 0);
    assert!(rx.requests().is_empty());
    // At the end of grace: the alert goes.
    let t = json(&run_at("2026-05-12T20:35:00Z", &["tick"]));
    assert_eq!(t["fired"], 1);
    assert_eq!(rx.requests().len(), 1);
    let status = json(&run_at("2026-05-12T20:35:01Z", &["checkin", "status"]));
    assert_eq!(status["state"], "missed");
    // A bad instant is refused.
    assert_eq!(run(dir, &["--now", "tomorrow", "tick"]).code, 2);
}
