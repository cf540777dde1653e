//! The indexed journal search and the titles-only list (issue 16, points 2
//! and 3): the index finds exactly what a full decrypt-and-scan finds, for
//! queries with and without diacritics, before and after adds, updates and
//! deletes; the titles-only list agrees with the full list.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::content::fold::fold_text;
use parasol_core::journal::index::query_terms;
use parasol_core::journal::Entry;
use parasol_core::journal::{
    EntryDraft, EntryKind, Incident, Journal, JournalOptions, NewAttachment,
};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

const PASS: &[u8] = b"correct horse battery staple";

fn open(dir: &Path) -> Journal {
    std::fs::create_dir_all(dir).unwrap();
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).unwrap();
    let profile =
        Profile::open_with_clock(Config::new(dir), Arc::new(keys), Arc::new(SystemClock)).unwrap();
    Journal::with_options(
        Arc::new(profile),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    )
}

const WORDS: &[&str] = &[
    "Poliție",
    "Łódź",
    "Straße",
    "café",
    "naïve",
    "Ñandú",
    "Žrtve",
    "trgovanja",
    "Mänskohandel",
    "station",
    "flat",
    "grey",
    "van",
    "passport",
    "money",
    "Ёлка",
    "jacket",
    "Friday",
    "night",
    "doctor",
    "lawyer",
    "NGO",
    "witness",
    "bruise",
    "hotel",
    "room",
    "taxi",
    "œuvre",
    "Ærø",
    "İstanbul",
    "ŁUKASZ",
    "Poliţie",
    "resumé",
    "coöperate",
];

fn draft(i: usize) -> EntryDraft {
    let w = |k: usize| WORDS[(i * 7 + k * 13) % WORDS.len()];
    let mut d = EntryDraft::note(
        format!("{} {} #{i}", w(0), w(1)),
        format!("{} and {}, then {}.", w(2), w(3), w(4)),
    );
    d.tags = vec![w(5).to_lowercase()];
    if i.is_multiple_of(3) {
        d.kind = EntryKind::Incident;
        d.incident = Some(Incident {
            location: Some(format!("near the {}", w(6))),
            person: Some(format!("{} man", w(7))),
            ..Incident::default()
        });
    }
    if i.is_multiple_of(11) {
        d.attachments.push(NewAttachment {
            name: format!("{}.jpg", w(8)),
            mime: "image/jpeg".into(),
            data: vec![1, 2, 3],
        });
    }
    d
}

const QUERIES: &[&str] = &[
    "politie",
    "POLIȚIE",
    "lodz",
    "Łódź",
    "strasse",
    "STRASSE",
    "cafe",
    "café",
    "naive",
    "nandu",
    "zrtve",
    "trgo",
    "handel",
    "elka",
    "ёлка",
    "station flat",
    "grey van",
    "passport money",
    "jpg",
    "near",
    "man",
    "doc",
    "law",
    "zzz-not-there",
    "a",
    "e",
    "ae",
    "ærø",
    "aero",
    "istanbul",
    "lukasz",
    "resume",
    "cooperate",
    "oeuvre",
    "#1",
    "1",
    "42",
    "van, grey!",
    "t",
];

/// The reference: every term is a substring of the entry's folded text, the
/// rights search's rule, by a plain scan.
fn scan_matches(e: &Entry, terms: &[String]) -> bool {
    let mut text = vec![e.title.clone(), e.body.clone()];
    text.extend(e.tags.iter().cloned());
    text.extend(e.attachments.iter().map(|a| a.name.clone()));
    if let Some(i) = &e.incident {
        text.extend(i.fields().iter().filter_map(|(_, v)| v.map(str::to_owned)));
    }
    let folded = fold_text(&text.join("\n"));
    terms.iter().all(|t| folded.contains(t.as_str()))
}

fn scan(j: &Journal, query: &str) -> BTreeSet<String> {
    let terms = query_terms(query);
    j.list()
        .unwrap()
        .iter()
        .filter(|e| scan_matches(e, &terms))
        .map(|e| e.id.clone())
        .collect()
}

fn indexed(j: &Journal, query: &str) -> BTreeSet<String> {
    j.search_titles(query)
        .unwrap()
        .into_iter()
        .map(|e| e.id.clone())
        .collect()
}

fn check_all(j: &Journal, label: &str) {
    for q in QUERIES {
        assert_eq!(indexed(j, q), scan(j, q), "{label}: query {q:?}");
        let full: BTreeSet<String> = j
            .search(q)
            .unwrap()
            .into_iter()
            .map(|e| e.id.clone())
            .collect();
        assert_eq!(
            full,
            indexed(j, q),
            "{label}: search and search_titles agree on {q:?}"
        );
    }
}

#[test]
fn the_index_finds_what_a_full_scan_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let j = open(tmp.path());
    j.create(PASS).unwrap();
    let mut ids = Vec::new();
    for i in 0..120 {
        ids.push(j.add(draft(i)).unwrap());
    }
    check_all(&j, "after adds");
    // Diacritics and case fold away, both ways.
    assert!(!indexed(&j, "politie").is_empty());
    assert_eq!(indexed(&j, "politie"), indexed(&j, "POLIȚIE"));
    assert_eq!(indexed(&j, "lodz"), indexed(&j, "ŁÓDŹ"));
    // Kept up to date by the session's writes.
    j.update(&ids[0], EntryDraft::note("Renamed", "now about a yacht"))
        .unwrap();
    j.delete(&ids[1]).unwrap();
    j.add(EntryDraft::note("Fresh", "another yacht, Poliție"))
        .unwrap();
    check_all(&j, "after writes");
    assert_eq!(indexed(&j, "yacht").len(), 2);
    assert!(!indexed(&j, "yacht").contains(&ids[1]));
    // And the same after a new unlock (rebuilt from the disk).
    j.lock();
    j.unlock(PASS).unwrap();
    check_all(&j, "after unlock");
    // An empty query is an error, not "everything".
    assert_eq!(
        j.search_titles("  ,;  ").unwrap_err().kind(),
        parasol_core::ErrorKind::InvalidInput
    );
}

#[test]
fn titles_only_list_agrees_with_the_full_list() {
    let tmp = tempfile::tempdir().unwrap();
    let j = open(tmp.path());
    j.create(PASS).unwrap();
    for i in 0..30 {
        let id = j.add(draft(i)).unwrap();
        if i % 4 == 0 {
            j.update(&id, draft(i + 100)).unwrap();
        }
    }
    let full = j.list().unwrap();
    let titles = j.list_titles().unwrap();
    assert_eq!(full.len(), titles.len());
    for (e, t) in full.iter().zip(&titles) {
        assert_eq!(
            (&e.id, e.version, e.kind, &e.title, &e.tags),
            (&t.id, t.version, t.kind, &t.title, &t.tags)
        );
        assert_eq!((e.created_at, e.updated_at), (t.created_at, t.updated_at));
        assert_eq!(e.attachments.len() as u32, t.attachments);
    }
    j.lock();
    assert_eq!(
        j.list_titles().unwrap_err().kind(),
        parasol_core::ErrorKind::Locked
    );
}
