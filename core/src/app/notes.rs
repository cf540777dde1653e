//! The notes screens: set-up, unlock (failed attempts shown), the list of
//! titles, one entry, the editor, lock and export. The notes decide what a
//! passphrase opens (the real notes, a separate harmless set, or an erase);
//! this only shows the result.

use super::effects::Effect;
use super::events::{EntryForm, Secret};
use super::runtime::Ctx;
use super::view::{EntryRow, NotesView, Notice};
use crate::error::{Error, Result};
use crate::journal::{EntryKind, Journal};

/// What is open (memory only).
#[derive(Debug, Default)]
pub(crate) struct State {
    open: Option<String>,
    /// The editor: `Some(None)` a new entry, `Some(Some(id))` editing one.
    editing: Option<(Option<String>, EntryKind)>,
}

impl State {
    /// Back to the list (or the lock screen).
    pub(crate) fn close(&mut self) {
        self.open = None;
        self.editing = None;
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

/// The list: titles only, newest first. The one place that reads them, so
/// that a titles-only listing of the notes replaces one line here.
pub(crate) fn entry_titles(journal: &Journal) -> Result<Vec<EntryRow>> {
    let mut entries = journal.list()?;
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
    st.close();
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
        entries: entry_titles(journal)?,
    })
}
