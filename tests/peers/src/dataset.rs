//! The generated journal: deterministic for a seed (ChaCha8), entries of
//! about 1 KB of text in eight languages, half of them incident reports with
//! structured fields, the common search word in about 30 % of the entries and
//! the selective one in one entry per thousand.

use crate::phrases::{Lang, COMMON_WORD, HOTELS, LANGS, NAMES, PLATES, SELECTIVE_WORD, STREETS};
use crate::wire::{DataEntry, DataIncident, DataSet};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Share of entries holding the common word.
const COMMON_SHARE: f64 = 0.3;
/// Text size of an entry body, in bytes (drawn uniformly).
const BODY_BYTES: std::ops::Range<usize> = 500..1100;

/// Generates `entries` journal entries and `extra` entries for the `add`
/// workload (which never hold the selective word).
pub fn generate(seed: u64, entries: usize, extra: usize) -> DataSet {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let selective_count = (entries / 1000).max(1);
    let mut selective_at: Vec<usize> = (0..entries).collect();
    selective_at.shuffle(&mut rng);
    selective_at.truncate(selective_count);
    let journal = (0..entries)
        .map(|i| entry(&mut rng, selective_at.contains(&i)))
        .collect();
    let extra = (0..extra).map(|_| entry(&mut rng, false)).collect();
    DataSet {
        seed,
        passphrase: "correct horse battery staple, peers bench".into(),
        entries: journal,
        extra,
        selective: SELECTIVE_WORD.into(),
        common: COMMON_WORD.into(),
        alert_note: "Meeting a new client at the hotel on the corner, room 12".into(),
    }
}

fn pick<'a>(rng: &mut ChaCha8Rng, from: &[&'a str]) -> &'a str {
    from.choose(rng).copied().unwrap_or("")
}

/// Fills the slots of `template`.
fn fill(rng: &mut ChaCha8Rng, lang: &Lang, template: &str) -> String {
    let mut out = template.to_string();
    while let Some(start) = out.find('{') {
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let value = match &out[start + 1..start + len] {
            "time" => format!(
                "{:02}:{:02}",
                (18 + rng.gen_range(0..10)) % 24,
                5 * rng.gen_range(0..12)
            ),
            "amount" => (10 * rng.gen_range(5..41)).to_string(),
            "room" => rng.gen_range(101..520).to_string(),
            "name" => pick(rng, NAMES).into(),
            "day" => pick(rng, lang.days).into(),
            "hotel" => pick(rng, HOTELS).into(),
            "street" => pick(rng, STREETS).into(),
            "plate" => pick(rng, PLATES).into(),
            other => other.to_uppercase(),
        };
        out.replace_range(start..start + len + 1, &value);
    }
    out
}

fn entry(rng: &mut ChaCha8Rng, selective: bool) -> DataEntry {
    let lang = &LANGS[rng.gen_range(0..LANGS.len())];
    let title = pick(rng, lang.titles);
    let title = fill(rng, lang, title);
    let target = rng.gen_range(BODY_BYTES);
    let mut order: Vec<&str> = lang.sentences.to_vec();
    order.shuffle(rng);
    let mut sentences: Vec<String> = Vec::new();
    if rng.gen_bool(COMMON_SHARE) {
        sentences.push(fill(rng, lang, lang.common));
    }
    if selective {
        sentences.push(fill(rng, lang, lang.selective));
    }
    for s in order {
        if sentences.iter().map(|s| s.len() + 1).sum::<usize>() >= target {
            break;
        }
        sentences.push(fill(rng, lang, s));
    }
    // The search words may sit anywhere in the text.
    sentences.shuffle(rng);
    let body = sentences
        .chunks(3)
        .map(|p| p.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut tags: Vec<String> = lang.tags.iter().map(|t| t.to_string()).collect();
    tags.shuffle(rng);
    tags.truncate(rng.gen_range(0..4));
    let incident = rng.gen_bool(0.5).then(|| {
        let reported_to_police = Some(rng.gen_bool(0.2));
        let mut opt = |p: f64, from: &[&str]| -> Option<String> {
            rng.gen_bool(p).then(|| {
                let t = pick(rng, from);
                fill(rng, lang, t)
            })
        };
        DataIncident {
            when: opt(0.9, lang.when),
            location: opt(0.7, lang.places),
            person: opt(0.8, lang.persons),
            vehicle: opt(0.4, lang.vehicles),
            contact: opt(0.3, &["+48 512 {amount} {room}", "+31 6 {room} {amount}"]),
            what_happened: opt(0.5, lang.sentences),
            injuries: None,
            taken: opt(0.4, lang.taken),
            witnesses: None,
            reported_to_police,
            follow_up: opt(0.3, lang.follow_up),
        }
    });
    DataEntry {
        lang: lang.code.into(),
        title,
        body,
        tags,
        incident,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_phrase() -> Vec<&'static str> {
        LANGS
            .iter()
            .flat_map(|l| {
                [l.titles, l.sentences, l.days, l.when, l.places]
                    .into_iter()
                    .chain([l.persons, l.vehicles, l.taken, l.follow_up, l.tags])
                    .flatten()
                    .copied()
            })
            .chain(
                NAMES
                    .iter()
                    .chain(HOTELS)
                    .chain(STREETS)
                    .chain(PLATES)
                    .copied(),
            )
            .collect()
    }

    #[test]
    fn search_words_occur_only_where_placed() {
        for p in every_phrase() {
            let p = p.to_lowercase();
            assert!(!p.contains(COMMON_WORD), "{p}");
            assert!(!p.contains(SELECTIVE_WORD), "{p}");
        }
        for l in LANGS {
            assert!(l.common.to_lowercase().contains(COMMON_WORD), "{}", l.code);
            assert!(
                l.selective.to_lowercase().contains(SELECTIVE_WORD),
                "{}",
                l.code
            );
        }
    }

    #[test]
    fn deterministic_and_shaped_as_documented() {
        let a = generate(7, 3000, 10);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&generate(7, 3000, 10)).unwrap()
        );
        assert_ne!(a.entries, generate(8, 3000, 10).entries);
        let selective = a
            .entries
            .iter()
            .filter(|e| e.contains(SELECTIVE_WORD))
            .count();
        assert_eq!(selective, 3);
        assert!(!a.extra.iter().any(|e| e.contains(SELECTIVE_WORD)));
        let common = a.entries.iter().filter(|e| e.contains(COMMON_WORD)).count();
        assert!((800..1000).contains(&common), "{common}");
        let bytes: usize = a.entries.iter().map(|e| e.body.len()).sum();
        assert!(
            (700..1100).contains(&(bytes / a.entries.len())),
            "{}",
            bytes / a.entries.len()
        );
        for l in LANGS {
            assert!(a.entries.iter().any(|e| e.lang == l.code), "{}", l.code);
        }
        assert!(a.entries.iter().any(|e| e.body.contains('ą')));
        assert!(a.entries.iter().any(|e| e.body.contains('ș')));
        assert!(a.entries.iter().any(|e| e.incident.is_some()));
    }
}
