//! The `parasol` command end to end: JSON contracts, exit codes, errors, and
//! the content maintainers' workflow (keygen, build, sign, verify, check, update).

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

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = parasol(dir, &all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn json_error(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = parasol(dir, &all);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(out.stdout.is_empty(), "nothing on stdout when failing");
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    (out.status.code().unwrap(), err)
}

#[test]
fn rights_countries_contract() {
    let d = tempfile::tempdir().unwrap();
    let v = json(d.path(), &["rights", "countries"]);
    let arr = v.as_array().unwrap();
    let allowed = ["not_criminalised", "criminalised", "partially_criminalised"];
    for c in arr {
        assert_eq!(c["code"].as_str().unwrap().len(), 2);
        assert!(c["name"].is_string());
        assert!(c["languages"].as_array().unwrap().iter().any(|l| l == "en"));
        assert!(["full", "summary"].contains(&c["depth"].as_str().unwrap()));
        for k in ["selling", "buying", "third_party"] {
            let m = &c["legal_model"][k];
            assert!(m.is_null() || allowed.contains(&m.as_str().unwrap()), "{c}");
        }
    }
    let se = arr.iter().find(|c| c["code"] == "SE").unwrap();
    assert_eq!(se["legal_model"]["buying"], "criminalised");
    assert_eq!(se["legal_model"]["selling"], "not_criminalised");
}

#[test]
fn rights_show_and_search_contracts() {
    let d = tempfile::tempdir().unwrap();
    let v = json(d.path(), &["--lang", "sv", "rights", "show", "SE"]);
    assert_eq!(v["country"], "SE");
    assert_eq!(v["lang"], "sv");
    assert_eq!(v["fallback"], false);
    let sections = v["sections"].as_array().unwrap();
    assert!(sections.len() >= 8);
    for s in sections {
        for k in ["id", "title", "body", "review_status"] {
            assert!(s[k].is_string(), "{k}");
        }
        assert_eq!(s["review_status"], "machine-assisted");
        let src = &s["sources"][0];
        assert!(src["title"].is_string() && src["url"].as_str().unwrap().starts_with("http"));
    }
    let v = json(
        d.path(),
        &[
            "--lang",
            "hu",
            "rights",
            "show",
            "PL",
            "--section",
            "health",
        ],
    );
    assert_eq!(v["lang"], "en");
    assert_eq!(v["fallback"], true);
    assert_eq!(v["sections"].as_array().unwrap().len(), 1);
    assert_eq!(v["sections"][0]["review_status"], "source");

    let hits = json(
        d.path(),
        &[
            "--lang",
            "pl",
            "rights",
            "search",
            "przemoc",
            "--country",
            "PL",
        ],
    );
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        for k in ["country", "lang", "section_id", "title", "snippet"] {
            assert!(h[k].is_string(), "{k}");
        }
        assert_eq!(h["country"], "PL");
    }
    let (code, err) = json_error(d.path(), &["rights", "show", "XX"]);
    assert_eq!(code, 3);
    assert_eq!(err["error"], "not_found");
    assert!(err["reason"].as_str().unwrap().contains("XX"));
}

#[test]
fn helplines_list_contract() {
    let d = tempfile::tempdir().unwrap();
    let v = json(
        d.path(),
        &["helplines", "list", "NL", "--at", "2026-11-29T03:00:00Z"],
    );
    let arr = v.as_array().unwrap();
    assert!(arr.len() >= 10);
    for h in arr {
        for k in ["id", "name", "country", "source_url", "confidence"] {
            assert!(h[k].is_string(), "{k}");
        }
        assert!(h["categories"].is_array() && h["languages"].is_array());
        assert!(h["open_now"].is_boolean() || h["open_now"].is_null());
        assert!(h["free"].is_boolean() || h["free"].is_null());
        for c in h["channels"].as_array().unwrap() {
            assert!(c["kind"].is_string() && c["value"].is_string());
        }
    }
    assert_eq!(arr[0]["open_now"], true, "open first");
    let open = json(
        d.path(),
        &[
            "helplines",
            "list",
            "SE",
            "--open-now",
            "--category",
            "crisis-support",
        ],
    );
    assert!(open
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["open_now"] == true));
    let show = json(d.path(), &["helplines", "show", "se-kvinnofridslinjen"]);
    assert_eq!(show["dial"][0], "tel:+4620505050");
    let (code, err) = json_error(
        d.path(),
        &["helplines", "list", "NL", "--category", "pizza"],
    );
    assert_eq!((code, err["error"].as_str()), (2, Some("invalid_input")));
    let (_, err) = json_error(d.path(), &["helplines", "list", "NL", "--at", "yesterday"]);
    assert_eq!(err["error"], "invalid_input");
}

