//! FFI view of the rights library: countries, booklets, search, the
//! self-check and signed content updates.

use crate::error::FfiResult;
use crate::profile::Parasol;
use parasol_core::content::{library, model};

/// Whether an activity is an offence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Criminalisation {
    /// Not an offence.
    NotCriminalised,
    /// An offence (criminal or misdemeanour).
    Criminalised,
    /// An offence in some circumstances only.
    PartiallyCriminalised,
}

/// The legal model of sex work in a country; a missing value is not verified.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LegalModel {
    /// Selling sex.
    pub selling: Option<Criminalisation>,
    /// Buying sex.
    pub buying: Option<Criminalisation>,
    /// Organising, facilitating or profiting from someone else's sex work.
    pub third_party: Option<Criminalisation>,
}

/// How deep a country's content goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Depth {
    /// A complete booklet.
    Full,
    /// The legal model and emergency help only.
    Summary,
}

/// How far a text can be trusted; show it to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReviewStatus {
    /// The text the facts were written in.
    Source,
    /// A translation checked by a fluent reader.
    Reviewed,
    /// A translation not yet checked by a fluent reader.
    MachineAssisted,
}

/// A country with content.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CountryInfo {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// Name in the user's language where available.
    pub name: String,
    /// Languages with a complete text.
    pub languages: Vec<String>,
    /// Full booklet or summary.
    pub depth: Depth,
    /// The legal model.
    pub legal_model: LegalModel,
    /// The content pack version in use.
    pub pack_version: u64,
    /// The pack in use is past its expiry: it is still shown, but tell the
    /// user it may be out of date and offer an update.
    pub stale: bool,
    /// When the pack in use expires (Unix seconds; `None` for the content
    /// built into the app).
    pub expires_at_unix_seconds: Option<i64>,
}

/// Where a section's facts come from.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SourceLink {
    /// What the source is.
    pub title: String,
    /// Where to find it.
    pub url: String,
}

/// A booklet section.
#[derive(Debug, Clone, uniffi::Record)]
pub struct BookletSection {
    /// Stable id ("legal-model", "police", ...).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Plain text: paragraphs separated by blank lines, "- " list items.
    pub body: String,
    /// Sources of the facts.
    pub sources: Vec<SourceLink>,
    /// Ids of helplines the section points to.
    pub helpline_ids: Vec<String>,
    /// When the facts were last checked (YYYY-MM-DD).
    pub last_reviewed: String,
}

/// A booklet in one language.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Booklet {
    /// ISO code.
    pub country: String,
    /// Country name in `lang`.
    pub name: String,
    /// Language shown.
    pub lang: String,
    /// True when the user's first language was not available (tell them).
    pub fallback: bool,
    /// How far the text in `lang` can be trusted.
    pub review_status: ReviewStatus,
    /// Full booklet or summary.
    pub depth: Depth,
    /// The legal model.
    pub legal_model: LegalModel,
    /// Sections in reading order.
    pub sections: Vec<BookletSection>,
    /// The content is past its expiry: show it, and say it may be out of date.
    pub stale: bool,
    /// When the content expires (Unix seconds; `None` for built-in content).
    pub expires_at_unix_seconds: Option<i64>,
}

/// A search result.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SearchHit {
    /// ISO code.
    pub country: String,
    /// Language of the text that matched.
    pub lang: String,
    /// Section id (open it with `section`).
    pub section_id: String,
    /// Section title.
    pub title: String,
    /// Excerpt around the first match.
    pub snippet: String,
    /// Relevance, higher is better.
    pub score: f64,
}

/// One self-check question.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SelfCheckQuestion {
    /// Stable id (answer with it).
    pub id: String,
    /// The question.
    pub text: String,
}

/// The self-check questionnaire.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SelfCheckForm {
    /// Language shown.
    pub lang: String,
    /// True when the user's first language was not available.
    pub fallback: bool,
    /// How far the text can be trusted.
    pub review_status: ReviewStatus,
    /// Heading.
    pub title: String,
    /// Shown before the questions.
    pub intro: String,
    /// Signs neither prove nor disprove trafficking: always show it.
    pub caveat: String,
    /// Questions in order.
    pub questions: Vec<SelfCheckQuestion>,
}

