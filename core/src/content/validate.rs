//! Checks a pack's content before it is used: the maintainers' lint
//! (`parasol content check`) and the gate every downloaded update passes.
//!
//! Checks: ids unique and well formed; every section has sources and a text in
//! every language; full booklets have the required sections; referenced
//! helplines exist; phone channels are safe dial strings; links are https;
//! time zones and opening hours parse; no text contains control, invisible or
//! bidirectional characters; sizes stay within limits.
//!
//! Helplines also: every record has a way to reach it (a channel or an
//! address) or says plainly that none was verified; descriptions and caveats
//! exist in every language of the country's booklet, with a review status per
//! language; no police line is marked confidential, and the self-check never
//! lists a police line or a line for professionals under its promise of
//! confidentiality (a full booklet's country must offer at least one
//! confidential line with a phone number).

use super::model::*;
use crate::helplines::model::{Audience, ChannelKind, Helpline};
use crate::helplines::{dial, hours, model::Hours, referral};
use std::collections::{BTreeSet, HashSet};

/// The sections every full booklet has, in order.
pub const REQUIRED_FULL_SECTIONS: [&str; 8] = [
    "legal-model",
    "police",
    "migrants",
    "trafficking-victims",
    "health",
    "work-money",
    "safety",
    "help",
];
/// The sections every summary has.
pub const REQUIRED_SUMMARY_SECTIONS: [&str; 2] = ["legal-model", "help"];
/// The longest text allowed in any single field (bytes).
pub const MAX_TEXT: usize = 32 * 1024;
/// The most items allowed in any list.
pub const MAX_ITEMS: usize = 2_000;

/// Characters that must never appear in content: controls (except newline and
/// tab in bodies), bidirectional controls and invisible characters.
pub fn forbidden_char(c: char, multiline: bool) -> bool {
    if multiline && (c == '\n' || c == '\t') {
        return false;
    }
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}'
            | '\u{FFF9}'..='\u{FFFB}')
}

struct Lint<'a> {
    pack: &'a str,
    problems: Vec<String>,
}

impl Lint<'_> {
    fn fail(&mut self, msg: impl std::fmt::Display) {
        self.problems.push(format!("{}: {msg}", self.pack));
    }

    fn text(&mut self, what: &str, s: &str, multiline: bool) {
        if s.trim().is_empty() {
            self.fail(format!("{what} is empty"));
        }
        if s.len() > MAX_TEXT {
            self.fail(format!("{what} is longer than {MAX_TEXT} bytes"));
        }
        if let Some(c) = s.chars().find(|c| forbidden_char(*c, multiline)) {
            self.fail(format!(
                "{what} contains a forbidden character U+{:04X}",
                c as u32
            ));
        }
    }

    fn count(&mut self, what: &str, n: usize) {
        if n > MAX_ITEMS {
            self.fail(format!("{what} has more than {MAX_ITEMS} items"));
        }
    }

    fn url(&mut self, what: &str, url: &str, https_only: bool) {
        self.text(what, url, false);
        match url::Url::parse(url) {
            Ok(u) if u.scheme() == "https" && u.host().is_some() => {}
            Ok(u) if !https_only && u.scheme() == "http" && u.host().is_some() => {}
            _ => self.fail(format!("{what} {url:?} is not an https URL")),
        }
    }

    fn id(&mut self, what: &str, id: &str) {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            self.fail(format!("{what} id {id:?} must be [a-z0-9-], 1-64 long"));
        }
    }

    fn lang(&mut self, what: &str, tag: &str) {
        if crate::config::language_tag(tag)
            .map(|t| t != tag)
            .unwrap_or(true)
        {
            self.fail(format!("{what}: {tag:?} is not a lower-case language tag"));
        }
    }
}