#[test]
fn selfcheck_with_answers_file() {
    let d = tempfile::tempdir().unwrap();
    let answers = d.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{"documents-held": true, "debt-growing": "yes", "leave-freely": true}"#,
    )
    .unwrap();
    let v = json(
        d.path(),
        &[
            "selfcheck",
            "--country",
            "NL",
            "--answers",
            answers.to_str().unwrap(),
        ],
    );
    assert_eq!(v["level"], "several_signs");
    assert!(v["other_helplines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h == "nl-comensha"));
    assert!(v["helplines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h == "nl-fier"));
    assert!(!v["caveat"].as_str().unwrap().is_empty());
    std::fs::write(&answers, r#"{"documents-held": 3}"#).unwrap();
    let (_, err) = json_error(
        d.path(),
        &[
            "selfcheck",
            "--country",
            "NL",
            "--answers",
            answers.to_str().unwrap(),
        ],
    );
    assert_eq!(err["error"], "invalid_input");
    // Nothing of the answers is stored in the profile.
    let db = std::fs::read(d.path().join("profile/parasol.db")).unwrap();
    assert!(!db.windows(14).any(|w| w == b"documents-held"));
}

#[test]
fn content_maintainer_workflow() {
    let d = tempfile::tempdir().unwrap();
    let keys = d.path().join("keys");
    let k = json(
        d.path(),
        &["content", "keygen", "--out", keys.to_str().unwrap()],
    );
    assert_eq!(k["key_id"].as_str().unwrap().len(), 16);
    let (_, err) = json_error(
        d.path(),
        &["content", "keygen", "--out", keys.to_str().unwrap()],
    );
    assert!(err["reason"]
        .as_str()
        .unwrap()
        .contains("refusing to overwrite"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys.join("pack-key.secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let check = json(d.path(), &["content", "check"]);
    assert_eq!(check["problems"].as_array().unwrap().len(), 0);
    assert!(check["countries"].as_u64().unwrap() >= 30);

    let payloads = d.path().join("payloads");
    // A version is the release date as YYYYMMDDNN; today's is newer than the
    // bundled pack's and within the bound apps accept.
    let version: u64 = chrono::Utc::now()
        .format("%Y%m%d50")
        .to_string()
        .parse()
        .unwrap();
    let version_arg = version.to_string();
    let built = json(
        d.path(),
        &[
            "content",
            "build",
            "--out",
            payloads.to_str().unwrap(),
            "--only",
            "SE",
            "--pack-version",
            &version_arg,
        ],
    );
    assert_eq!(built.as_array().unwrap().len(), 1);
    let pack = d.path().join("se.pack");
    json(
        d.path(),
        &[
            "content",
            "sign",
            "--key",
            keys.join("pack-key.secret").to_str().unwrap(),
            payloads.join("SE.json").to_str().unwrap(),
            pack.to_str().unwrap(),
        ],
    );
    let pubkey = keys.join("pack-key.pub");
    let v = json(
        d.path(),
        &[
            "content",
            "verify",
            pack.to_str().unwrap(),
            "--trusted-key",
            pubkey.to_str().unwrap(),
        ],
    );
    assert_eq!(v["pack_id"], "SE");
    assert_eq!(v["pack_version"], version);
    let (_, err) = json_error(d.path(), &["content", "verify", pack.to_str().unwrap()]);
    assert_eq!(err["error"], "crypto", "not signed by an embedded key");

    let installed = json(
        d.path(),
        &[
            "content",
            "update",
            "se",
            "--file",
            pack.to_str().unwrap(),
            "--trust-key",
            pubkey.to_str().unwrap(),
        ],
    );
    assert_eq!(installed["version"], version);
    let (_, err) = json_error(
        d.path(),
        &[
            "content",
            "update",
            "se",
            "--file",
            pack.to_str().unwrap(),
            "--trust-key",
            pubkey.to_str().unwrap(),
        ],
    );
    assert_eq!(
        err["error"], "content",
        "replaying the same version is refused"
    );
    let (_, err) = json_error(
        d.path(),
        &[
            "content",
            "update",
            "se",
            "--url",
            "http://example.org/se.pack",
        ],
    );
    assert_eq!(err["error"], "invalid_input");

    // A broken source tree fails the check with a precise message.
    let src = d.path().join("src");
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../content")),
        &src,
    );
    let country = src.join("countries/nl/country.toml");
    let text = std::fs::read_to_string(&country).unwrap().replacen(
        "helplines = [\"nl-comensha\"",
        "helplines = [\"nl-missing\"",
        1,
    );
    std::fs::write(&country, text).unwrap();
    let out = parasol(
        d.path(),
        &["content", "check", "--src", src.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("nl-missing"));
}

#[test]
fn errors_are_one_line_and_typed() {
    let d = tempfile::tempdir().unwrap();
    let out = parasol(d.path(), &["settings", "country", "Narnia"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("parasol: invalid input"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
