//! Content sources: the human-editable TOML files under `content/` (format in
//! `docs/content-format.md`), compiled into [`PackPayload`]s.
//!
//! The same compiler serves the bundled content (the files are packed,
//! compressed and embedded in the library at build time by `core/build.rs`)
//! and `parasol content build` (files read from disk).

use super::model::*;
use crate::error::{Error, Result};
use crate::helplines::model::{Audience, Channel, Confidence, Helpline, Hours, WeeklySpan};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Source files by path relative to the content root ("countries/nl/en.toml").
pub type SourceTree = BTreeMap<String, String>;

/// The content sources, packed and deflate-compressed by `build.rs`.
static PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/content.deflate"));
/// Size of the unpacked archive, checked after inflating.
const PACKED_RAW_BYTES: &str = env!("PARASOL_CONTENT_RAW_BYTES");

/// The content sources embedded in the library (inflated on each call: the
/// caller keeps the compiled packs, not the sources).
pub fn embedded() -> SourceTree {
    unpack(PACKED).unwrap_or_default()
}

fn unpack(packed: &[u8]) -> Option<SourceTree> {
    let raw_len: usize = PACKED_RAW_BYTES.parse().ok()?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(packed, raw_len).ok()?;
    let mut tree = SourceTree::new();
    let mut rest = raw.as_slice();
    let take = |rest: &mut &[u8]| -> Option<Vec<u8>> {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        if tail.len() < len {
            return None;
        }
        let (item, tail) = tail.split_at(len);
        *rest = tail;
        Some(item.to_vec())
    };
    while !rest.is_empty() {
        let path = String::from_utf8(take(&mut rest)?).ok()?;
        let text = String::from_utf8(take(&mut rest)?).ok()?;
        tree.insert(path, text);
    }
    Some(tree)
}