/// An answer: "yes" (`true`) or "no" (`false`). Unanswered questions are left out.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SelfCheckAnswer {
    /// The question id.
    pub question_id: String,
    /// The answer.
    pub yes: bool,
}

/// The band a self-check result falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SelfCheckLevel {
    /// Few or no signs.
    NoSigns,
    /// Some signs.
    SomeSigns,
    /// Several signs.
    SeveralSigns,
}

/// A self-check result. Parasol never stores it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SelfCheckResult {
    /// The band.
    pub level: SelfCheckLevel,
    /// The weighted total.
    pub score: u32,
    /// What the answers suggest (never a verdict).
    pub text: String,
    /// Signs neither prove nor disprove trafficking.
    pub caveat: String,
    /// Services that are not law enforcement and say you can talk to them
    /// confidentially or anonymously. Show `helplines_note` above them.
    pub helpline_ids: Vec<String>,
    /// Shown above `helpline_ids`; when that list is empty, says so.
    pub helplines_note: String,
    /// Other services to offer, with no promise of confidentiality. Show
    /// `other_note` above them.
    pub other_helpline_ids: Vec<String>,
    /// Shown above `other_helpline_ids` (empty when there are none).
    pub other_note: String,
    /// The ids in `other_helpline_ids` run by law enforcement: label them.
    pub police_helpline_ids: Vec<String>,
}

/// A content update that was installed.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ContentUpdate {
    /// The pack id ("NL", "selfcheck").
    pub pack_id: String,
    /// The version in use before.
    pub previous_version: u64,
    /// The version in use now.
    pub version: u64,
}

fn crim(c: model::Criminalisation) -> Criminalisation {
    match c {
        model::Criminalisation::NotCriminalised => Criminalisation::NotCriminalised,
        model::Criminalisation::Criminalised => Criminalisation::Criminalised,
        model::Criminalisation::PartiallyCriminalised => Criminalisation::PartiallyCriminalised,
    }
}

fn legal(m: model::LegalModel) -> LegalModel {
    LegalModel {
        selling: m.selling.map(crim),
        buying: m.buying.map(crim),
        third_party: m.third_party.map(crim),
    }
}

fn depth(d: model::Depth) -> Depth {
    match d {
        model::Depth::Full => Depth::Full,
        model::Depth::Summary => Depth::Summary,
    }
}

/// The FFI form of a review status.
pub(crate) fn review(r: model::ReviewStatus) -> ReviewStatus {
    match r {
        model::ReviewStatus::Source => ReviewStatus::Source,
        model::ReviewStatus::Reviewed => ReviewStatus::Reviewed,
        model::ReviewStatus::MachineAssisted => ReviewStatus::MachineAssisted,
    }
}

fn booklet(b: library::Booklet, now: chrono::DateTime<chrono::Utc>) -> Booklet {
    Booklet {
        stale: b.is_stale(now),
        expires_at_unix_seconds: b.expires_at.map(|t| t.timestamp()),
        country: b.country,
        name: b.name,
        lang: b.lang,
        fallback: b.fallback,
        review_status: review(b.review_status),
        depth: depth(b.depth),
        legal_model: legal(b.legal_model),
        sections: b
            .sections
            .into_iter()
            .map(|s| BookletSection {
                id: s.id,
                title: s.title,
                body: s.body,
                sources: s
                    .sources
                    .into_iter()
                    .map(|x| SourceLink {
                        title: x.title,
                        url: x.url,
                    })
                    .collect(),
                helpline_ids: s.helplines,
                last_reviewed: s.last_reviewed.to_string(),
            })
            .collect(),
    }
}

#[uniffi::export]
impl Parasol {
    /// Every country with content: full booklets first.
    pub fn countries(&self) -> FfiResult<Vec<CountryInfo>> {
        let langs = self.profile.languages()?;
        let now = self.profile.clock().now();
        Ok(self
            .profile
            .library()?
            .countries(&langs)
            .into_iter()
            .map(|c| CountryInfo {
                stale: c.is_stale(now),
                expires_at_unix_seconds: c.expires_at.map(|t| t.timestamp()),
                code: c.code,
                name: c.name,
                languages: c.languages,
                depth: depth(c.depth),
                legal_model: legal(c.legal_model),
                pack_version: c.pack_version,
            })
            .collect())
    }

