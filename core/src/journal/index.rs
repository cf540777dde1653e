//! The in-memory search index of an unlocked journal: built once per unlock
//! from the decrypted entries, updated by the session's adds, updates and
//! deletes, wiped and dropped on lock. Nothing of it touches the disk.
//!
//! Matching is the rights search's (see `crate::content::search`): text and
//! query are folded (lower case, no diacritics, see `crate::content::fold`);
//! the query is split into terms at every character that is not a letter or
//! digit; an entry matches when every term occurs in its folded text (title,
//! body, tags, incident fields, attachment names). A term holds only letters
//! and digits, so it occurs in the text exactly when it occurs inside one of
//! the text's words: the index is a dictionary of the distinct folded words
//! (one string, searched for each term) with, per word, the entries that
//! contain it.

use super::entry::Entry;
use super::record::Detail;
use crate::content::fold::fold_into;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::Arc;
use zeroize::{Zeroize, Zeroizing};

/// Longest query accepted, in characters (longer ones are cut).
pub const MAX_QUERY_CHARS: usize = 200;
const SEPARATOR: char = '\u{0}';

/// The search index (see the module docs). Wiped when dropped.
pub struct SearchIndex {
    /// Every distinct word, each preceded by a NUL.
    dict: Zeroizing<String>,
    /// Byte offset in `dict` where each word starts.
    starts: Vec<u32>,
    /// Word -> its number.
    ids: FxHashMap<Box<str>, u32>,
    /// Word number -> documents containing it (ascending).
    postings: Vec<Vec<u32>>,
    /// Document number -> entry id (None once replaced or deleted).
    docs: Vec<Option<[u8; 16]>>,
    /// Entry id -> its current document number.
    doc_of: HashMap<[u8; 16], u32>,
    alive: Arc<()>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("words", &self.starts.len())
            .field("entries", &self.doc_of.len())
            .finish_non_exhaustive()
    }
}

impl Drop for SearchIndex {
    fn drop(&mut self) {
        for (word, _) in self.ids.drain() {
            let mut w = String::from(word);
            w.zeroize();
        }
    }
}

/// The folded text of some parts (one line each): what the index splits
/// into words.
fn fold_parts<'a>(parts: impl Iterator<Item = &'a str>) -> Zeroizing<String> {
    let mut folded = Zeroizing::new(String::with_capacity(1024));
    for p in parts {
        fold_into(p, &mut folded);
        folded.push('\n');
    }
    folded
}

/// The words of a folded text (with repeats).
fn split_words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The folded text of an entry.
pub fn entry_text(e: &Entry) -> Zeroizing<String> {
    let incident = e.incident.as_ref().map(|i| i.fields());
    fold_parts(
        [e.title.as_str(), e.body.as_str()]
            .into_iter()
            .chain(e.tags.iter().map(String::as_str))
            .chain(e.attachments.iter().map(|a| a.name.as_str()))
            .chain(incident.iter().flatten().filter_map(|(_, v)| *v)),
    )
}

/// The folded text of an entry given as its title, tags and detail.
pub fn text(title: &str, tags: &[String], detail: &Detail) -> Zeroizing<String> {
    let incident = detail.incident.as_ref().map(|i| i.fields());
    fold_parts(
        [title, detail.body.as_str()]
            .into_iter()
            .chain(tags.iter().map(String::as_str))
            .chain(detail.attachments.iter().map(|a| a.name.as_str()))
            .chain(incident.iter().flatten().filter_map(|(_, v)| *v)),
    )
}

/// The folded terms of a query (empty: nothing to search for).
pub fn query_terms(query: &str) -> Zeroizing<Vec<String>> {
    let cut: Zeroizing<String> = Zeroizing::new(query.chars().take(MAX_QUERY_CHARS).collect());
    let mut folded = Zeroizing::new(String::new());
    fold_into(&cut, &mut folded);
    Zeroizing::new(
        folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

impl SearchIndex {
    /// Builds the index over entries given as (id, folded text).
    pub fn from_texts(entries: Vec<([u8; 16], Zeroizing<String>)>) -> SearchIndex {
        let mut index = SearchIndex {
            dict: Zeroizing::new(String::new()),
            starts: Vec::new(),
            ids: FxHashMap::default(),
            postings: Vec::new(),
            docs: Vec::with_capacity(entries.len()),
            doc_of: HashMap::with_capacity(entries.len()),
            alive: Arc::new(()),
        };
        for (id, text) in &entries {
            index.insert(*id, text);
        }
        index
    }

    fn insert(&mut self, id: [u8; 16], folded: &str) {
        if let Some(old) = self.doc_of.get(&id) {
            self.docs[*old as usize] = None;
        }
        let doc = self.docs.len() as u32;
        self.docs.push(Some(id));
        self.doc_of.insert(id, doc);
        for w in split_words(folded) {
            let wid = match self.ids.get(w) {
                Some(wid) => *wid,
                None => {
                    let wid = self.starts.len() as u32;
                    self.dict.push(SEPARATOR);
                    self.starts.push(self.dict.len() as u32);
                    self.dict.push_str(w);
                    self.ids.insert(w.into(), wid);
                    self.postings.push(Vec::new());
                    wid
                }
            };
            // Documents arrive in order: a repeat within one is the last one.
            let p = &mut self.postings[wid as usize];
            if p.last() != Some(&doc) {
                p.push(doc);
            }
        }
    }

    /// Indexes (or re-indexes) an entry.
    pub fn upsert(&mut self, e: &Entry) {
        if let Ok(id) = super::entry::parse_id(&e.id) {
            let text = entry_text(e);
            self.insert(id, &text);
        }
    }

    /// Forgets an entry.
    pub fn remove(&mut self, id: &[u8; 16]) {
        if let Some(doc) = self.doc_of.remove(id) {
            self.docs[doc as usize] = None;
        }
    }

    /// Entry ids matching every term, in no particular order. No terms: none.
    pub fn search(&self, terms: &[String]) -> Vec<[u8; 16]> {
        let mut result: Option<Vec<u32>> = None;
        for term in terms {
            let mut docs: Vec<u32> = Vec::new();
            let mut last_word = u32::MAX;
            for (at, _) in self.dict.match_indices(term.as_str()) {
                // The word holding this occurrence: the last start at or before it.
                let w = self.starts.partition_point(|s| (*s as usize) <= at) as u32 - 1;
                if w != last_word {
                    docs.extend_from_slice(&self.postings[w as usize]);
                    last_word = w;
                }
            }
            docs.sort_unstable();
            docs.dedup();
            result = Some(match result {
                None => docs,
                Some(prev) => intersect(&prev, &docs),
            });
            if result.as_ref().is_some_and(Vec::is_empty) {
                break;
            }
        }
        result
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| self.docs[d as usize])
            .collect()
    }

    /// A handle that lives exactly as long as the index (tests check that
    /// locking drops it).
    pub fn liveness(&self) -> std::sync::Weak<()> {
        Arc::downgrade(&self.alive)
    }
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}
