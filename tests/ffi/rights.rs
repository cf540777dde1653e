//! The rights library through the FFI: countries, booklets, search,
//! self-check and signed updates.

use crate::profile::config;
use parasol_core::content::{bundled_packs, pack};
use parasol_ffi::*;

fn open() -> (tempfile::TempDir, std::sync::Arc<Parasol>) {
    let dir = tempfile::tempdir().unwrap();
    let p = Parasol::open(config(dir.path()), None).unwrap();
    (dir, p)
}

#[test]
fn countries_and_legal_models() {
    let (_d, p) = open();
    let countries = p.countries().unwrap();
    let se = countries.iter().find(|c| c.code == "SE").unwrap();
    assert_eq!(se.depth, Depth::Full);
    assert!(!se.stale, "built-in content is never stale");
    assert_eq!(se.expires_at_unix_seconds, None);
    let nl = countries.iter().find(|c| c.code == "NL").unwrap();
    assert_eq!(
        nl.legal_model.buying,
        Some(Criminalisation::PartiallyCriminalised)
    );
    assert_eq!(se.legal_model.buying, Some(Criminalisation::Criminalised));
    assert_eq!(
        se.legal_model.selling,
        Some(Criminalisation::NotCriminalised)
    );
    assert!(se.pack_version > 0);
    let bg = countries.iter().find(|c| c.code == "BG").unwrap();
    assert_eq!(bg.depth, Depth::Summary);
    assert_eq!(bg.legal_model.selling, None, "not verified stays unknown");
}

#[test]
fn booklet_follows_the_profile_languages() {
    let (_d, p) = open();
    p.set_languages(vec!["bg".into(), "en".into()]).unwrap();
    let nl = p.booklet("NL".into()).unwrap();
    assert_eq!((nl.lang.as_str(), nl.fallback), ("bg", false));
    assert_eq!(nl.review_status, ReviewStatus::MachineAssisted);
    let se = p.booklet("SE".into()).unwrap();
    assert_eq!((se.lang.as_str(), se.fallback), ("en", true));
    assert_eq!(se.review_status, ReviewStatus::Source);
    assert!(se
        .sections
        .iter()
        .all(|s| !s.sources.is_empty() && s.last_reviewed.len() == 10));
    let one = p.section("SE".into(), "help".into()).unwrap();
    assert_eq!(one.sections.len(), 1);
    assert!(!one.sections[0].helpline_ids.is_empty());
    assert!(matches!(
        p.section("SE".into(), "nope".into()),
        Err(ParasolError::NotFound { .. })
    ));
    assert!(matches!(
        p.booklet("Sweden".into()),
        Err(ParasolError::InvalidInput { .. })
    ));
}

#[test]
fn search_through_the_ffi() {
    let (_d, p) = open();
    let hits = p
        .search(
            "mensenhandel".into(),
            Some("NL".into()),
            Some("nl".into()),
            5,
        )
        .unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    assert!(hits.iter().all(|h| h.country == "NL" && h.lang == "nl"));
    let ro = p
        .search("politie".into(), Some("nl".into()), Some("ro".into()), 0)
        .unwrap();
    assert!(
        ro.iter().any(|h| h.section_id == "police"),
        "diacritics-insensitive: {ro:?}"
    );
    assert!(matches!(
        p.search("x".repeat(1000), None, None, 0),
        Err(ParasolError::InvalidInput { .. })
    ));
}