/// Checks one pack on its own. `known_helplines` holds every helpline id the
/// app will have (for cross-pack references); `None` checks only this pack's.
pub fn validate(pack: &PackPayload, known_helplines: Option<&HashSet<String>>) -> Vec<String> {
    let mut l = Lint {
        pack: &pack.pack_id,
        problems: Vec::new(),
    };
    if pack.format != FORMAT {
        l.fail(format!("format is {:?}, not {FORMAT:?}", pack.format));
    }
    if pack.schema_version != SCHEMA_VERSION {
        l.fail(format!(
            "unsupported schema version {}",
            pack.schema_version
        ));
    }
    match (&pack.country, &pack.selfcheck) {
        (Some(c), None) => country(&mut l, pack, c, known_helplines),
        (None, Some(s)) if pack.pack_id == SELFCHECK_PACK_ID => selfcheck(&mut l, s),
        _ => l.fail("a pack holds exactly one of: a country, or the self-check"),
    }
    l.problems
}

fn country(
    l: &mut Lint<'_>,
    pack: &PackPayload,
    c: &CountryContent,
    known: Option<&HashSet<String>>,
) {
    if c.code != pack.pack_id
        || crate::config::country_code(&c.code).ok().as_deref() != Some(&c.code)
    {
        l.fail(format!(
            "country code {:?} does not match the pack id",
            c.code
        ));
    }
    if hours::parse_tz(&c.time_zone).is_err() {
        l.fail(format!("unknown time zone {:?}", c.time_zone));
    }
    l.count("languages", c.languages.len());
    l.count("sections", c.sections.len());
    l.count("helplines", c.helplines.len());
    if c.languages.first().map(String::as_str) != Some("en")
        && !c.languages.iter().any(|x| x == "en")
    {
        l.fail("English is missing");
    }
    for lang in &c.languages {
        l.lang("languages", lang);
        match c.names.get(lang) {
            Some(name) => l.text(&format!("names.{lang}"), name, false),
            None => l.fail(format!("no country name in {lang}")),
        }
        if !c.texts.contains_key(lang) {
            l.fail(format!("no texts in {lang}"));
        }
    }
    if c.texts.len() != c.languages.len() {
        l.fail("texts are given for a language not listed in languages");
    }
    let required: &[&str] = match c.depth {
        Depth::Full => &REQUIRED_FULL_SECTIONS,
        Depth::Summary => &REQUIRED_SUMMARY_SECTIONS,
    };
    let ids: Vec<&str> = c.sections.iter().map(|s| s.id.as_str()).collect();
    for r in required {
        if !ids.contains(r) {
            l.fail(format!("required section {r} is missing"));
        }
    }
    let own: HashSet<&str> = c.helplines.iter().map(|h| h.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for s in &c.sections {
        l.id("section", &s.id);
        if !seen.insert(s.id.as_str()) {
            l.fail(format!("section id {} is used twice", s.id));
        }
        if s.sources.is_empty() {
            l.fail(format!("section {} has no source", s.id));
        }
        l.count("sources", s.sources.len());
        for src in &s.sources {
            l.text(&format!("section {} source title", s.id), &src.title, false);
            l.url(&format!("section {} source", s.id), &src.url, false);
        }
        for h in &s.helplines {
            let exists = own.contains(h.as_str()) || known.is_some_and(|k| k.contains(h));
            if !exists {
                l.fail(format!(
                    "section {} links to helpline {h}, which does not exist",
                    s.id
                ));
            }
        }
        for (lang, t) in &c.texts {
            match t.sections.get(&s.id) {
                Some(text) => {
                    l.text(&format!("{lang} {} title", s.id), &text.title, false);
                    l.text(&format!("{lang} {} body", s.id), &text.body, true);
                }
                None => l.fail(format!("section {} has no text in {lang}", s.id)),
            }
        }
    }
    for (lang, t) in &c.texts {
        for id in t.sections.keys() {
            if !seen.contains(id.as_str()) {
                l.fail(format!("{lang} has text for unknown section {id}"));
            }
        }
        if t.review_status != ReviewStatus::Source && t.translated_from.is_none() {
            l.fail(format!(
                "{lang} is a translation but does not say from what"
            ));
        }
    }
    let mut helpline_ids = BTreeSet::new();
    for h in &c.helplines {
        let what = format!("helpline {}", h.id);
        l.id("helpline", &h.id);
        if !helpline_ids.insert(h.id.as_str()) {
            l.fail(format!("{what} is listed twice"));
        }
        if !h.id.starts_with(&format!("{}-", c.code.to_lowercase())) || h.country != c.code {
            l.fail(format!("{what} does not belong to {}", c.code));
        }
        l.text(&format!("{what} name"), &h.name, false);
        if h.categories.is_empty() {
            l.fail(format!("{what} has no category"));
        }
        for lang in &h.languages {
            if crate::config::language_tag(lang).is_err() {
                l.fail(format!("{what} language {lang:?} is not a language tag"));
            }
        }
        if hours::parse_tz(&h.time_zone).is_err() {
            l.fail(format!("{what} has an unknown time zone"));
        }
        if let Hours::Weekly(spans) = &h.hours {
            if spans.is_empty() {
                l.fail(format!("{what} has weekly hours without spans"));
            }
            for span in spans {
                if let Err(e) = hours::validate_span(span) {
                    l.fail(format!("{what}: {e}"));
                }
            }
        }
        l.url(&format!("{what} source"), &h.source_url, false);
        match h.description.get("en") {
            Some(_) => {}
            None => l.fail(format!("{what} has no English description")),
        }
        for (lang, d) in &h.description {
            l.text(&format!("{what} description {lang}"), d, false);
        }
        for (lang, cs) in &h.caveats {
            l.count("caveats", cs.len());
            for cv in cs {
                l.text(&format!("{what} caveat {lang}"), cv, false);
            }
        }
        helpline_texts(l, c, h);
        reachability(l, h);
        l.count("channels", h.channels.len());
        for ch in &h.channels {
            let cw = format!("{what} {} channel", ch.kind.as_str());
            if ch.kind.is_phone_number() {
                match dial::normalize(&c.code, &ch.value) {
                    Ok(n) if n == ch.value => {}
                    Ok(n) => l.fail(format!("{cw} {:?} should be written {n:?}", ch.value)),
                    Err(e) => l.fail(format!("{cw} {:?}: {e}", ch.value)),
                }
            } else {
                match ch.kind {
                    crate::helplines::model::ChannelKind::Email => {
                        l.text(&cw, &ch.value, false);
                        if !ch.value.contains('@')
                            || ch.value.contains(':')
                            || ch.value.contains(' ')
                        {
                            l.fail(format!("{cw} {:?} is not an e-mail address", ch.value));
                        }
                    }
                    _ => l.url(&cw, &ch.value, true),
                }
            }
            if let Some(label) = &ch.label {
                l.text(&format!("{cw} label"), label, false);
            }
        }
    }
    helpline_languages(l, c);
    confidentiality(l, c);
}

/// Point 12: every description and caveat in every booklet language.
fn helpline_texts(l: &mut Lint<'_>, c: &CountryContent, h: &Helpline) {
    let what = format!("helpline {}", h.id);
    let en_caveats = h.caveats.get("en").map_or(0, Vec::len);
    for lang in &c.languages {
        if !h.description.contains_key(lang) {
            l.fail(format!("{what} has no description in {lang}"));
        }
        let n = h.caveats.get(lang).map_or(0, Vec::len);
        if n != en_caveats {
            l.fail(format!(
                "{what} has {n} caveats in {lang} but {en_caveats} in en"
            ));
        }
    }
    for lang in h.description.keys().chain(h.caveats.keys()) {
        if !c.languages.contains(lang) {
            l.fail(format!(
                "{what} has text in {lang}, which is not a language of the booklet"
            ));
        }
    }
    if let Some(d) = &h.source_date {
        l.text(&format!("{what} source date"), d, false);
    }
}

/// Point 11: no record without a way to reach it, unless it says so.
fn reachability(l: &mut Lint<'_>, h: &Helpline) {
    let what = format!("helpline {}", h.id);
    if let Some(a) = &h.address {
        l.text(&format!("{what} address"), a, false);
    }
    let reachable = !h.channels.is_empty() || h.address.is_some();
    match (reachable, h.contact_unverified) {
        (false, false) => l.fail(format!(
            "{what} has no channel and no address; add one from a source, \
             or set contact_unverified = true"
        )),
        (true, true) => l.fail(format!(
            "{what} has contact details but says contact_unverified"
        )),
        _ => {}
    }
}

/// Every booklet language has a review status for the helpline texts.
fn helpline_languages(l: &mut Lint<'_>, c: &CountryContent) {
    for lang in &c.languages {
        if !c.helpline_review_status.contains_key(lang) {
            l.fail(format!(
                "helplines have no review_status for {lang} (add it to helplines/{}.toml)",
                c.code.to_lowercase()
            ));
        }
    }
    for lang in c.helpline_review_status.keys() {
        if !c.languages.contains(lang) {
            l.fail(format!(
                "helplines give a review_status for {lang}, which is not a language of the booklet"
            ));
        }
    }
}

/// Point 1: what the self-check presents as confidential.
fn confidentiality(l: &mut Lint<'_>, c: &CountryContent) {
    for h in &c.helplines {
        if h.is_police() && h.confidential == Some(true) {
            l.fail(format!(
                "helpline {} is a police line marked confidential",
                h.id
            ));
        }
    }
    let r = referral::referral(&c.helplines);
    for id in &r.confidential {
        let Some(h) = c.helplines.iter().find(|h| &h.id == id) else {
            continue;
        };
        if h.is_police() || h.audience == Audience::Professionals || !h.promises_confidentiality() {
            l.fail(format!(
                "the self-check would list {id} as confidential, but it is police, \
                 for professionals, or not confidential"
            ));
        }
    }
    let with_phone = r.confidential.iter().any(|id| {
        c.helplines
            .iter()
            .any(|h| &h.id == id && h.channels.iter().any(|ch| ch.kind == ChannelKind::Phone))
    });
    if c.depth == Depth::Full && !with_phone {
        l.fail("the self-check offers no confidential line with a phone number for this country");
    }
}

fn selfcheck(l: &mut Lint<'_>, s: &SelfCheckContent) {
    if s.questions.is_empty() {
        l.fail("the self-check has no questions");
    }
    l.count("questions", s.questions.len());
    let sc = &s.scoring;
    if sc.some_signs == 0 || sc.several_signs <= sc.some_signs {
        l.fail("scoring thresholds must satisfy 0 < some_signs < several_signs");
    }
    let mut ids = BTreeSet::new();
    for q in &s.questions {
        l.id("question", &q.id);
        if !ids.insert(q.id.as_str()) {
            l.fail(format!("question {} is listed twice", q.id));
        }
        l.text(&format!("question {} source", q.id), &q.source, false);
    }
    if !s.texts.contains_key("en") {
        l.fail("the self-check has no English text");
    }
    for (lang, t) in &s.texts {
        l.lang("self-check language", lang);
        l.text(&format!("{lang} title"), &t.title, false);
        l.text(&format!("{lang} intro"), &t.intro, true);
        l.text(&format!("{lang} caveat"), &t.caveat, true);
        for id in &ids {
            match t.questions.get(*id) {
                Some(q) => l.text(&format!("{lang} question {id}"), q, false),
                None => l.fail(format!("{lang} has no text for question {id}")),
            }
        }
        if t.questions.len() != ids.len() {
            l.fail(format!("{lang} has text for unknown questions"));
        }
        for key in ["no_signs", "some_signs", "several_signs"] {
            match t.results.get(key) {
                Some(r) => l.text(&format!("{lang} result {key}"), r, true),
                None => l.fail(format!("{lang} has no result text {key}")),
            }
        }
        for key in ["confidential", "other", "none"] {
            match t.lines.get(key) {
                Some(r) => l.text(&format!("{lang} lines {key}"), r, true),
                None => l.fail(format!("{lang} has no lines text {key}")),
            }
        }
    }
}

/// Checks a whole set of packs: each pack, plus references across packs.
pub fn validate_all(packs: &[PackPayload]) -> Vec<String> {
    let known: HashSet<String> = packs
        .iter()
        .filter_map(|p| p.country.as_ref())
        .flat_map(|c| c.helplines.iter().map(|h| h.id.clone()))
        .collect();
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    for p in packs {
        if !ids.insert(p.pack_id.as_str()) {
            problems.push(format!("{}: pack id used twice", p.pack_id));
        }
        problems.extend(validate(p, Some(&known)));
    }
    problems
}
