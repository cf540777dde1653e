//! The packs in use, and what the app reads from them: the list of countries,
//! booklets and sections in the best available language, helplines, and the
//! self-check.

use super::model::*;
use super::search::{Filter, Hit, Index};
use crate::error::{Error, Result};
use crate::helplines::model::Helpline;
use crate::helplines::referral;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// Where a pack in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the app.
    Bundled,
    /// A verified update, installed from the network.
    Installed,
}

/// A pack in use.
#[derive(Debug)]
pub struct Loaded {
    /// Its content.
    pub pack: PackPayload,
    /// Where it came from.
    pub origin: Origin,
}

impl Loaded {
    /// Whether the pack is out of date at `now`: an installed update past its
    /// expiry (or without one). It is still served (better than nothing when
    /// offline), but the reader is told. Bundled packs ship with the app and
    /// are never stale.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        is_stale(self.origin, self.pack.expires_at, now)
    }
}

/// Whether a pack from `origin` expiring at `expires_at` is out of date at `now`.
pub fn is_stale(origin: Origin, expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match origin {
        Origin::Bundled => false,
        Origin::Installed => expires_at.is_none_or(|t| t <= now),
    }
}

/// The content in use: one pack per id (the newest verified one).
#[derive(Debug, Default)]
pub struct Library {
    packs: BTreeMap<String, Loaded>,
    index: OnceLock<Index>,
}

/// A country in the list of countries.
#[derive(Debug, Clone, PartialEq)]
pub struct CountrySummary {
    /// ISO code.
    pub code: String,
    /// Name in the best available language.
    pub name: String,
    /// Languages with a complete text.
    pub languages: Vec<String>,
    /// Full booklet or summary.
    pub depth: Depth,
    /// The legal model.
    pub legal_model: LegalModel,
    /// The pack version in use.
    pub pack_version: u64,
    /// Where the pack in use came from.
    pub origin: Origin,
    /// When the pack in use expires (`None` for bundled packs).
    pub expires_at: Option<DateTime<Utc>>,
}

impl CountrySummary {
    /// Whether the country's content is out of date at `now` (see [`Loaded::is_stale`]).
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        is_stale(self.origin, self.expires_at, now)
    }
}

/// A section as shown to the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Plain text.
    pub body: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Helplines the section points to.
    pub helplines: Vec<String>,
    /// When the facts were last checked.
    pub last_reviewed: chrono::NaiveDate,
}

/// A booklet in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Booklet {
    /// ISO code.
    pub country: String,
    /// Country name in `lang`.
    pub name: String,
    /// The language shown.
    pub lang: String,
    /// True when the first preferred language was not available.
    pub fallback: bool,
    /// How far the text in `lang` can be trusted.
    pub review_status: ReviewStatus,
    /// Full booklet or summary.
    pub depth: Depth,
    /// The legal model.
    pub legal_model: LegalModel,
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// Where the pack in use came from.
    pub origin: Origin,
    /// When the pack in use expires (`None` for bundled packs).
    pub expires_at: Option<DateTime<Utc>>,
}

impl Booklet {
    /// Whether the booklet is out of date at `now` (see [`Loaded::is_stale`]).
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        is_stale(self.origin, self.expires_at, now)
    }
}

/// How the self-check result reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Few or no signs.
    NoSigns,
    /// Some signs.
    SomeSigns,
    /// Several signs.
    SeveralSigns,
}

impl Level {
    /// The stable key of the result text.
    pub fn key(self) -> &'static str {
        match self {
            Level::NoSigns => "no_signs",
            Level::SomeSigns => "some_signs",
            Level::SeveralSigns => "several_signs",
        }
    }
}

/// The self-check questionnaire in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfCheckForm {
    /// The language shown.
    pub lang: String,
    /// True when the first preferred language was not available.
    pub fallback: bool,
    /// How far the text can be trusted.
    pub review_status: ReviewStatus,
    /// Heading.
    pub title: String,
    /// Shown before the questions.
    pub intro: String,
    /// Indicators neither prove nor disprove trafficking.
    pub caveat: String,
    /// (id, question) in order.
    pub questions: Vec<(String, String)>,
}

/// The outcome of a self-check. Never stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfCheckResult {
    /// The band the answers fall in.
    pub level: Level,
    /// The weighted total.
    pub score: u32,
    /// The result text.
    pub text: String,
    /// Indicators neither prove nor disprove trafficking.
    pub caveat: String,
    /// Services that are not the police and say you can talk in confidence
    /// or anonymously ([`referral::may_promise_confidentiality`]).
    pub helplines: Vec<String>,
    /// Shown above `helplines`; when there are none, says so.
    pub helplines_note: String,
    /// Other services to offer, with no promise (trafficking services, or
    /// the emergency lines when there is nothing else).
    pub other_helplines: Vec<String>,
    /// Shown above `other_helplines` (empty when there are none); says that
    /// lines in `police_helplines` are the police.
    pub other_note: String,
    /// The ids in `other_helplines` that are run by the police.
    pub police_helplines: Vec<String>,
}

