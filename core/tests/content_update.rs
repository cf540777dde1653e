//! Signed content updates: a good pack is applied (over HTTP on loopback too);
//! every kind of bad pack is refused with a clear error while the previous
//! pack keeps serving.

mod support;

use chrono::{Duration, Utc};
use parasol_core::clock::Clock;
use parasol_core::config::Config;
use parasol_core::content::model::PackPayload;
use parasol_core::content::{bundled_packs, pack};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use parasol_core::{Error, ErrorKind};
use std::sync::Arc;
use support::{Reply, Server};

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    key: ed25519_dalek::SigningKey,
    keys: Arc<SoftwareKeyStore>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p");
        Fixture {
            key: pack::generate_key(),
            keys: Arc::new(SoftwareKeyStore::ephemeral()),
            path,
            _dir: dir,
        }
    }

    fn profile(&self, loopback: bool) -> Profile {
        let mut config = Config::new(&self.path);
        config.extra_pack_keys = vec![self.key.verifying_key().to_bytes()];
        config.http.allow_insecure_loopback = loopback;
        Profile::open(config, self.keys.clone()).unwrap()
    }
}

fn nl_update(version_bump: u64, title: &str) -> PackPayload {
    let mut p = bundled_packs()
        .unwrap()
        .into_iter()
        .find(|p| p.pack_id == "NL")
        .unwrap();
    p.pack_version += version_bump;
    p.created_at = Utc::now();
    p.expires_at = Some(Utc::now() + Duration::days(365));
    let c = p.country.as_mut().unwrap();
    c.texts
        .get_mut("en")
        .unwrap()
        .sections
        .get_mut("police")
        .unwrap()
        .title = title.into();
    p
}

fn signed(p: &PackPayload, key: &ed25519_dalek::SigningKey) -> Vec<u8> {
    pack::sign(&serde_json::to_vec(p).unwrap(), key)
}

fn police_title(profile: &Profile) -> String {
    let b = profile
        .library()
        .unwrap()
        .section("NL", "police", &["en".into()])
        .unwrap();
    b.sections[0].title.clone()
}

#[test]
fn good_update_is_applied_and_survives_restart() {
    let f = Fixture::new();
    let profile = f.profile(false);
    let before = police_title(&profile);
    let update = nl_update(1, "Police (updated)");
    let installed = profile
        .install_pack("NL", &signed(&update, &f.key))
        .unwrap();
    assert_eq!(installed.version, update.pack_version);
    assert_eq!(installed.previous_version, update.pack_version - 1);
    assert_eq!(police_title(&profile), "Police (updated)");
    assert_ne!(before, "Police (updated)");
    drop(profile);
    let again = f.profile(false);
    assert_eq!(police_title(&again), "Police (updated)");
    // Search sees the new text.
    let hits = again
        .library()
        .unwrap()
        .search("updated", &parasol_core::content::search::Filter::default())
        .unwrap();
    assert!(hits
        .iter()
        .any(|h| h.section_id == "police" && h.country == "NL"));
}

#[test]
fn update_over_http_on_loopback() {
    let f = Fixture::new();
    let profile = f.profile(true);
    let body = signed(&nl_update(5, "Police over HTTP"), &f.key);
    let server = Server::start(1, move |_| Reply {
        status: 200,
        body: body.clone(),
    });
    let url = server.url("/packs/nl.pack");
    profile.update_pack("NL", &url).unwrap();
    assert_eq!(police_title(&profile), "Police over HTTP");
    let requests = server.requests.clone();
    server.join();
    assert_eq!(requests.lock().unwrap()[0].path, "/packs/nl.pack");
}