    /// A country's booklet in the user's best language.
    pub fn booklet(&self, country: String) -> FfiResult<Booklet> {
        let langs = self.profile.languages()?;
        Ok(booklet(
            self.profile.library()?.booklet(&country, &langs)?,
            self.profile.clock().now(),
        ))
    }

    /// One section of a country's booklet.
    pub fn section(&self, country: String, section_id: String) -> FfiResult<Booklet> {
        let langs = self.profile.languages()?;
        Ok(booklet(
            self.profile
                .library()?
                .section(&country, &section_id, &langs)?,
            self.profile.clock().now(),
        ))
    }

    /// Full-text search, diacritics-insensitive. Without `language`, searches
    /// the user's languages and English; `limit` 0 means 20.
    pub fn search(
        &self,
        query: String,
        country: Option<String>,
        language: Option<String>,
        limit: u32,
    ) -> FfiResult<Vec<SearchHit>> {
        let filter =
            self.profile
                .search_filter(country.as_deref(), language.as_deref(), limit as usize)?;
        Ok(self
            .profile
            .library()?
            .search(&query, &filter)?
            .into_iter()
            .map(|h| SearchHit {
                country: h.country,
                lang: h.lang,
                section_id: h.section_id,
                title: h.title,
                snippet: h.snippet,
                score: h.score,
            })
            .collect())
    }

    /// The trafficking-indicators self-check in the user's best language.
    pub fn selfcheck(&self) -> FfiResult<SelfCheckForm> {
        let langs = self.profile.languages()?;
        let f = self.profile.library()?.selfcheck(&langs)?;
        Ok(SelfCheckForm {
            lang: f.lang,
            fallback: f.fallback,
            review_status: review(f.review_status),
            title: f.title,
            intro: f.intro,
            caveat: f.caveat,
            questions: f
                .questions
                .into_iter()
                .map(|(id, text)| SelfCheckQuestion { id, text })
                .collect(),
        })
    }

    /// Scores self-check answers for someone in `country`. Nothing is stored.
    pub fn score_selfcheck(
        &self,
        answers: Vec<SelfCheckAnswer>,
        country: String,
    ) -> FfiResult<SelfCheckResult> {
        let langs = self.profile.languages()?;
        let answers: Vec<(String, bool)> = answers
            .into_iter()
            .map(|a| (a.question_id, a.yes))
            .collect();
        let r = self
            .profile
            .library()?
            .score_selfcheck(&answers, &country, &langs)?;
        Ok(SelfCheckResult {
            level: match r.level {
                library::Level::NoSigns => SelfCheckLevel::NoSigns,
                library::Level::SomeSigns => SelfCheckLevel::SomeSigns,
                library::Level::SeveralSigns => SelfCheckLevel::SeveralSigns,
            },
            score: r.score,
            text: r.text,
            caveat: r.caveat,
            helpline_ids: r.helplines,
            helplines_note: r.helplines_note,
            other_helpline_ids: r.other_helplines,
            other_note: r.other_note,
            police_helpline_ids: r.police_helplines,
        })
    }

    /// Downloads (HTTPS) and installs a signed content pack. On any failure
    /// the pack in use stays in use.
    pub fn update_content(&self, pack_id: String, url: String) -> FfiResult<ContentUpdate> {
        Ok(update(self.profile.update_pack(&pack_id, &url)?))
    }

    /// Installs a signed content pack the shell obtained itself.
    pub fn install_content(
        &self,
        pack_id: String,
        signed_pack: Vec<u8>,
    ) -> FfiResult<ContentUpdate> {
        Ok(update(self.profile.install_pack(&pack_id, &signed_pack)?))
    }
}

fn update(i: parasol_core::content::Installed) -> ContentUpdate {
    ContentUpdate {
        pack_id: i.pack_id,
        previous_version: i.previous_version,
        version: i.version,
    }
}