/// Chooses the best language in `available` for someone who reads `preferred`
/// (most preferred first): an exact tag, then the same primary language, else
/// English. `fallback` is true when the first preference was not met.
pub fn choose_language(available: &[String], preferred: &[String]) -> (String, bool) {
    let primary = |t: &str| t.split('-').next().unwrap_or(t).to_owned();
    for (i, want) in preferred.iter().enumerate() {
        let found = available
            .iter()
            .find(|a| *a == want)
            .or_else(|| available.iter().find(|a| primary(a) == primary(want)));
        if let Some(lang) = found {
            return (lang.clone(), i > 0);
        }
    }
    let lang = if available.iter().any(|a| a == "en") {
        "en".to_owned()
    } else {
        available
            .first()
            .cloned()
            .unwrap_or_else(|| "en".to_owned())
    };
    (lang, !preferred.is_empty())
}

impl Library {
    /// A library over `packs` (one per id; later entries replace earlier ones).
    pub fn new(packs: impl IntoIterator<Item = Loaded>) -> Library {
        Library {
            packs: packs
                .into_iter()
                .map(|l| (l.pack.pack_id.clone(), l))
                .collect(),
            index: OnceLock::new(),
        }
    }

    /// The packs in use, by id.
    pub fn packs(&self) -> &BTreeMap<String, Loaded> {
        &self.packs
    }

    /// The version of pack `id` in use (0 if none).
    pub fn version_of(&self, id: &str) -> u64 {
        self.packs.get(id).map(|l| l.pack.pack_version).unwrap_or(0)
    }

    fn loaded_country(&self, code: &str) -> Result<(&Loaded, &CountryContent)> {
        let code = crate::config::country_code(code)?;
        self.packs
            .get(&code)
            .and_then(|l| l.pack.country.as_ref().map(|c| (l, c)))
            .ok_or_else(|| Error::NotFound(format!("no content for country {code}")))
    }

    fn country(&self, code: &str) -> Result<&CountryContent> {
        Ok(self.loaded_country(code)?.1)
    }