/// Reads every `.toml` file under `root`.
pub fn read_dir(root: &Path) -> Result<SourceTree> {
    fn walk(root: &Path, dir: &Path, tree: &mut SourceTree) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, tree)?;
            } else if path.extension().is_some_and(|e| e == "toml") {
                let rel = path
                    .strip_prefix(root)
                    .map_err(|_| Error::Internal("path outside root".into()))?
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::Content(format!("{rel}: {e}")))?;
                tree.insert(rel, text);
            }
        }
        Ok(())
    }
    let mut tree = SourceTree::new();
    walk(root, root, &mut tree)?;
    Ok(tree)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryToml {
    code: String,
    depth: Depth,
    time_zone: String,
    languages: Vec<String>,
    last_reviewed: NaiveDate,
    #[serde(default)]
    pack_version: Option<u64>,
    names: BTreeMap<String, String>,
    #[serde(default)]
    legal_model: LegalModel,
    sections: Vec<SectionMeta>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LangToml {
    lang: String,
    review_status: ReviewStatus,
    #[serde(default)]
    translated_from: Option<String>,
    sections: BTreeMap<String, SectionText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HelplinesToml {
    #[serde(default)]
    review_status: BTreeMap<String, ReviewStatus>,
    #[serde(default)]
    helpline: Vec<HelplineToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HelplineToml {
    id: String,
    country: String,
    name: String,
    categories: Vec<crate::helplines::model::Category>,
    #[serde(default)]
    languages: Vec<String>,
    free: Option<bool>,
    anonymous: Option<bool>,
    not_on_bill: Option<bool>,
    domestic_only: Option<bool>,
    confidential: Option<bool>,
    outreach: Option<bool>,
    #[serde(default)]
    audience: Audience,
    time_zone: String,
    hours: String,
    #[serde(default)]
    weekly: Vec<WeeklySpan>,
    confidence: Confidence,
    source_url: String,
    last_verified: NaiveDate,
    source_date: Option<String>,
    description: BTreeMap<String, String>,
    #[serde(default)]
    caveats: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    channels: Vec<Channel>,
    address: Option<String>,
    #[serde(default)]
    contact_unverified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsToml {
    #[serde(default)]
    pack_version: Option<u64>,
    scoring: ScoringToml,
    question: Vec<QuestionToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoringToml {
    weights: WeightsToml,
    some_signs: u32,
    several_signs: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsToml {
    strong: u32,
    medium: u32,
    weak: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionToml {
    id: String,
    weight: Weight,
    signal: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SelfCheckLangToml {
    lang: String,
    review_status: ReviewStatus,
    #[serde(default)]
    #[allow(dead_code)]
    translated_from: Option<String>,
    title: String,
    intro: String,
    caveat: String,
    questions: BTreeMap<String, String>,
    results: BTreeMap<String, String>,
    #[serde(default)]
    lines: BTreeMap<String, String>,
}

fn parse<T: for<'de> Deserialize<'de>>(path: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::Content(format!("{path}: {}", e.message())))
}

/// Default pack version for bundled content: the review date as YYYYMMDD00.
fn date_version(d: NaiveDate) -> u64 {
    use chrono::Datelike;
    (d.year() as u64 * 10_000 + d.month() as u64 * 100 + d.day() as u64) * 100
}

/// Compiles a source tree into one payload per country plus the self-check
/// pack. `created_at` stamps the packs; `expires_at` is copied into each.
pub fn compile(
    tree: &SourceTree,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<Vec<PackPayload>> {
    let mut packs = Vec::new();
    let mut helplines_by_country: BTreeMap<String, Vec<Helpline>> = BTreeMap::new();
    let mut review_by_country: BTreeMap<String, BTreeMap<String, ReviewStatus>> = BTreeMap::new();
    for (path, text) in tree {
        if let Some(rest) = path.strip_prefix("helplines/") {
            let file: HelplinesToml = parse(path, text)?;
            let cc = rest.trim_end_matches(".toml").to_ascii_uppercase();
            review_by_country.insert(cc.clone(), file.review_status);
            for h in file.helpline {
                helplines_by_country
                    .entry(cc.clone())
                    .or_default()
                    .push(helpline(path, h)?);
            }
        }
    }
    for (path, text) in tree {
        let Some(rest) = path.strip_prefix("countries/") else {
            continue;
        };
        let Some(folder) = rest.strip_suffix("/country.toml") else {
            continue;
        };
        let c: CountryToml = parse(path, text)?;
        if !c.code.eq_ignore_ascii_case(folder) {
            return Err(Error::Content(format!(
                "{path}: code {} does not match the folder {folder}",
                c.code
            )));
        }
        let mut texts = BTreeMap::new();
        for lang in &c.languages {
            let lang_path = format!("countries/{folder}/{lang}.toml");
            let lang_text = tree
                .get(&lang_path)
                .ok_or_else(|| Error::Content(format!("{lang_path} is missing")))?;
            let l: LangToml = parse(&lang_path, lang_text)?;
            if &l.lang != lang {
                return Err(Error::Content(format!(
                    "{lang_path}: lang {} does not match the file name",
                    l.lang
                )));
            }
            texts.insert(
                lang.clone(),
                LanguageTexts {
                    review_status: l.review_status,
                    translated_from: l.translated_from,
                    sections: l.sections,
                },
            );
        }
        let code = c.code.to_ascii_uppercase();
        packs.push(PackPayload {
            format: FORMAT.into(),
            schema_version: SCHEMA_VERSION,
            pack_id: code.clone(),
            pack_version: c
                .pack_version
                .unwrap_or_else(|| date_version(c.last_reviewed)),
            created_at,
            expires_at,
            country: Some(CountryContent {
                helplines: helplines_by_country.remove(&code).unwrap_or_default(),
                helpline_review_status: review_by_country.remove(&code).unwrap_or_default(),
                code,
                depth: c.depth,
                time_zone: c.time_zone,
                languages: c.languages,
                last_reviewed: c.last_reviewed,
                names: c.names,
                legal_model: c.legal_model,
                sections: c.sections,
                texts,
            }),
            selfcheck: None,
        });
    }
    if let Some(orphans) = helplines_by_country.keys().next() {
        return Err(Error::Content(format!(
            "helplines/{}.toml has no countries/{}/country.toml",
            orphans.to_lowercase(),
            orphans.to_lowercase()
        )));
    }
    if let Some(text) = tree.get("selfcheck/questions.toml") {
        packs.push(selfcheck(tree, text, created_at, expires_at)?);
    }
    Ok(packs)
}

fn helpline(path: &str, h: HelplineToml) -> Result<Helpline> {
    let hours = match h.hours.as_str() {
        "always" => Hours::Always,
        "unknown" => Hours::Unknown,
        "weekly" => Hours::Weekly(h.weekly.clone()),
        other => {
            return Err(Error::Content(format!(
                "{path}: {}: hours must be always, unknown or weekly, not {other:?}",
                h.id
            )))
        }
    };
    if !matches!(hours, Hours::Weekly(_)) && !h.weekly.is_empty() {
        return Err(Error::Content(format!(
            "{path}: {}: weekly spans given but hours is not \"weekly\"",
            h.id
        )));
    }
    Ok(Helpline {
        id: h.id,
        country: h.country,
        name: h.name,
        categories: h.categories,
        languages: h.languages,
        free: h.free,
        anonymous: h.anonymous,
        not_on_bill: h.not_on_bill,
        domestic_only: h.domestic_only,
        confidential: h.confidential,
        outreach: h.outreach,
        audience: h.audience,
        time_zone: h.time_zone,
        hours,
        confidence: h.confidence,
        source_url: h.source_url,
        last_verified: h.last_verified,
        source_date: h.source_date,
        description: h.description,
        caveats: h.caveats,
        channels: h.channels,
        address: h.address,
        contact_unverified: h.contact_unverified,
    })
}

fn selfcheck(
    tree: &SourceTree,
    text: &str,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<PackPayload> {
    let q: QuestionsToml = parse("selfcheck/questions.toml", text)?;
    let mut questions = Vec::new();
    for item in q.question {
        let signal_is_yes = match item.signal.as_str() {
            "yes" => true,
            "no" => false,
            other => {
                return Err(Error::Content(format!(
                    "selfcheck/questions.toml: {}: signal must be yes or no, not {other:?}",
                    item.id
                )))
            }
        };
        questions.push(Question {
            id: item.id,
            weight: item.weight,
            signal_is_yes,
            source: item.source,
        });
    }
    let mut texts = BTreeMap::new();
    for (path, text) in tree {
        let Some(name) = path.strip_prefix("selfcheck/") else {
            continue;
        };
        if name == "questions.toml" {
            continue;
        }
        let l: SelfCheckLangToml = parse(path, text)?;
        if format!("{}.toml", l.lang) != name {
            return Err(Error::Content(format!(
                "{path}: lang {} does not match the file name",
                l.lang
            )));
        }
        texts.insert(
            l.lang,
            SelfCheckTexts {
                review_status: l.review_status,
                title: l.title,
                intro: l.intro,
                caveat: l.caveat,
                questions: l.questions,
                results: l.results,
                lines: l.lines,
            },
        );
    }
    Ok(PackPayload {
        format: FORMAT.into(),
        schema_version: SCHEMA_VERSION,
        pack_id: SELFCHECK_PACK_ID.into(),
        pack_version: q.pack_version.unwrap_or(1),
        created_at,
        expires_at,
        country: None,
        selfcheck: Some(SelfCheckContent {
            scoring: Scoring {
                strong: q.scoring.weights.strong,
                medium: q.scoring.weights.medium,
                weak: q.scoring.weights.weak,
                some_signs: q.scoring.some_signs,
                several_signs: q.scoring.several_signs,
            },
            questions,
            texts,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_sources_are_the_files_on_disk() {
        let disk = read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")).unwrap();
        let embedded = embedded();
        assert!(embedded.len() > 100, "{} files embedded", embedded.len());
        assert_eq!(embedded, disk);
    }

    #[test]
    fn a_damaged_archive_unpacks_to_nothing() {
        assert!(unpack(b"not deflate").is_none());
        assert!(unpack(&PACKED[..PACKED.len() / 2]).is_none());
    }
}