#[test]
fn http_errors_and_plain_http_are_refused() {
    let f = Fixture::new();
    let strict = f.profile(false);
    let err = strict
        .update_pack("NL", "http://127.0.0.1:9/nl.pack")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    drop(strict);
    let profile = f.profile(true);
    let server = Server::start(1, |_| Reply {
        status: 404,
        body: b"no".to_vec(),
    });
    let err = profile.update_pack("NL", &server.url("/x")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    server.join();
    // Nothing listening: refused connection.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = profile
        .update_pack("NL", &format!("http://127.0.0.1:{port}/x"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    // Oversized body announced by the server.
    let big = vec![b'x'; pack::MAX_PACK_BYTES + 10];
    let server = Server::start(1, move |_| Reply {
        status: 200,
        body: big.clone(),
    });
    let err = profile.update_pack("NL", &server.url("/big")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.to_string().contains("limit"), "{err}");
    server.join();
}

#[test]
fn bad_packs_are_refused_and_the_previous_pack_keeps_serving() {
    let f = Fixture::new();
    let profile = f.profile(false);
    let good = nl_update(1, "Police v2");
    profile.install_pack("NL", &signed(&good, &f.key)).unwrap();
    assert_eq!(police_title(&profile), "Police v2");

    let next = signed(&nl_update(2, "Police v3"), &f.key);
    let mut cases: Vec<(&str, Vec<u8>, ErrorKind)> = Vec::new();
    let mut tampered = next.clone();
    let last = tampered.len() - 10;
    tampered[last] ^= 0x01;
    cases.push(("tampered byte", tampered, ErrorKind::Crypto));
    let mut sig_flip = next.clone();
    sig_flip[20] ^= 0x80;
    cases.push(("tampered signature", sig_flip, ErrorKind::Crypto));
    let stranger = pack::generate_key();
    cases.push((
        "wrong key",
        signed(&nl_update(2, "x"), &stranger),
        ErrorKind::Crypto,
    ));
    let mut se = bundled_packs()
        .unwrap()
        .into_iter()
        .find(|p| p.pack_id == "SE")
        .unwrap();
    se.pack_version += 10;
    cases.push(("wrong country", signed(&se, &f.key), ErrorKind::Content));
    cases.push(("same version", signed(&good, &f.key), ErrorKind::Content));
    cases.push((
        "older version",
        signed(&nl_update(0, "old"), &f.key),
        ErrorKind::Content,
    ));
    let mut expired = nl_update(3, "expired");
    expired.expires_at = Some(Utc::now() - Duration::hours(1));
    cases.push(("expired", signed(&expired, &f.key), ErrorKind::Content));
    cases.push((
        "truncated",
        next[..next.len() / 2].to_vec(),
        ErrorKind::Crypto,
    ));
    cases.push(("header only", next[..40].to_vec(), ErrorKind::Content));
    cases.push(("empty", Vec::new(), ErrorKind::Content));
    cases.push((
        "garbage",
        b"<html>hello</html>".repeat(50),
        ErrorKind::Content,
    ));
    let mut trailing = next.clone();
    trailing.extend_from_slice(b"junk");
    cases.push(("trailing junk", trailing, ErrorKind::Crypto));
    let mut oversized = b"PSLPACK1".to_vec();
    oversized.resize(pack::MAX_PACK_BYTES + 1, b' ');
    cases.push(("oversized", oversized, ErrorKind::Content));
    let mut newer_schema = nl_update(4, "future");
    newer_schema.schema_version = 99;
    cases.push((
        "newer schema",
        signed(&newer_schema, &f.key),
        ErrorKind::Content,
    ));
    cases.push((
        "not json",
        pack::sign(b"{\"format\": ", &f.key),
        ErrorKind::Content,
    ));
    cases.push((
        "invalid utf-8",
        pack::sign(&[0xff, 0xfe, 0x00], &f.key),
        ErrorKind::Content,
    ));
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    cases.push((
        "deep nesting",
        pack::sign(deep.as_bytes(), &f.key),
        ErrorKind::Content,
    ));
    let mut bidi = nl_update(6, "Police\u{202E}");
    bidi.pack_version += 1;
    cases.push(("bidi text", signed(&bidi, &f.key), ErrorKind::Content));
    let mut bad_tel = nl_update(7, "tel");
    bad_tel.country.as_mut().unwrap().helplines[0].channels[0].value = "*#21#".into();
    cases.push(("dial code", signed(&bad_tel, &f.key), ErrorKind::Content));
    let mut js = nl_update(8, "js");
    js.country.as_mut().unwrap().sections[0].sources[0].url = "javascript:alert(1)".into();
    cases.push(("javascript url", signed(&js, &f.key), ErrorKind::Content));

    for (name, bytes, kind) in cases {
        let err: Error = profile.install_pack("NL", &bytes).unwrap_err();
        assert_eq!(err.kind(), kind, "{name}: {err}");
        assert_eq!(
            police_title(&profile),
            "Police v2",
            "{name} changed the pack in use"
        );
    }
    drop(profile);
    assert_eq!(
        police_title(&f.profile(false)),
        "Police v2",
        "nothing bad was stored"
    );
}

#[test]
fn a_pack_tampered_on_disk_is_ignored_at_load() {
    let f = Fixture::new();
    let profile = f.profile(false);
    let bundled = police_title(&profile);
    profile
        .install_pack("NL", &signed(&nl_update(1, "Police v2"), &f.key))
        .unwrap();
    profile
        .store()
        .with(|c| {
            c.execute(
                "UPDATE content_packs SET signed_pack = CAST(replace(CAST(signed_pack AS TEXT), 'Police v2', 'Police v9') AS BLOB)",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    drop(profile);
    assert_eq!(police_title(&f.profile(false)), bundled);
}

#[test]
fn embedded_keys_are_valid_and_distinct() {
    let keys = pack::trusted_keys();
    assert_eq!(keys.len(), 2);
    assert_ne!(pack::key_id(&keys[0]), pack::key_id(&keys[1]));
    // The committed public key files match the embedded keys.
    for (i, key) in keys.iter().enumerate() {
        let file = std::fs::read_to_string(format!(
            "{}/../content/keys/pack-key-{}.pub",
            env!("CARGO_MANIFEST_DIR"),
            i + 1
        ))
        .unwrap();
        assert_eq!(pack::parse_public_key(&file).unwrap(), *key);
    }
}

// Issue 14, item 12: a pack cannot freeze the content, must expire, and an
// expired pack keeps serving but is flagged as out of date.

fn profile_at(f: &Fixture, clock: Arc<parasol_core::clock::FakeClock>) -> Profile {
    let mut config = Config::new(&f.path);
    config.extra_pack_keys = vec![f.key.verifying_key().to_bytes()];
    Profile::open_with_clock(config, f.keys.clone(), clock).unwrap()
}

#[test]
fn a_pack_numbered_in_the_future_cannot_freeze_updates() {
    let f = Fixture::new();
    let profile = f.profile(false);
    let mut frozen = nl_update(1, "frozen");
    frozen.pack_version = u64::MAX;
    let err = profile
        .install_pack("NL", &signed(&frozen, &f.key))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Content, "{err}");
    assert!(err.to_string().contains("in the future"), "{err}");
    // Just above today's bound is refused too; the bound itself is accepted.
    let highest = pack::max_version(Utc::now());
    let mut above = nl_update(1, "above");
    above.pack_version = highest + 1;
    assert!(profile.install_pack("NL", &signed(&above, &f.key)).is_err());
    // Nothing was stored: a normal update still installs.
    let next = nl_update(1, "Police next");
    profile.install_pack("NL", &signed(&next, &f.key)).unwrap();
    assert_eq!(police_title(&profile), "Police next");
    let mut top = nl_update(1, "Police top");
    top.pack_version = highest;
    profile.install_pack("NL", &signed(&top, &f.key)).unwrap();
    assert_eq!(police_title(&profile), "Police top");
}

#[test]
fn a_frozen_pack_already_stored_is_ignored_at_load() {
    let f = Fixture::new();
    let profile = f.profile(false);
    let bundled = police_title(&profile);
    let mut frozen = nl_update(1, "frozen");
    frozen.pack_version = u64::MAX;
    let bytes = signed(&frozen, &f.key);
    // An older version of the app stored it (as -1) before the bound existed.
    profile
        .store()
        .with(|c| {
            c.execute(
                "INSERT INTO content_packs(pack_id, pack_version, signed_pack, installed_at)
                 VALUES ('NL', -1, ?1, '2026-01-01T00:00:00Z')",
                [&bytes],
            )?;
            Ok(())
        })
        .unwrap();
    drop(profile);
    let profile = f.profile(false);
    assert_eq!(
        police_title(&profile),
        bundled,
        "the frozen pack is not used"
    );
    let next = nl_update(1, "Police after the freeze");
    profile.install_pack("NL", &signed(&next, &f.key)).unwrap();
    assert_eq!(police_title(&profile), "Police after the freeze");
}

#[test]
fn an_update_must_carry_a_bounded_expiry() {
    let f = Fixture::new();
    let profile = f.profile(false);
    let mut no_expiry = nl_update(1, "forever");
    no_expiry.expires_at = None;
    let err = profile
        .install_pack("NL", &signed(&no_expiry, &f.key))
        .unwrap_err();
    assert!(err.to_string().contains("no expiry"), "{err}");
    let mut too_long = nl_update(1, "ten years");
    too_long.expires_at = Some(Utc::now() + Duration::days(3650));
    let err = profile
        .install_pack("NL", &signed(&too_long, &f.key))
        .unwrap_err();
    assert!(err.to_string().contains("valid for more than"), "{err}");
    let mut future = nl_update(1, "from the future");
    future.created_at = Utc::now() + Duration::days(30);
    future.expires_at = Some(Utc::now() + Duration::days(60));
    let err = profile
        .install_pack("NL", &signed(&future, &f.key))
        .unwrap_err();
    assert!(err.to_string().contains("created in the future"), "{err}");
}

#[test]
fn an_expired_pack_keeps_serving_and_is_flagged_stale() {
    let f = Fixture::new();
    let start = Utc::now();
    let clock = Arc::new(parasol_core::clock::FakeClock::new(start));
    let profile = profile_at(&f, clock.clone());
    let lib = profile.library().unwrap();
    assert!(
        lib.stale_packs(start).is_empty(),
        "bundled packs are never stale"
    );
    let mut update = nl_update(1, "Police until tomorrow");
    update.expires_at = Some(start + Duration::days(1));
    profile
        .install_pack("NL", &signed(&update, &f.key))
        .unwrap();
    let now = clock.now();
    let b = profile
        .library()
        .unwrap()
        .booklet("NL", &["en".into()])
        .unwrap();
    assert!(!b.is_stale(now));
    drop(profile);
    clock.advance(Duration::days(2));
    let later = clock.now();
    let profile = profile_at(&f, clock.clone());
    let lib = profile.library().unwrap();
    let b = lib.booklet("NL", &["en".into()]).unwrap();
    assert_eq!(
        b.sections[1].title, "Police until tomorrow",
        "still served offline"
    );
    assert!(b.is_stale(later));
    assert_eq!(lib.stale_packs(later), ["NL"]);
    let nl = lib
        .countries(&[])
        .into_iter()
        .find(|c| c.code == "NL")
        .unwrap();
    assert!(nl.is_stale(later));
    assert!(!lib.booklet("SE", &[]).unwrap().is_stale(later));
}
