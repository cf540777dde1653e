//! The notes screens: set-up, unlock (failed attempts shown), the list of
//! titles (or of the entries a search finds), one entry, the editor, lock
//! and export. The notes decide what a passphrase opens (the real notes, a
//! separate harmless set, or an erase); this only shows the result.
//!
//! The list never decrypts a body: titles come from the titles-only listing
//! and a search from the notes' in-memory index (built at unlock, dropped
//! at lock), so both stay fast however long the journal grows.

use super::effects::Effect;
use super::events::{EntryForm, SearchText, Secret};
use super::runtime::Ctx;
use super::view::{EntryRow, NotesView, Notice};
use crate::error::{Error, Result};
use crate::journal::{EntryKind, EntrySummary, Journal};

/// What is open (memory only).
#[derive(Debug, Default)]
pub(crate) struct State {
    open: Option<String>,
    /// The editor: `Some(None)` a new entry, `Some(Some(id))` editing one.
    editing: Option<(Option<String>, EntryKind)>,
    /// The search typed on the list (blank: every title).
    query: SearchText,
}

impl State {
    /// Back to the list (or the lock screen).
    pub(crate) fn close(&mut self) {
        self.open = None;
        self.editing = None;
    }

    /// Forgets everything shown, the search text too (on lock).
    pub(crate) fn forget(&mut self) {
        self.close();
        self.query = SearchText::default();
    }

    /// Searches the notes (blank clears).
    pub(crate) fn search(&mut self, query: SearchText) {
        self.query = query;
    }

    /// Shows one entry.
    pub(crate) fn open(&mut self, id: String) {
        self.editing = None;
        self.open = Some(id);
    }

    /// A new entry.
    pub(crate) fn new_entry(&mut self, kind: EntryKind) {
        self.editing = Some((None, kind));
    }

    /// Edits an entry.
    pub(crate) fn edit(&mut self, id: String) {
        self.editing = Some((Some(id), EntryKind::Note));
    }
}

/// The list, newest first: every title, or those of the entries a search
/// finds. Titles only (no body is decrypted); a search asks the in-memory
/// index (diacritics and case ignored).
pub(crate) fn entry_titles(journal: &Journal, query: &str) -> Result<Vec<EntryRow>> {
    let query = query.trim();
    let mut entries: Vec<EntrySummary> = if query.is_empty() {
        journal.list_titles()?
    } else {
        journal.search_titles(query)?
    };
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated_at));
    Ok(entries
        .iter()
        .map(|e| EntryRow {
            id: e.id.clone(),
            title: e.title.clone(),
        })
        .collect())
}

/// Creates the notes; the passphrase must be typed the same twice.
pub(crate) fn create(ctx: &mut Ctx<'_>, pass: &Secret, again: &Secret) -> Result<()> {
    if !pass.same_as(again) {
        ctx.notice = Some(Notice::Mismatch);
        return Ok(());
    }
    ctx.parts.journal.create(pass.bytes())
}

/// Unlocks. A failure that erased the profile (the limit, or the second
/// passphrase) restarts the app on a fresh profile.
pub(crate) fn unlock(ctx: &mut Ctx<'_>, st: &mut State, pass: &Secret) -> Result<()> {
    st.forget();
    let result = ctx.parts.journal.unlock(pass.bytes());
    if result.is_err() && !ctx.parts.journal.exists()? {
        ctx.fx.push(Effect::Restart);
    }
    result
}

/// Saves the editor: a new entry, or a new version of the one edited.
pub(crate) fn save(ctx: &mut Ctx<'_>, st: &mut State, form: &EntryForm) -> Result<()> {
    let draft = form.to_draft();
    match st.editing.as_ref().and_then(|(id, _)| id.clone()) {
        Some(id) => {
            ctx.parts.journal.update(&id, draft)?;
        }
        None => {
            ctx.parts.journal.add(draft)?;
        }
    }
    st.close();
    Ok(())
}

/// Deletes an entry.
pub(crate) fn delete(ctx: &mut Ctx<'_>, st: &mut State, id: &str) -> Result<()> {
    ctx.parts.journal.delete(id)?;
    st.close();
    Ok(())
}

/// Writes an encrypted backup to `path`, then offers it to the user.
pub(crate) fn export(ctx: &mut Ctx<'_>, pass: &Secret, path: String) -> Result<()> {
    ctx.parts
        .journal
        .export_backup(pass.bytes(), None, std::path::Path::new(&path))?;
    ctx.fx.push(Effect::ShareFile { path });
    Ok(())
}

/// The screen.
pub(crate) fn view(ctx: &Ctx<'_>, st: &State) -> Result<NotesView> {
    let journal = &ctx.parts.journal;
    if !journal.exists()? {
        return Ok(NotesView::Setup);
    }
    if !journal.is_unlocked() {
        let l = journal.lockout()?;
        return Ok(NotesView::Locked {
            failed_attempts: l.failed,
            erase_after: l.wipe_after,
        });
    }
    if let Some((id, kind)) = &st.editing {
        return Ok(match id {
            None => NotesView::Editor {
                id: None,
                kind: *kind,
                title: String::new(),
                body: String::new(),
                incident: Default::default(),
            },
            Some(id) => {
                let e = journal.get(id)?;
                NotesView::Editor {
                    id: Some(e.id.clone()),
                    kind: e.kind,
                    title: e.title.clone(),
                    body: e.body.clone(),
                    incident: e.incident.clone().unwrap_or_default(),
                }
            }
        });
    }
    if let Some(id) = &st.open {
        match journal.get(id) {
            Ok(e) => {
                return Ok(NotesView::Entry {
                    id: e.id.clone(),
                    kind: e.kind,
                    title: e.title.clone(),
                    body: e.body.clone(),
                    incident: e.incident.clone(),
                    updated_at: e.updated_at,
                })
            }
            Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(NotesView::List {
        entries: entry_titles(journal, st.query.as_str())?,
        query: st.query.as_str().to_string(),
    })
}
