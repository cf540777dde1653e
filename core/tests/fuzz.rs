//! Property-based fuzzing of every parser that reads untrusted bytes (issue 8).
//!
//! Nightly Rust (and so cargo-fuzz) is not available, so these are stable
//! `proptest` drivers over the same entry points a fuzzer would target:
//!
//! | target | entry point | untrusted input |
//! |---|---|---|
//! | `pack_*` | `content::pack::verify` / `open` | a downloaded content pack |
//! | `backup_*` | `Journal::import_backup` | a backup file the user picks |
//! | `sealed_*` | `crypto::open`, `journal::slots::Header::decode`, `KdfParams` | database cells, backup chunks |
//! | `dial_*` | `helplines::dial::normalize`, `alerts::validate::phone` | pack phone numbers, user input |
//! | `passphrase_*` | `journal::Passphrase::new` | what the user types |
//!
//! Each target starts from the seed corpus in `core/tests/corpus/` (run as-is,
//! then mutated) plus generated inputs. The default case counts keep
//! `cargo test` to a few seconds; `PROPTEST_CASES=N` runs N cases per target
//! (see `docs/performance.md` for the long-run command). Every target prints
//! how many inputs it executed.

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use parasol_core::alerts::validate;
use parasol_core::config::Config;
use parasol_core::content::library::{Library, Loaded, Origin};
use parasol_core::content::model::PackPayload;
use parasol_core::content::pack::{self, Expect};
use parasol_core::content::search::Filter;
use parasol_core::crypto::{self, SecretKey};
use parasol_core::helplines::{self, dial, Query};
use parasol_core::journal::slots::{self, Header};
use parasol_core::journal::{EntryDraft, Journal, JournalOptions, KdfParams, Passphrase};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------- harness

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Cases per target: `PROPTEST_CASES` if set, else the CI default.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `test` over `cases` inputs from `strategy` and reports the count.
fn run<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let n = cases(default_cases);
    let mut runner = TestRunner::new(RunnerConfig {
        cases: n,
        // Failures are reported with the minimal input; persisted seeds
        // would land next to this file.
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{name}: {e}");
    }
    eprintln!("fuzz {name}: {n} generated inputs, no failure");
}

