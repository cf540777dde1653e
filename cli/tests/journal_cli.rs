//! `parasol journal` end to end: the JSON contracts of the issue, passphrases
//! only from the environment or stdin, typed exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn parasol(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parasol"));
    cmd.arg("--data-dir").arg(dir).arg("--json").args(args);
    cmd.env_remove("PARASOL_PASSPHRASE")
        .env_remove("PARASOL_NEW_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn journal_commands_and_json_contracts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let pw = [("PARASOL_PASSPHRASE", "cli pass")];
    json(&parasol(&dir, &pw, &["journal", "init"], None));
    let file = tmp.path().join("photo.jpg");
    std::fs::write(&file, b"jpegbytes").unwrap();
    let added = json(&parasol(
        &dir,
        &pw,
        &[
            "journal",
            "add",
            "--kind",
            "incident",
            "--title",
            "van",
            "--body",
            "grey van",
            "--tag",
            "a",
            "--tag",
            "b",
            "--attach",
            file.to_str().unwrap(),
            "--who",
            "tall man",
        ],
        None,
    ));
    let id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(
        added.as_object().unwrap().len(),
        1,
        "add prints only the id"
    );
    // Body from stdin, passphrase from the environment.
    json(&parasol(
        &dir,
        &pw,
        &[
            "journal",
            "add",
            "--kind",
            "note",
            "--title",
            "n",
            "--body-file",
            "-",
        ],
        Some("from stdin"),
    ));
    let list = json(&parasol(&dir, &pw, &["journal", "list"], None));
    let arr = list.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    for item in arr {
        let mut keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["created_at", "id", "kind", "title"]);
    }
    assert_eq!(arr[0]["kind"], "incident");
    // Passphrase from stdin.
    let shown = json(&parasol(
        &dir,
        &[],
        &["journal", "show", &id, "--passphrase-stdin"],
        Some("cli pass\n"),
    ));
    assert_eq!(shown["body"], "grey van");
    assert_eq!(shown["attachments"][0]["size"], 9);
    json(&parasol(
        &dir,
        &pw,
        &["journal", "update", &id, "--body", "blue van"],
        None,
    ));
    let found = json(&parasol(&dir, &pw, &["journal", "search", "BLUE"], None));
    assert_eq!(found.as_array().unwrap().len(), 1);
    let v = json(&parasol(&dir, &pw, &["journal", "verify"], None));
    assert_eq!(v["ok"], true);
    // Wrong passphrase: exit 4 and a JSON error on stderr.
    let bad = parasol(
        &dir,
        &[("PARASOL_PASSPHRASE", "nope")],
        &["journal", "list"],
        None,
    );
    assert_eq!(bad.status.code(), Some(4));
    let err: serde_json::Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(err["error"], "wrong_passphrase");
    // No passphrase at all: invalid input, and never read from argv.
    let none = parasol(&dir, &[], &["journal", "list"], None);
    assert_eq!(none.status.code(), Some(2));
    // Passwd, duress, export/import, bundle, delete, wipe.
    json(&parasol(
        &dir,
        &[
            ("PARASOL_PASSPHRASE", "cli pass"),
            ("PARASOL_NEW_PASSPHRASE", "cli pass 2"),
        ],
        &["journal", "passwd"],
        None,
    ));
    let pw2 = [("PARASOL_PASSPHRASE", "cli pass 2")];
    json(&parasol(
        &dir,
        &[
            ("PARASOL_PASSPHRASE", "cli pass 2"),
            ("PARASOL_NEW_PASSPHRASE", "decoy"),
        ],
        &["journal", "duress", "set", "--decoy"],
        None,
    ));
    let decoy = json(&parasol(
        &dir,
        &[("PARASOL_PASSPHRASE", "decoy")],
        &["journal", "list"],
        None,
    ));
    assert_eq!(decoy.as_array().unwrap().len(), 0);
    json(&parasol(&dir, &pw2, &["journal", "duress", "clear"], None));
    let backup = tmp.path().join("j.bak");
    json(&parasol(
        &dir,
        &pw2,
        &["journal", "export", "--out", backup.to_str().unwrap()],
        None,
    ));
    let dir2 = tmp.path().join("q");
    json(&parasol(
        &dir2,
        &pw2,
        &["journal", "import", backup.to_str().unwrap()],
        None,
    ));
    assert_eq!(
        json(&parasol(&dir2, &pw2, &["journal", "list"], None))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let html = tmp.path().join("b.html");
    json(&parasol(
        &dir,
        &pw2,
        &["journal", "bundle", "--out", html.to_str().unwrap(), &id],
        None,
    ));
    assert!(std::fs::read_to_string(&html).unwrap().contains("blue van"));
    json(&parasol(&dir, &pw2, &["journal", "delete", &id], None));
    assert_eq!(
        parasol(&dir, &pw2, &["journal", "show", &id], None)
            .status
            .code(),
        Some(3)
    );
    assert_eq!(
        parasol(&dir, &[], &["journal", "wipe"], None).status.code(),
        Some(2)
    );
    json(&parasol(&dir, &[], &["journal", "wipe", "--yes"], None));
    assert_eq!(
        parasol(&dir, &pw2, &["journal", "list"], None)
            .status
            .code(),
        Some(3)
    );
}

