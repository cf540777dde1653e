//! The helpline directory, the booklets' legal model and the self-check on the
//! command line: the reader's language ranks and labels but never filters,
//! help by need, "partly", what the self-check promises, and pack versions
//! and expiry in `content build`.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn parasol(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parasol"))
        .arg("--data-dir")
        .arg(dir.join("profile"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap()
}

fn text(dir: &Path, args: &[&str]) -> String {
    let out = parasol(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&text(dir, &all)).unwrap()
}

fn json_error(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = parasol(dir, &all);
    assert!(!out.status.success(), "{args:?} should fail");
    serde_json::from_slice(&out.stderr).unwrap()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

const NIGHT: &str = "2026-11-29T03:00:00Z";

#[test]
fn a_reader_of_another_language_gets_every_helpline_in_their_language() {
    let d = tempfile::tempdir().unwrap();
    let en = json(d.path(), &["helplines", "list", "NL", "--at", NIGHT]);
    let ro = json(
        d.path(),
        &["--lang", "ro", "helplines", "list", "NL", "--at", NIGHT],
    );
    assert_eq!(
        ids(&ro).len(),
        ids(&en).len(),
        "--lang ranks, never filters"
    );
    assert!(ids(&ro).len() >= 15);
    for h in ro.as_array().unwrap() {
        assert_eq!(h["text_lang"], "ro", "{}", h["id"]);
        assert_eq!(h["review_status"], "machine-assisted");
    }
    let police = ro
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "nl-police")
        .unwrap();
    assert_eq!(police["police"], true);
    assert_eq!(police["caveats"][0], "Aceasta este poliția.");
    let human = text(
        d.path(),
        &["--lang", "ro", "helplines", "list", "NL", "--at", NIGHT],
    );
    assert!(!human.contains("No helplines match"));
    assert!(
        human.contains("Numărul unic european de urgență"),
        "{human}"
    );
    assert!(human.contains("Police."), "{human}");

    // Filtering by a language spoken is explicit, and 112 always stays.
    let speaks = json(
        d.path(),
        &["helplines", "list", "NL", "--speaks", "ro", "--at", NIGHT],
    );
    assert_eq!(ids(&speaks), ["nl-112"]);
    let speaks_nl = json(
        d.path(),
        &["helplines", "list", "NL", "--speaks", "nl", "--at", NIGHT],
    );
    assert!(ids(&speaks_nl).contains(&"nl-112".to_string()));
}

#[test]
fn help_by_need() {
    let d = tempfile::tempdir().unwrap();
    let danger = json(
        d.path(),
        &["helplines", "list", "SE", "--need", "danger", "--at", NIGHT],
    );
    assert_eq!(ids(&danger), ["se-112", "se-116000"]);
    let exploitation = json(
        d.path(),
        &[
            "helplines",
            "list",
            "SE",
            "--need",
            "exploitation",
            "--at",
            NIGHT,
        ],
    );
    let e = ids(&exploitation);
    assert!(e.contains(&"se-kvinnofridslinjen".to_string()));
    assert!(
        !e.contains(&"se-jamstalldhetsmyndigheten".to_string()),
        "{e:?}"
    );
    let talk = json(
        d.path(),
        &["helplines", "list", "SE", "--need", "talk", "--at", NIGHT],
    );
    assert_eq!(
        ids(&talk).last().unwrap(),
        "se-bris-116111",
        "children last"
    );
    let err = json_error(d.path(), &["helplines", "list", "SE", "--need", "pizza"]);
    assert_eq!(err["error"], "invalid_input");
    let shop = text(d.path(), &["helplines", "show", "nl-shop"]);
    assert!(
        shop.contains("contact details not verified: see https://www.omroepwest.nl/"),
        "{shop}"
    );
}

#[test]
fn netherlands_legal_model_reads_partly() {
    let d = tempfile::tempdir().unwrap();
    let v = json(d.path(), &["rights", "countries"]);
    let nl = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "NL")
        .unwrap();
    assert_eq!(nl["legal_model"]["buying"], "partially_criminalised");
    assert_eq!(nl["legal_model"]["third_party"], "partially_criminalised");
    assert_eq!(nl["stale"], false);
    let human = text(d.path(), &["rights", "countries"]);
    let line = human.lines().find(|l| l.starts_with("NL")).unwrap();
    assert!(
        line.contains("buying: partly criminalised, third parties: partly criminalised"),
        "{line}"
    );
    let booklet = text(
        d.path(),
        &["rights", "show", "NL", "--section", "legal-model"],
    );
    assert!(
        booklet.contains("Buying: partly criminalised."),
        "{booklet}"
    );
}

#[test]
fn selfcheck_lists_confidential_lines_and_names_the_police() {
    let d = tempfile::tempdir().unwrap();
    let answers = d.path().join("answers.json");
    std::fs::write(&answers, r#"{"documents-held": true}"#).unwrap();
    let a = answers.to_str().unwrap();
    let se = json(d.path(), &["selfcheck", "--country", "SE", "--answers", a]);
    assert_eq!(
        se["helplines"],
        serde_json::json!(["se-kvinnofridslinjen", "se-116006"])
    );
    assert!(se["helplines_note"]
        .as_str()
        .unwrap()
        .contains("not the police"));
    let pl = json(d.path(), &["selfcheck", "--country", "PL", "--answers", a]);
    assert_eq!(
        pl["police_helplines"],
        serde_json::json!(["pl-police-trafficking"])
    );
    let human = text(d.path(), &["selfcheck", "--country", "PL", "--answers", a]);
    let (confidential, other) = human.split_at(human.find("Other services").unwrap());
    assert!(!confidential.contains("[police]"), "{human}");
    assert!(other.contains("[police]"), "{human}");
}

#[test]
fn build_refuses_a_frozen_version_and_a_pack_that_never_expires() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let o = out.to_str().unwrap();
    let err = json_error(
        d.path(),
        &[
            "content",
            "build",
            "--out",
            o,
            "--only",
            "NL",
            "--pack-version",
            "18446744073709551615",
        ],
    );
    assert_eq!(err["error"], "invalid_input");
    assert!(err["reason"].as_str().unwrap().contains("in the future"));
    let err = json_error(
        d.path(),
        &[
            "content",
            "build",
            "--out",
            o,
            "--only",
            "NL",
            "--expires-days",
            "0",
        ],
    );
    assert_eq!(err["error"], "invalid_input");
    let built = json(d.path(), &["content", "build", "--out", o, "--only", "NL"]);
    assert_eq!(built.as_array().unwrap().len(), 1);
    let payload: Value =
        serde_json::from_slice(&std::fs::read(out.join("NL.json")).unwrap()).unwrap();
    assert!(
        payload["expires_at"].is_string(),
        "every built pack expires"
    );
}