/// A byte-level mutation of a seed.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(usize, u8),
    SetByte(usize, u8),
    Truncate(usize),
    Append(Vec<u8>),
    Remove(usize, usize),
    DuplicateRange(usize, usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        2 => any::<usize>().prop_map(Mutation::Truncate),
        1 => proptest::collection::vec(any::<u8>(), 1..64).prop_map(Mutation::Append),
        1 => (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Remove(i, n)),
        1 => (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::DuplicateRange(i, n)),
        1 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

/// Applies mutations; positions are taken modulo the length, skipping `keep`
/// (a byte range that must stay as it is).
fn mutate(seed: &[u8], ms: &[Mutation], keep: std::ops::Range<usize>) -> Vec<u8> {
    let mut out = seed.to_vec();
    for m in ms {
        let len = out.len().max(1);
        let pos = |i: usize| {
            let p = i % len;
            if keep.contains(&p) {
                keep.end.min(len - 1)
            } else {
                p
            }
        };
        match m {
            Mutation::FlipBit(i, b) if !out.is_empty() => {
                let p = pos(*i);
                out[p] ^= 1 << b;
            }
            Mutation::SetByte(i, v) if !out.is_empty() => {
                let p = pos(*i);
                out[p] = *v;
            }
            Mutation::Truncate(i) => out.truncate(i % len),
            Mutation::Append(b) => out.extend_from_slice(b),
            Mutation::Remove(i, n) if !out.is_empty() => {
                let p = pos(*i);
                let end = (p + n).min(out.len());
                out.drain(p..end);
            }
            Mutation::DuplicateRange(i, n) if !out.is_empty() => {
                let p = pos(*i);
                let end = (p + n).min(out.len());
                let copy = out[p..end].to_vec();
                out.splice(end..end, copy);
            }
            Mutation::Insert(i, b) => {
                let p = (i % (out.len() + 1)).max(if keep.is_empty() { 0 } else { keep.end });
                let p = p.min(out.len());
                out.splice(p..p, b.iter().copied());
            }
            _ => {}
        }
    }
    out
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(mutation(), 1..4)
}

// ---------------------------------------------------------------- packs

/// The throw-away key that signs the pack corpus (trusted only here).
fn corpus_key() -> SigningKey {
    let text = std::fs::read_to_string(corpus().join("packs/corpus-key.secret")).unwrap();
    pack::parse_secret_key(&text).unwrap()
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-29T01:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The instant packs are opened at: after the corpus packs were created and
/// before they expire, so every update check runs (version bound, expiry).
fn pack_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The seed payloads: `(pack id, JSON bytes)`.
fn seed_payloads() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(corpus().join("packs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        out.push((v["pack_id"].as_str().unwrap().to_owned(), bytes));
    }
    assert!(out.len() >= 2, "pack corpus is missing");
    out
}

/// Everything a shell does with an accepted pack must work without a panic,
/// and every dial string it hands out must be digits with at most a leading +.
fn exercise(pack: PackPayload) -> Result<(), TestCaseError> {
    let problems = parasol_core::content::validate::validate(&pack, None);
    prop_assert!(
        problems.is_empty(),
        "accepted a pack with problems: {problems:?}"
    );
    let id = pack.pack_id.clone();
    let library = Library::new([Loaded {
        pack,
        origin: Origin::Installed,
    }]);
    let _ = library.countries(&["en".into()]);
    let _ = library.search("police", &Filter::default());
    let _ = library.search("\u{202E}*#06#", &Filter::default());
    if let Ok(b) = library.booklet(&id, &["ro".into(), "en".into()]) {
        for s in &b.sections {
            let _ = library.section(&id, &s.id, &["en".into()]);
        }
    }
    if let Ok(lines) = library.helplines(&id) {
        for l in helplines::list(lines, &Query::default(), now(), &["en".into()]) {
            for i in 0..l.helpline.channels.len() {
                if let Ok(uri) = helplines::dial_uri(&l.helpline, i) {
                    let digits = uri.split_once(':').map_or("x", |(_, d)| d);
                    let digits = digits.strip_prefix('+').unwrap_or(digits);
                    prop_assert!(
                        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
                        "unsafe dial string {uri:?}"
                    );
                }
            }
        }
    }
    let _ = library.selfcheck(&["en".into()]);
    Ok(())
}

fn open_signed(signed: &[u8], pack_id: &str) -> parasol_core::Result<PackPayload> {
    let trusted = [corpus_key().verifying_key()];
    pack::open(
        signed,
        &trusted,
        &Expect {
            pack_id,
            newer_than: 0,
            now: pack_now(),
            installed: false,
        },
    )
}

#[test]
fn pack_seed_corpus_opens() {
    let key = corpus_key();
    for (id, payload) in seed_payloads() {
        let signed = pack::sign(&payload, &key);
        let pack = open_signed(&signed, &id).expect("seed pack opens");
        exercise(pack).unwrap();
    }
    // The committed signed packs verify byte for byte.
    for name in ["AT.pack", "selfcheck.pack"] {
        let signed = std::fs::read(corpus().join("packs").join(name)).unwrap();
        let id = name.trim_end_matches(".pack");
        open_signed(&signed, id).expect("committed pack opens");
    }
}

#[test]
fn pack_mutated_signed_bytes_never_verify() {
    let signed = std::fs::read(corpus().join("packs/AT.pack")).unwrap();
    let trusted = [corpus_key().verifying_key()];
    run("pack_mutated_signed_bytes", 128, mutations(), |ms| {
        let bad = mutate(&signed, &ms, 0..0);
        if bad != signed {
            prop_assert!(pack::verify(&bad, &trusted).is_err());
            prop_assert!(open_signed(&bad, "AT").is_err());
        }
        Ok(())
    });
}

#[test]
fn pack_arbitrary_bytes_are_refused() {
    let trusted = [corpus_key().verifying_key()];
    let strategy = (
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..400),
    );
    run(
        "pack_arbitrary_bytes",
        256,
        strategy,
        |(magic, mut bytes)| {
            if magic {
                bytes.splice(0..0, pack::MAGIC.iter().copied());
            }
            prop_assert!(pack::verify(&bytes, &trusted).is_err());
            prop_assert!(open_signed(&bytes, "AT").is_err());
            Ok(())
        },
    );
}

/// Nasty values to put anywhere in a payload.
fn nasty() -> impl Strategy<Value = Value> {
    let deep = {
        let mut v = Value::Null;
        for _ in 0..200 {
            v = Value::Array(vec![v]);
        }
        v
    };
    prop_oneof![
        Just(Value::Null),
        Just(Value::Bool(true)),
        Just(Value::from(-1)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(1e308)),
        Just(Value::from("")),
        Just(Value::from("x".repeat(200_000))),
        Just(Value::from("\u{202E}gnikcart\u{200B}")),
        Just(Value::from("javascript:alert(1)")),
        Just(Value::from("http://example.org/plain")),
        Just(Value::from("tel:*#06#")),
        Just(Value::from("*#06#")),
        Just(Value::from("+31 20 *31#")),
        Just(Value::from("+31\u{2066}334481186")),
        Just(Value::from("0800-COMENSHA")),
        Just(Value::from("Europe/Nowhere")),
        Just(Value::from("25:99")),
        Just(Value::from("NL")),
        Just(Value::from("selfcheck")),
        Just(Value::Array(vec![])),
        Just(Value::Array(vec![Value::from("en"); 5_000])),
        Just(Value::Object(Default::default())),
        Just(deep),
        "[ -~]{0,40}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ]
}

fn paths(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                paths(x, format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                paths(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, Value),
    Delete(usize),
    Duplicate(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(
        prop_oneof![
            4 => (any::<usize>(), nasty()).prop_map(|(i, v)| Edit::Replace(i, v)),
            1 => any::<usize>().prop_map(Edit::Delete),
            1 => any::<usize>().prop_map(Edit::Duplicate),
        ],
        1..4,
    )
}

fn apply(v: &mut Value, edits: &[Edit]) {
    for e in edits {
        let mut all = Vec::new();
        paths(v, String::new(), &mut all);
        let pick = |i: &usize| all[(*i % (all.len() - 1).max(1)) + 1.min(all.len() - 1)].clone();
        match e {
            Edit::Replace(i, x) => {
                if let Some(slot) = v.pointer_mut(&pick(i)) {
                    *slot = x.clone();
                }
            }
            Edit::Delete(i) => {
                let p = pick(i);
                let (parent, key) = p.rsplit_once('/').unwrap_or(("", ""));
                match v.pointer_mut(parent) {
                    Some(Value::Object(o)) => {
                        o.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(k) = key.parse::<usize>() {
                            if k < a.len() {
                                a.remove(k);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Edit::Duplicate(i) => {
                let p = pick(i);
                if let Some(Value::Array(a)) = v.pointer_mut(&p) {
                    if let Some(first) = a.first().cloned() {
                        a.push(first);
                    }
                }
            }
        }
    }
}

#[test]
fn pack_structured_payload_mutations() {
    let seeds = seed_payloads();
    let key = corpus_key();
    let strategy = (0..seeds.len(), edits());
    run("pack_structured_payload", 96, strategy, |(which, edits)| {
        let (id, bytes) = &seeds[which];
        let mut v: Value = serde_json::from_slice(bytes).unwrap();
        apply(&mut v, &edits);
        let payload = serde_json::to_vec(&v).unwrap();
        let signed = pack::sign(&payload, &key);
        if let Ok(pack) = open_signed(&signed, id) {
            exercise(pack)?;
        }
        Ok(())
    });
}

#[test]
fn pack_byte_level_payload_mutations() {
    let seeds = seed_payloads();
    let key = corpus_key();
    let strategy = (0..seeds.len(), mutations());
    run("pack_byte_level_payload", 96, strategy, |(which, ms)| {
        let (id, bytes) = &seeds[which];
        let payload = mutate(bytes, &ms, 0..0);
        let signed = pack::sign(&payload, &key);
        if let Ok(pack) = open_signed(&signed, id) {
            exercise(pack)?;
        }
        Ok(())
    });
}

// ---------------------------------------------------------------- backups

const BACKUP_PASS: &[u8] = b"corpus backup passphrase";
const JOURNAL_PASS: &[u8] = b"fuzzing journal passphrase";
/// The backup header's KDF parameters (bytes 14..26) are left alone by the
/// random mutations: a flipped high bit of the memory size would ask Argon2id
/// for up to 1 GiB per case. `sealed_kdf_params_are_bounded` covers them.
const BACKUP_KDF_BYTES: std::ops::Range<usize> = 14..26;

fn journal_in(dir: &Path) -> Journal {
    std::fs::create_dir_all(dir).unwrap();
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).unwrap();
    let profile = Arc::new(Profile::open(Config::new(dir), Arc::new(keys)).unwrap());
    Journal::with_options(
        profile,
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    )
}

fn titles(j: &Journal) -> Vec<String> {
    let mut t: Vec<String> = j
        .list()
        .unwrap()
        .into_iter()
        .map(|e| e.title.clone())
        .collect();
    t.sort();
    t
}

/// A backup made now, with an attachment large enough to span three chunks.
fn multi_chunk_backup(dir: &Path) -> Vec<u8> {
    let j = journal_in(&dir.join("source"));
    j.create(BACKUP_PASS).unwrap();
    let mut d = EntryDraft::note("big", "with an attachment");
    d.attachments = vec![parasol_core::journal::NewAttachment {
        name: "photo.jpg".into(),
        mime: "image/jpeg".into(),
        data: (0..140_000u32).map(|i| (i % 251) as u8).collect(),
    }];
    j.add(d).unwrap();
    j.add(EntryDraft::note("second", "text")).unwrap();
    let path = dir.join("multi.pbak");
    j.export_backup(BACKUP_PASS, None, &path).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn backup_mutations_fail_atomically() {
    let tmp = tempfile::tempdir().unwrap();
    let small = std::fs::read(corpus().join("backups/small.pbak")).unwrap();
    let multi = multi_chunk_backup(tmp.path());
    let seeds = [small, multi];

    // The seeds import into a fresh journal.
    for (i, seed) in seeds.iter().enumerate() {
        let j = journal_in(&tmp.path().join(format!("fresh{i}")));
        let p = tmp.path().join(format!("seed{i}.pbak"));
        std::fs::write(&p, seed).unwrap();
        j.import_backup(&p, BACKUP_PASS, JOURNAL_PASS).unwrap();
        j.unlock(JOURNAL_PASS).unwrap();
        assert!(j.verify().unwrap().ok);
    }

    // The target: a journal with its own entries that no failed import may touch.
    let target = journal_in(&tmp.path().join("target"));
    target.create(JOURNAL_PASS).unwrap();
    target
        .add(EntryDraft::note("mine", "fuzz canary entry"))
        .unwrap();
    let before = titles(&target);
    let path = tmp.path().join("mutated.pbak");
    let strategy = (0..seeds.len(), mutations());
    run("backup_mutations", 64, strategy, |(which, ms)| {
        let seed = &seeds[which];
        let bad = mutate(seed, &ms, BACKUP_KDF_BYTES);
        if &bad == seed {
            return Ok(());
        }
        std::fs::write(&path, &bad).unwrap();
        let r = target.import_backup(&path, BACKUP_PASS, b"another passphrase");
        prop_assert!(r.is_err(), "a mutated backup was imported");
        prop_assert!(target.is_unlocked());
        prop_assert_eq!(titles(&target), before.clone());
        Ok(())
    });
    target.lock();
    target.unlock(JOURNAL_PASS).unwrap();
    assert!(target.verify().unwrap().ok);
    assert_eq!(titles(&target), before);
}

/// Backup chunks reordered, duplicated, dropped or re-flagged never import.
#[test]
fn backup_chunk_shuffles_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let multi = multi_chunk_backup(tmp.path());
    let (head, chunks) = split_chunks(&multi);
    assert!(chunks.len() >= 3, "seed spans {} chunks", chunks.len());
    let target = journal_in(&tmp.path().join("target"));
    let path = tmp.path().join("shuffled.pbak");
    let n = chunks.len();
    let strategy = proptest::collection::vec(0..n, 1..n + 2);
    run("backup_chunk_shuffles", 32, strategy, |order| {
        if order == (0..n).collect::<Vec<_>>() {
            return Ok(());
        }
        let mut bytes = head.to_vec();
        for i in &order {
            bytes.extend_from_slice(&chunks[*i]);
        }
        std::fs::write(&path, &bytes).unwrap();
        prop_assert!(target
            .import_backup(&path, BACKUP_PASS, JOURNAL_PASS)
            .is_err());
        prop_assert!(!target.exists().unwrap());
        Ok(())
    });
}

/// Splits a backup into its clear part (header + check) and its chunks.
fn split_chunks(bytes: &[u8]) -> (&[u8], Vec<Vec<u8>>) {
    let start = parasol_core::journal::backup::HEADER_LEN + 32;
    let mut chunks = Vec::new();
    let mut at = start;
    while at < bytes.len() {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        chunks.push(bytes[at..at + 5 + len].to_vec());
        at += 5 + len;
    }
    (&bytes[..start], chunks)
}

// ---------------------------------------------------------------- sealed values and headers

#[test]
fn sealed_round_trip_and_mutations() {
    let key = SecretKey::from_bytes([7; 32]);
    let seed = std::fs::read(corpus().join("sealed/record.bin")).unwrap();
    assert_eq!(
        &crypto::open(&key, b"corpus-context", &seed).unwrap()[..],
        b"corpus sealed plaintext"
    );
    run("sealed_mutations", 256, mutations(), |ms| {
        let bad = mutate(&seed, &ms, 0..0);
        if bad != seed {
            prop_assert!(crypto::open(&key, b"corpus-context", &bad).is_err());
        }
        Ok(())
    });
    let strategy = (
        proptest::collection::vec(any::<u8>(), 0..3000),
        proptest::collection::vec(any::<u8>(), 0..64),
    );
    run("sealed_round_trip", 128, strategy, |(plain, ctx)| {
        let sealed = crypto::seal(&key, &ctx, &plain).unwrap();
        prop_assert_eq!(&crypto::open(&key, &ctx, &sealed).unwrap()[..], &plain[..]);
        let mut other = ctx.clone();
        other.push(0);
        prop_assert!(crypto::open(&key, &other, &sealed).is_err());
        Ok(())
    });
    let strategy = (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..600));
    run(
        "sealed_arbitrary_bytes",
        256,
        strategy,
        |(version, mut bytes)| {
            bytes.insert(0, version);
            prop_assert!(crypto::open(&key, b"corpus-context", &bytes).is_err());
            Ok(())
        },
    );
}

#[test]
fn sealed_journal_header_parsing() {
    let seed = std::fs::read(corpus().join("sealed/journal-header.bin")).unwrap();
    let h = Header::decode(&seed).unwrap();
    assert_eq!(h.encode(), seed);
    let strategy = prop_oneof![
        mutations().prop_map(move |ms| mutate(&seed, &ms, 0..0)),
        proptest::collection::vec(any::<u8>(), 0..80),
    ];
    run("sealed_journal_header", 512, strategy, |bytes| {
        if let Ok(h) = Header::decode(&bytes) {
            prop_assert_eq!(h.encode(), bytes);
            // Decoding never judges the parameters; the KDF check does.
            let _ = h.kdf.check(false);
        }
        Ok(())
    });
}

#[test]
fn sealed_kdf_params_are_bounded() {
    run("sealed_kdf_params", 512, any::<[u8; 12]>(), |bytes| {
        let p = KdfParams::decode(&bytes);
        prop_assert_eq!(p.encode(), bytes);
        if p.check(true).is_ok() {
            prop_assert!(p.m_kib <= KdfParams::CAP.m_kib);
            prop_assert!(p.t <= KdfParams::CAP.t && p.p <= KdfParams::CAP.p);
        }
        if p.check(false).is_ok() {
            prop_assert!(p.m_kib >= KdfParams::FLOOR.m_kib && p.t >= KdfParams::FLOOR.t);
        }
        Ok(())
    });
}

#[test]
fn sealed_slots_never_open_for_random_bytes() {
    let kek = SecretKey::from_bytes([9; 32]);
    let header = std::fs::read(corpus().join("sealed/journal-header.bin")).unwrap();
    let strategy = proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..400), 0..3);
    run("sealed_slots", 128, strategy, |cells| {
        prop_assert!(slots::try_all(&kek, &header, &cells).is_none());
        Ok(())
    });
}

// ---------------------------------------------------------------- dial strings

const COUNTRIES: &[&str] = &["NL", "SE", "PL", "HR", "DE", "BE", "AT", "RO", "ES", "XX"];

fn dial_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => proptest::char::range('0', '9'),
        2 => prop_oneof![Just(' '), Just('-'), Just('.'), Just('('), Just(')'), Just('/')],
        1 => Just('+'),
        1 => prop_oneof![Just('*'), Just('#'), Just(','), Just(';'), Just('p'), Just('w')],
        1 => proptest::char::range('A', 'z'),
        1 => prop_oneof![
            Just('\u{200B}'), Just('\u{200E}'), Just('\u{202E}'), Just('\u{2066}'),
            Just('\u{00A0}'), Just('\u{FEFF}'), Just('\u{00AD}'), Just('\u{0660}'),
            Just('\u{FF10}'), Just('\u{FF0B}'), Just('\u{2212}'), Just('\u{0000}'),
            Just('\t'), Just('\n'),
        ],
        1 => any::<char>(),
    ]
}

fn is_allowed_dial_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+')
}

fn seed_dial() -> Vec<(String, String)> {
    std::fs::read_to_string(corpus().join("dial.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (cc, raw) = l.split_once('\t').expect("CC<TAB>number");
            (cc.to_owned(), raw.to_owned())
        })
        .collect()
}

fn check_dial(cc: &str, raw: &str) -> Result<(), TestCaseError> {
    match dial::normalize(cc, raw) {
        Ok(out) => {
            let body = out.strip_prefix('+').unwrap_or(&out);
            prop_assert!(
                !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()),
                "{out:?}"
            );
            prop_assert!(raw.chars().all(is_allowed_dial_char), "accepted {raw:?}");
            prop_assert_eq!(
                dial::normalize(cc, &out).ok(),
                Some(out.clone()),
                "not idempotent"
            );
        }
        Err(e) => prop_assert_eq!(e.kind(), parasol_core::ErrorKind::InvalidInput),
    }
    match validate::phone(raw) {
        Ok(out) => {
            prop_assert!(out.starts_with('+'));
            prop_assert!(out[1..].bytes().all(|b| b.is_ascii_digit()), "{out:?}");
            prop_assert!(raw.chars().all(is_allowed_dial_char) && !raw.contains('/'));
            prop_assert_eq!(
                validate::phone(&out).ok(),
                Some(out.clone()),
                "not idempotent"
            );
        }
        Err(e) => prop_assert_eq!(e.kind(), parasol_core::ErrorKind::InvalidInput),
    }
    Ok(())
}

#[test]
fn dial_seed_corpus() {
    let seeds = seed_dial();
    assert!(seeds.len() >= 20);
    for (cc, raw) in &seeds {
        check_dial(cc, raw).unwrap_or_else(|e| panic!("{cc} {raw:?}: {e}"));
    }
}

#[test]
fn dial_generated_strings() {
    let strategy = (
        proptest::sample::select(COUNTRIES),
        proptest::collection::vec(dial_char(), 0..24),
    );
    run("dial_generated", 1024, strategy, |(cc, chars)| {
        let raw: String = chars.into_iter().collect();
        check_dial(cc, &raw)
    });
}

#[test]
fn dial_seed_mutations_and_separators() {
    let seeds = seed_dial();
    let strategy = (
        0..seeds.len(),
        proptest::collection::vec((any::<usize>(), dial_char()), 0..4),
        proptest::collection::vec(
            (any::<usize>(), prop_oneof![Just(' '), Just('-'), Just('.')]),
            0..4,
        ),
    );
    run(
        "dial_seed_mutations",
        512,
        strategy,
        |(which, inserts, seps)| {
            let (cc, raw) = &seeds[which];
            let mut chars: Vec<char> = raw.chars().collect();
            for (i, c) in &inserts {
                chars.insert(i % (chars.len() + 1), *c);
            }
            let mutated: String = chars.into_iter().collect();
            check_dial(cc, &mutated)?;
            // Separators between digits never change the result.
            if let Ok(clean) = dial::normalize(cc, raw) {
                let mut chars: Vec<char> = raw.chars().collect();
                for (i, c) in &seps {
                    chars.insert(1 + i % chars.len().max(1), *c);
                }
                let spaced: String = chars.into_iter().collect();
                if !spaced.contains("+ ") && !spaced.contains("+-") && !spaced.contains("+.") {
                    prop_assert_eq!(dial::normalize(cc, &spaced).ok(), Some(clean));
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------- passphrases

fn seed_passphrases() -> Vec<String> {
    std::fs::read_to_string(corpus().join("passphrases.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            l.replace("\\u{a0}", "\u{a0}")
                .replace("\\u{3000}", "\u{3000}")
        })
        .collect()
}

const NON_ASCII_SPACES: &[char] = &[
    '\u{00A0}', '\u{1680}', '\u{2000}', '\u{2005}', '\u{200A}', '\u{202F}', '\u{205F}', '\u{3000}',
];

fn check_passphrase(s: &str) -> Result<(), TestCaseError> {
    let Ok(p) = Passphrase::new(s.as_bytes()) else {
        return Ok(());
    };
    let out = std::str::from_utf8(p.bytes()).unwrap();
    prop_assert!(p.bytes().len() <= parasol_core::journal::passphrase::MAX_PASSPHRASE_BYTES);
    prop_assert!(!out.contains(NON_ASCII_SPACES), "space left in {out:?}");
    prop_assert!(!out.trim().is_empty());
    // Idempotent.
    let again = Passphrase::new(p.bytes()).unwrap();
    prop_assert_eq!(again.bytes(), p.bytes());
    // NFC and NFD (and NFC of NFD) give the same passphrase when they fit.
    for form in [s.nfd().collect::<String>(), s.nfc().collect::<String>()] {
        if let Ok(q) = Passphrase::new(form.as_bytes()) {
            prop_assert_eq!(q.bytes(), p.bytes(), "NFC/NFD differ for {:?}", s);
        }
    }
    // Every kind of space is the same space.
    let spaced: String = s
        .chars()
        .map(|c| if c == ' ' { '\u{3000}' } else { c })
        .collect();
    if let Ok(q) = Passphrase::new(spaced.as_bytes()) {
        prop_assert_eq!(q.bytes(), p.bytes());
    }
    Ok(())
}

fn pass_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => proptest::char::range(' ', '~'),
        2 => prop_oneof![
            Just('e'), Just('\u{301}'), Just('\u{e9}'), Just('\u{303}'), Just('\u{1100}'),
            Just('\u{1161}'), Just('\u{ac00}'), Just('\u{212b}'), Just('\u{fb01}'), Just('\u{1e9b}'),
            Just('\u{323}'), Just('\u{0344}'), Just('\u{0f73}'),
        ],
        1 => proptest::sample::select(NON_ASCII_SPACES),
        1 => any::<char>(),
    ]
}

#[test]
fn passphrase_seed_corpus() {
    for s in seed_passphrases() {
        check_passphrase(&s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
}

#[test]
fn passphrase_generated() {
    let strategy = proptest::collection::vec(pass_char(), 0..48);
    run("passphrase_generated", 1024, strategy, |chars| {
        check_passphrase(&chars.into_iter().collect::<String>())
    });
    run(
        "passphrase_arbitrary_bytes",
        512,
        proptest::collection::vec(any::<u8>(), 0..64),
        |bytes| {
            let _ = Passphrase::new(&bytes);
            Ok(())
        },
    );
    // Near the length limit: the cap is on the normalised bytes, never a truncation.
    let strategy = (1000usize..1100, pass_char());
    run("passphrase_near_limit", 64, strategy, |(n, c)| {
        let s: String = std::iter::repeat_n(c, n / c.len_utf8().max(1)).collect();
        if let Ok(p) = Passphrase::new(s.as_bytes()) {
            prop_assert!(p.bytes().len() <= 1024);
        }
        check_passphrase(&s)
    });
}

// ---------------------------------------------------------------- corpus

/// Regenerates only the pack seeds (`cargo test -p parasol-core --test fuzz
/// -- --ignored regenerate_pack_corpus`): a small country summary and the
/// self-check, as updates are built (created a day before [`pack_now`],
/// valid for a year), signed by the corpus key.
#[test]
#[ignore]
fn regenerate_pack_corpus() {
    let dir = corpus();
    let key = match std::fs::read_to_string(dir.join("packs/corpus-key.secret")) {
        Ok(t) => pack::parse_secret_key(&t).unwrap(),
        Err(_) => {
            let k = pack::generate_key();
            std::fs::create_dir_all(dir.join("packs")).unwrap();
            std::fs::write(
                dir.join("packs/corpus-key.secret"),
                &*pack::secret_key_file(&k),
            )
            .unwrap();
            k
        }
    };
    for mut p in parasol_core::content::bundled_packs().unwrap() {
        if p.pack_id == "AT" || p.pack_id == "selfcheck" {
            p.created_at = pack_now() - chrono::Duration::days(1);
            p.expires_at = Some(pack_now() + chrono::Duration::days(365));
            let json = serde_json::to_vec_pretty(&p).unwrap();
            std::fs::write(dir.join(format!("packs/{}.json", p.pack_id)), &json).unwrap();
            std::fs::write(
                dir.join(format!("packs/{}.pack", p.pack_id)),
                pack::sign(&json, &key),
            )
            .unwrap();
        }
    }
}

/// Regenerates the binary seeds (`cargo test -p parasol-core --test fuzz --
/// --ignored regenerate_corpus`). The committed files are what CI uses.
#[test]
#[ignore]
fn regenerate_corpus() {
    regenerate_pack_corpus();
    let dir = corpus();
    // A small backup.
    let tmp = tempfile::tempdir().unwrap();
    let j = journal_in(tmp.path());
    j.create(BACKUP_PASS).unwrap();
    j.add(EntryDraft::note("seed", "a small corpus entry"))
        .unwrap();
    std::fs::create_dir_all(dir.join("backups")).unwrap();
    j.export_backup(BACKUP_PASS, None, &dir.join("backups/small.pbak"))
        .unwrap();
    // Sealed values.
    std::fs::create_dir_all(dir.join("sealed")).unwrap();
    let key = SecretKey::from_bytes([7; 32]);
    std::fs::write(
        dir.join("sealed/record.bin"),
        crypto::seal(&key, b"corpus-context", b"corpus sealed plaintext").unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("sealed/journal-header.bin"),
        Header::with_vault_id([3; 16], KdfParams::DEFAULT).encode(),
    )
    .unwrap();
}