#[test]
fn journal_text_can_stay_off_argv_and_json_uses_stored_names() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let pw = [("PARASOL_PASSPHRASE", "cli pass")];
    json(&parasol(&dir, &pw, &["journal", "init"], None));
    // The whole entry from stdin, as JSON with the stored field names.
    let entry = r#"{"kind":"incident","title":"Parking lot","body":"He took my phone.",
        "tags":["phone"],"incident":{"contact":"+31 6 1234 5678","person":"tall man",
        "reported_to_police":false}}"#;
    let id = json(&parasol(
        &dir,
        &pw,
        &["journal", "add", "--entry-json", "-"],
        Some(entry),
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let shown = json(&parasol(&dir, &pw, &["journal", "show", &id], None));
    assert_eq!(shown["incident"]["contact"], "+31 6 1234 5678");
    assert_eq!(shown["incident"]["person"], "tall man");
    assert_eq!(shown["incident"]["reported_to_police"], false);
    assert!(
        shown["incident"]
            .as_object()
            .unwrap()
            .contains_key("what_happened"),
        "all keys present"
    );
    assert!(
        !shown.to_string().contains("phone or handle"),
        "no display labels in JSON"
    );
    for key in ["created_at", "updated_at"] {
        let t = shown[key].as_str().unwrap();
        assert!(t.ends_with('Z') && !t.contains("+00:00"), "{key}: {t}");
    }
    // The body alone from stdin.
    let id2 = json(&parasol(
        &dir,
        &pw,
        &["journal", "add", "--title", "note", "--stdin"],
        Some("body from stdin, Łódź"),
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        json(&parasol(&dir, &pw, &["journal", "show", &id2], None))["body"],
        "body from stdin, Łódź"
    );
    // Search words from stdin, diacritics ignored.
    let found = json(&parasol(
        &dir,
        &pw,
        &["journal", "search", "--stdin"],
        Some("lodz\n"),
    ));
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"], id2.as_str());
    // --help says that argv is visible to other users.
    for cmd in [&["journal", "add", "--help"][..], &["journal", "--help"]] {
        let help = parasol(&dir, &[], cmd, None);
        let text = String::from_utf8_lossy(&help.stdout);
        assert!(text.contains("visible to other users"), "{cmd:?}: {text}");
    }
}

#[test]
fn passwd_in_a_decoy_answers_alike_and_can_reencrypt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let real = [("PARASOL_PASSPHRASE", "real pass")];
    json(&parasol(&dir, &real, &["journal", "init"], None));
    json(&parasol(
        &dir,
        &real,
        &["journal", "add", "--title", "evidence"],
        None,
    ));
    json(&parasol(
        &dir,
        &[
            ("PARASOL_PASSPHRASE", "real pass"),
            ("PARASOL_NEW_PASSPHRASE", "decoy pass"),
        ],
        &["journal", "duress", "set", "--decoy"],
        None,
    ));
    // From the decoy: a guess and the real passphrase get the same answer.
    for (from, to) in [("decoy pass", "a guess"), ("a guess", "real pass")] {
        let o = parasol(
            &dir,
            &[("PARASOL_PASSPHRASE", from), ("PARASOL_NEW_PASSPHRASE", to)],
            &["journal", "passwd"],
            None,
        );
        assert_eq!(json(&o)["ok"], true);
    }
    // The owner: the real passphrase shows the decoy until its passphrase is changed.
    json(&parasol(
        &dir,
        &[
            ("PARASOL_PASSPHRASE", "real pass"),
            ("PARASOL_NEW_PASSPHRASE", "decoy again"),
        ],
        &["journal", "passwd"],
        None,
    ));
    let list = json(&parasol(&dir, &real, &["journal", "list"], None));
    assert_eq!(list[0]["title"], "evidence");
    // Re-encryption when the old passphrase is known to someone.
    let o = json(&parasol(
        &dir,
        &[
            ("PARASOL_PASSPHRASE", "real pass"),
            ("PARASOL_NEW_PASSPHRASE", "new real pass"),
        ],
        &["journal", "passwd", "--known-to-someone"],
        None,
    ));
    assert_eq!(o["reencrypted"], true);
    let list = json(&parasol(
        &dir,
        &[("PARASOL_PASSPHRASE", "new real pass")],
        &["journal", "list"],
        None,
    ));
    assert_eq!(list[0]["title"], "evidence");
    // A passphrase with nothing visible is refused.
    let o = parasol(
        &dir,
        &[
            ("PARASOL_PASSPHRASE", "new real pass"),
            ("PARASOL_NEW_PASSPHRASE", "\u{200B}"),
        ],
        &["journal", "passwd"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}

/// Runs scripts/decrypt-backup.py (the clean-room decryptor written from
/// docs/journal-format.md) on `file`.
fn decrypt_with_the_reference(file: &std::path::Path, pass: &str) -> serde_json::Value {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/decrypt-backup.py");
    let o = Command::new("python3")
        .arg(&script)
        .arg(file)
        .env("PARASOL_PASSPHRASE", pass)
        .output()
        .expect("python3 runs (the test needs python3 with the `cryptography` package)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_reference_decryptor_reads_what_export_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let pw = [("PARASOL_PASSPHRASE", "cli pass")];
    json(&parasol(&dir, &pw, &["journal", "init"], None));
    let photo = tmp.path().join("photo.jpg");
    std::fs::write(&photo, vec![9u8; 70_000]).unwrap();
    let a = json(&parasol(
        &dir,
        &pw,
        &[
            "journal",
            "add",
            "--kind",
            "incident",
            "--title",
            "Łódź",
            "--body",
            "first",
            "--who",
            "tall",
            "--attach",
            photo.to_str().unwrap(),
        ],
        None,
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    json(&parasol(
        &dir,
        &pw,
        &["journal", "update", &a, "--body", "second"],
        None,
    ));
    let gone = json(&parasol(
        &dir,
        &pw,
        &["journal", "add", "--title", "gone"],
        None,
    ))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    json(&parasol(&dir, &pw, &["journal", "delete", &gone], None));
    json(&parasol(
        &dir,
        &pw,
        &["journal", "add", "--title", "kept"],
        None,
    ));
    let head = json(&parasol(&dir, &pw, &["journal", "verify"], None))["head_hash"].clone();
    let backup = tmp.path().join("j.pjb");
    json(&parasol(
        &dir,
        &pw,
        &["journal", "export", "--out", backup.to_str().unwrap()],
        None,
    ));
    let out = decrypt_with_the_reference(&backup, "cli pass");
    assert_eq!(out["format"], 2);
    assert_eq!(
        out["head"], head,
        "the reference reaches the same head hash"
    );
    assert_eq!(
        out["records"], 5,
        "two versions, an entry, its deletion, an entry"
    );
    let entries = out["entries"].as_array().unwrap();
    let seen: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["title"].as_str().unwrap().to_owned(),
                e["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [("Łódź", "first"), ("Łódź", "second"), ("kept", "")]
        .iter()
        .map(|(t, b)| (t.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        seen, want,
        "every version in chain order; the deleted entry is gone"
    );
    assert_eq!(entries[0]["incident"]["person"], "tall");
    assert!(
        entries[0]["created_at"].as_str().unwrap().ends_with('Z'),
        "stored timestamps end in Z"
    );
    assert!(
        entries[0].as_object().unwrap().contains_key("removed"),
        "all keys present"
    );
    assert_eq!(entries[0]["attachments"][0]["size"], 70_000);
    // And a backup of format 1 (the fuzz seed).
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/corpus/backups/small.pbak");
    let old = decrypt_with_the_reference(&seed, "corpus backup passphrase");
    assert_eq!(old["format"], 1);
    assert!(!old["entries"].as_array().unwrap().is_empty());
}