#[test]
fn selfcheck_through_the_ffi() {
    let (_d, p) = open();
    p.set_languages(vec!["ro".into()]).unwrap();
    let form = p.selfcheck().unwrap();
    assert_eq!(form.lang, "ro");
    let answers = form
        .questions
        .iter()
        .map(|q| SelfCheckAnswer {
            question_id: q.id.clone(),
            yes: false,
        })
        .collect();
    let r = p.score_selfcheck(answers, "SE".into()).unwrap();
    assert!(r.score > 0, "answering no to 'can you leave' is a sign");
    assert_eq!(r.helpline_ids, ["se-kvinnofridslinjen", "se-116006"]);
    assert!(r.helplines_note.contains("poliția"), "{}", r.helplines_note);
    let pl = p.score_selfcheck(vec![], "PL".into()).unwrap();
    assert_eq!(pl.police_helpline_ids, ["pl-police-trafficking"]);
    assert!(pl
        .other_helpline_ids
        .contains(&"pl-police-trafficking".into()));
    assert!(!pl.helpline_ids.contains(&"pl-police-trafficking".into()));
    assert!(!pl.other_note.is_empty());
    let bad = vec![SelfCheckAnswer {
        question_id: "nope".into(),
        yes: true,
    }];
    assert!(matches!(
        p.score_selfcheck(bad, "SE".into()),
        Err(ParasolError::InvalidInput { .. })
    ));
}

#[test]
fn signed_update_through_the_ffi() {
    let dir = tempfile::tempdir().unwrap();
    let key = pack::generate_key();
    let mut cfg = config(dir.path());
    cfg.extra_trusted_pack_keys = vec![key.verifying_key().to_bytes().to_vec()];
    let p = Parasol::open(cfg, None).unwrap();
    let mut payload = bundled_packs()
        .unwrap()
        .into_iter()
        .find(|x| x.pack_id == "HR")
        .unwrap();
    payload.pack_version += 1;
    payload.created_at = chrono::Utc::now();
    payload.expires_at = Some(chrono::Utc::now() + chrono::Duration::days(30));
    let signed = pack::sign(&serde_json::to_vec(&payload).unwrap(), &key);
    let mut tampered = signed.clone();
    tampered[100] ^= 4;
    assert!(matches!(
        p.install_content("HR".into(), tampered),
        Err(ParasolError::Crypto { .. })
    ));
    let up = p.install_content("HR".into(), signed.clone()).unwrap();
    assert_eq!(up.version, payload.pack_version);
    let hr = p.booklet("HR".into()).unwrap();
    assert!(!hr.stale);
    assert_eq!(
        hr.expires_at_unix_seconds,
        payload.expires_at.map(|t| t.timestamp())
    );
    // A pack that expires is still served, and flagged as out of date.
    let mut short = payload.clone();
    short.pack_version += 1;
    short.expires_at = Some(chrono::Utc::now() + chrono::Duration::seconds(2));
    p.install_content(
        "HR".into(),
        pack::sign(&serde_json::to_vec(&short).unwrap(), &key),
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let hr = p.booklet("HR".into()).unwrap();
    assert!(hr.stale, "expired content is flagged");
    assert!(!hr.sections.is_empty(), "and still served");
    assert!(p
        .countries()
        .unwrap()
        .iter()
        .any(|c| c.code == "HR" && c.stale));
    let mut no_expiry = short.clone();
    no_expiry.pack_version += 1;
    no_expiry.expires_at = None;
    assert!(matches!(
        p.install_content(
            "HR".into(),
            pack::sign(&serde_json::to_vec(&no_expiry).unwrap(), &key)
        ),
        Err(ParasolError::Content { .. })
    ));
    assert_eq!(up.previous_version, payload.pack_version - 1);
    assert!(
        matches!(
            p.install_content("HR".into(), signed),
            Err(ParasolError::Content { .. })
        ),
        "same version again is a rollback"
    );
    assert!(matches!(
        p.update_content("HR".into(), "http://example.org/hr.pack".into()),
        Err(ParasolError::InvalidInput { .. })
    ));
    let mut bad_key = config(dir.path());
    bad_key.extra_trusted_pack_keys = vec![vec![1, 2, 3]];
    assert!(matches!(
        Parasol::open(bad_key, None),
        Err(ParasolError::InvalidInput { .. })
    ));
}