    /// The ids of packs in use that are out of date at `now` (see [`Loaded::is_stale`]).
    pub fn stale_packs(&self, now: DateTime<Utc>) -> Vec<String> {
        self.packs
            .iter()
            .filter(|(_, l)| l.is_stale(now))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Every country with content, full booklets first, then by code.
    pub fn countries(&self, preferred: &[String]) -> Vec<CountrySummary> {
        let mut out: Vec<CountrySummary> = self
            .packs
            .values()
            .filter_map(|l| l.pack.country.as_ref().map(|c| (c, l)))
            .map(|(c, loaded)| {
                let (lang, _) = choose_language(&c.languages, preferred);
                CountrySummary {
                    code: c.code.clone(),
                    name: c
                        .names
                        .get(&lang)
                        .cloned()
                        .unwrap_or_else(|| c.code.clone()),
                    languages: c.languages.clone(),
                    depth: c.depth,
                    legal_model: c.legal_model,
                    pack_version: loaded.pack.pack_version,
                    origin: loaded.origin,
                    expires_at: loaded.pack.expires_at,
                }
            })
            .collect();
        out.sort_by_key(|c| (c.depth != Depth::Full, c.code.clone()));
        out
    }

    /// A country's booklet in the best language for `preferred`.
    pub fn booklet(&self, code: &str, preferred: &[String]) -> Result<Booklet> {
        let (loaded, c) = self.loaded_country(code)?;
        let (lang, fallback) = choose_language(&c.languages, preferred);
        let texts = c
            .texts
            .get(&lang)
            .ok_or_else(|| Error::Internal(format!("no {lang} texts for {}", c.code)))?;
        let sections = c
            .sections
            .iter()
            .filter_map(|meta| {
                texts.sections.get(&meta.id).map(|t| Section {
                    id: meta.id.clone(),
                    title: t.title.clone(),
                    body: t.body.clone(),
                    sources: meta.sources.clone(),
                    helplines: meta.helplines.clone(),
                    last_reviewed: meta.last_reviewed,
                })
            })
            .collect();
        Ok(Booklet {
            country: c.code.clone(),
            name: c
                .names
                .get(&lang)
                .cloned()
                .unwrap_or_else(|| c.code.clone()),
            lang,
            fallback,
            review_status: texts.review_status,
            depth: c.depth,
            legal_model: c.legal_model,
            sections,
            origin: loaded.origin,
            expires_at: loaded.pack.expires_at,
        })
    }

    /// One section of a booklet (the booklet with only that section).
    pub fn section(&self, code: &str, id: &str, preferred: &[String]) -> Result<Booklet> {
        let mut b = self.booklet(code, preferred)?;
        b.sections.retain(|s| s.id == id);
        if b.sections.is_empty() {
            return Err(Error::NotFound(format!(
                "no section {:?} in {}",
                crate::config::truncate(id, 40),
                b.country
            )));
        }
        Ok(b)
    }

    /// Full-text search (the index is built on first use).
    pub fn search(&self, query: &str, filter: &Filter) -> Result<Vec<Hit>> {
        if query.chars().count() > super::search::MAX_QUERY_CHARS {
            return Err(Error::invalid(format!(
                "search text is longer than {} characters",
                super::search::MAX_QUERY_CHARS
            )));
        }
        if let Some(c) = &filter.country {
            self.country(c)?;
        }
        let index = self
            .index
            .get_or_init(|| Index::build(self.packs.values().map(|l| &l.pack)));
        Ok(index.search(query, filter))
    }

    /// Every helpline of a country.
    pub fn helplines(&self, code: &str) -> Result<&[Helpline]> {
        Ok(&self.country(code)?.helplines)
    }

    /// How far the helpline texts of `country` in `lang` can be trusted
    /// (`None` when the country gives no status for that language).
    pub fn helpline_review_status(&self, country: &str, lang: &str) -> Option<ReviewStatus> {
        self.country(country)
            .ok()?
            .helpline_review_status
            .get(lang)
            .copied()
    }

    /// One helpline by id.
    pub fn helpline(&self, id: &str) -> Result<&Helpline> {
        self.packs
            .values()
            .filter_map(|l| l.pack.country.as_ref())
            .flat_map(|c| c.helplines.iter())
            .find(|h| h.id == id)
            .ok_or_else(|| {
                Error::NotFound(format!("no helpline {:?}", crate::config::truncate(id, 40)))
            })
    }

    fn selfcheck_content(&self) -> Result<&SelfCheckContent> {
        self.packs
            .get(SELFCHECK_PACK_ID)
            .and_then(|l| l.pack.selfcheck.as_ref())
            .ok_or_else(|| Error::NotFound("the self-check is not available".into()))
    }

    /// The self-check in the best language for `preferred`.
    pub fn selfcheck(&self, preferred: &[String]) -> Result<SelfCheckForm> {
        let s = self.selfcheck_content()?;
        let available: Vec<String> = s.texts.keys().cloned().collect();
        let (lang, fallback) = choose_language(&available, preferred);
        let t = s
            .texts
            .get(&lang)
            .ok_or_else(|| Error::Internal("self-check language vanished".into()))?;
        Ok(SelfCheckForm {
            lang: lang.clone(),
            fallback,
            review_status: t.review_status,
            title: t.title.clone(),
            intro: t.intro.clone(),
            caveat: t.caveat.clone(),
            questions: s
                .questions
                .iter()
                .map(|q| {
                    (
                        q.id.clone(),
                        t.questions.get(&q.id).cloned().unwrap_or_default(),
                    )
                })
                .collect(),
        })
    }

    /// Scores answers (question id -> yes) for someone in `country`.
    /// Unanswered questions count as no sign; unknown ids are refused.
    pub fn score_selfcheck(
        &self,
        answers: &[(String, bool)],
        country: &str,
        preferred: &[String],
    ) -> Result<SelfCheckResult> {
        let s = self.selfcheck_content()?;
        let mut score = 0;
        for (id, yes) in answers {
            let q = s.questions.iter().find(|q| &q.id == id).ok_or_else(|| {
                Error::invalid(format!("no question {:?}", crate::config::truncate(id, 40)))
            })?;
            if *yes == q.signal_is_yes {
                score += match q.weight {
                    Weight::Strong => s.scoring.strong,
                    Weight::Medium => s.scoring.medium,
                    Weight::Weak => s.scoring.weak,
                };
            }
        }
        let level = if score >= s.scoring.several_signs {
            Level::SeveralSigns
        } else if score >= s.scoring.some_signs {
            Level::SomeSigns
        } else {
            Level::NoSigns
        };
        let form = self.selfcheck(preferred)?;
        let t = s
            .texts
            .get(&form.lang)
            .ok_or_else(|| Error::Internal("self-check language vanished".into()))?;
        let r = referral::referral(self.helplines(country)?);
        let line_text = |key: &str| t.lines.get(key).cloned().unwrap_or_default();
        Ok(SelfCheckResult {
            level,
            score,
            text: t.results.get(level.key()).cloned().unwrap_or_default(),
            caveat: t.caveat.clone(),
            helplines_note: line_text(if r.confidential.is_empty() {
                "none"
            } else {
                "confidential"
            }),
            other_note: if r.other.is_empty() {
                String::new()
            } else {
                line_text("other")
            },
            helplines: r.confidential,
            other_helplines: r.other,
            police_helplines: r.police,
        })
    }
}

/// Shared handle.
pub type SharedLibrary = Arc<Library>;
