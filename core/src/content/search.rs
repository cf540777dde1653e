//! Offline full-text search over the booklets: diacritics-insensitive,
//! ranked, with snippets, filterable by country and language.
//!
//! Every section of every language is folded once (see [`super::fold`]) when
//! the index is first needed. A query is folded the same way and split into
//! terms; a section matches when it contains every term (as a substring, so
//! word prefixes and scripts written without spaces, such as Thai, work).
//! Score: title hits weigh 5, body hits 1, and a hit at the start of a word
//! counts double.

use super::fold::{fold, fold_text, Folded};
use super::model::PackPayload;

/// One searchable section.
#[derive(Debug)]
struct Doc {
    country: String,
    lang: String,
    section_id: String,
    order: usize,
    title: String,
    title_folded: String,
    body: String,
    body_folded: Folded,
}

/// The search index over a set of packs.
#[derive(Debug, Default)]
pub struct Index {
    docs: Vec<Doc>,
}

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Country code.
    pub country: String,
    /// Language of the matched text.
    pub lang: String,
    /// Section id.
    pub section_id: String,
    /// Section title.
    pub title: String,
    /// A short excerpt around the first match, as written.
    pub snippet: String,
    /// Relevance (higher is better).
    pub score: f64,
}

/// Which sections to search.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this country (upper-case code).
    pub country: Option<String>,
    /// Only these languages; empty means all.
    pub languages: Vec<String>,
    /// At most this many hits (0 = 20).
    pub limit: usize,
}

/// The longest query accepted (characters).
pub const MAX_QUERY_CHARS: usize = 200;

impl Index {
    /// Builds the index over the country packs in `packs`.
    pub fn build<'a>(packs: impl IntoIterator<Item = &'a PackPayload>) -> Index {
        let mut docs = Vec::new();
        for pack in packs {
            let Some(c) = &pack.country else { continue };
            for (lang, texts) in &c.texts {
                for (order, meta) in c.sections.iter().enumerate() {
                    let Some(t) = texts.sections.get(&meta.id) else {
                        continue;
                    };
                    docs.push(Doc {
                        country: c.code.clone(),
                        lang: lang.clone(),
                        section_id: meta.id.clone(),
                        order,
                        title: t.title.clone(),
                        title_folded: fold_text(&t.title),
                        body: t.body.clone(),
                        body_folded: fold(&t.body),
                    });
                }
            }
        }
        Index { docs }
    }

    /// Number of indexed sections.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Searches; an empty query (or one of only punctuation) finds nothing.
    pub fn search(&self, query: &str, filter: &Filter) -> Vec<Hit> {
        let folded: String = fold_text(&query.chars().take(MAX_QUERY_CHARS).collect::<String>());
        let terms: Vec<&str> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let limit = if filter.limit == 0 { 20 } else { filter.limit };
        let mut hits: Vec<(f64, &Doc, usize)> = Vec::new();
        for doc in &self.docs {
            if filter.country.as_deref().is_some_and(|c| c != doc.country) {
                continue;
            }
            if !filter.languages.is_empty() && !filter.languages.contains(&doc.lang) {
                continue;
            }
            let mut score = 0.0;
            let mut first_body_hit: Option<usize> = None;
            let mut all = true;
            for term in &terms {
                let t = count(&doc.title_folded, term);
                let (b, first) = count_with_first(&doc.body_folded.text, term);
                if t.0 + b.0 == 0 {
                    all = false;
                    break;
                }
                score += 5.0 * (t.0 as f64 + t.1 as f64) + b.0 as f64 + b.1 as f64;
                if first_body_hit.is_none() {
                    first_body_hit = first;
                }
            }
            if all {
                hits.push((score, doc, first_body_hit.unwrap_or(0)));
            }
        }
        hits.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.1.country.cmp(&b.1.country))
                .then_with(|| a.1.lang.cmp(&b.1.lang))
                .then_with(|| a.1.order.cmp(&b.1.order))
        });
        hits.truncate(limit);
        hits.into_iter()
            .map(|(score, doc, at)| Hit {
                country: doc.country.clone(),
                lang: doc.lang.clone(),
                section_id: doc.section_id.clone(),
                title: doc.title.clone(),
                snippet: snippet(&doc.body, &doc.body_folded, at),
                score,
            })
            .collect()
    }
}

/// (matches, matches at a word start) of `term` in `hay`.
fn count(hay: &str, term: &str) -> (usize, usize) {
    count_with_first(hay, term).0
}

fn count_with_first(hay: &str, term: &str) -> ((usize, usize), Option<usize>) {
    let mut all = 0;
    let mut word_start = 0;
    let mut first = None;
    for (i, _) in hay.match_indices(term) {
        all += 1;
        if first.is_none() {
            first = Some(i);
        }
        let starts_word = hay[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if starts_word {
            word_start += 1;
        }
    }
    ((all, word_start), first)
}

/// About 160 characters of `body` around folded byte offset `at`.
fn snippet(body: &str, folded: &Folded, at: usize) -> String {
    let origin = folded.origin.get(at).copied().unwrap_or(0) as usize;
    let before: Vec<(usize, char)> = body[..origin].char_indices().collect();
    let start_char = before.len().saturating_sub(60);
    let mut start = before.get(start_char).map(|(i, _)| *i).unwrap_or(0);
    // Start at a word boundary when one is near.
    if start > 0 {
        if let Some(space) = body[start..origin].find(char::is_whitespace) {
            start += space + 1;
        }
    }
    let mut end = origin;
    for (n, (i, c)) in body[origin..].char_indices().enumerate() {
        end = origin + i + c.len_utf8();
        if n >= 100 && c.is_whitespace() {
            break;
        }
        if n >= 140 {
            break;
        }
    }
    let mut text: String = body[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if start > 0 {
        text.insert_str(0, "… ");
    }
    if end < body.len() {
        text.push_str(" …");
    }
    text
}
