//! Duress passphrases, from any session, and which vault a passphrase opens
//! when it opens more than one.
//!
//! Every vault can set up one duress vault of its own (its *child*, in
//! [`slots::child_slot`]) and remembers the child's data key in its head, so
//! that it can remove the child's rows again. The journal itself (slot 0) is
//! the only vault that knows it is the journal; a duress session runs the same
//! code and never touches slot 0, so setting up or clearing a duress
//! passphrase in a decoy works as in the journal, and the real owner keeps
//! access whatever happens in a decoy. Which answers may depend on what:
//! docs/security.md, "Duress".
//!
//! When one passphrase opens several slots (someone in a decoy session chose,
//! without being able to tell, a passphrase that is also the journal's), the
//! deepest vault that opens a session wins: the passphrase then behaves as
//! the decoy session set it up, so nobody learns that it is also the real one.
//! A vault that would not open a session (alert only, wipe) never wins over
//! one that does: the real passphrase can never be turned into a wipe.

use super::catalog;
use super::duress::DuressActions;
use super::meta;
use super::passphrase::Passphrase;
use super::rows;
use super::slots::{self, Header, SlotContent, PRIMARY_SLOT};
use super::vault::{StoredHead, VaultKeys};
use super::writes::{current_head, Writer};
use super::{Journal, Session};
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::collections::HashSet;
use zeroize::Zeroizing;

/// The child data key stored in the head of the vault `keys` in `slot`.
fn child_of(conn: &Connection, keys: &VaultKeys, slot: usize) -> Option<SecretKey> {
    let cell = rows::read_head_cell(conn, slot).ok()?;
    match keys.open_head(&cell).ok()? {
        StoredHead::Current(h) => h.child,
        StoredHead::Legacy { .. } => None,
    }
}

/// The vaults below `keys` (in `slot`): (slot, data key), nearest first.
pub fn descendants(
    conn: &Connection,
    keys: &VaultKeys,
    slot: usize,
) -> Result<Vec<(usize, SecretKey)>> {
    let mut out = Vec::new();
    let mut at = slot;
    let mut next = child_of(conn, keys, slot);
    while let Some(dek) = next {
        let c = slots::child_slot(at);
        if out.iter().any(|(s, _)| *s == c) || c == slot {
            break;
        }
        let child = VaultKeys::new(dek.clone(), keys.vault_id)?;
        // The child is there only if its slot's head still opens with its key.
        let Ok(cell) = rows::read_head_cell(conn, c) else {
            break;
        };
        if child.open_head(&cell).is_err() {
            break;
        }
        next = child_of(conn, &child, c);
        out.push((c, dek));
        at = c;
    }
    Ok(out)
}

/// Chooses which of the slots a passphrase opened it unlocks (see the
/// module docs). `None`: none opened.
pub fn choose(
    conn: &Connection,
    header: &Header,
    opened: Vec<(usize, SlotContent)>,
) -> Result<Option<(usize, SlotContent)>> {
    if opened.len() <= 1 {
        return Ok(opened.into_iter().next());
    }
    let opens = |slot: usize, c: &SlotContent| {
        slot == PRIMARY_SLOT || DuressActions::from_flags(c.flags).open_decoy
    };
    let mut below: Vec<Vec<[u8; 32]>> = Vec::with_capacity(opened.len());
    for (slot, c) in &opened {
        let keys = VaultKeys::new(c.dek.clone(), header.vault_id)?;
        below.push(
            descendants(conn, &keys, *slot)?
                .iter()
                .map(|(_, k)| *k.expose())
                .collect(),
        );
    }
    let sessions: Vec<usize> = (0..opened.len())
        .filter(|&i| opens(opened[i].0, &opened[i].1))
        .collect();
    if sessions.is_empty() {
        return Ok(opened.into_iter().next());
    }
    // Drop every vault that has another session-opening vault below it.
    let leaves: Vec<usize> = sessions
        .iter()
        .copied()
        .filter(|&i| {
            !sessions
                .iter()
                .any(|&j| j != i && below[i].contains(opened[j].1.dek.expose()))
        })
        .collect();
    let pick = leaves
        .iter()
        .copied()
        .min_by_key(|&i| (opened[i].0 == PRIMARY_SLOT, opened[i].0))
        .unwrap_or(sessions[0]);
    Ok(opened.into_iter().nth(pick))
}

/// Record ids and chunk ids.
type RowSets = (HashSet<[u8; 16]>, HashSet<[u8; 16]>);

/// The rows of a vault: record ids (its records and cover) and chunk ids
/// (its attachments and cover).
pub(super) fn vault_rows(
    conn: &Connection,
    keys: &VaultKeys,
    slot: usize,
    threads: usize,
) -> Result<RowSets> {
    let head = current_head(conn, keys, slot).ok();
    let scanned = rows::scan_records(conn, true)?;
    let found = catalog::own_records(keys, &scanned, threads)?;
    let mut records: HashSet<[u8; 16]> = found.iter().map(|f| f.record_id).collect();
    let mut chunks = HashSet::new();
    let mut buf = Zeroizing::new(Vec::new());
    for row in scanned.iter().filter(|r| records.contains(&r.record_id)) {
        if let Ok(detail) = keys.open_detail(&row.record_id, &row.detail, &mut buf) {
            for a in &detail.attachments {
                let Ok(att) = super::entry::parse_id(&a.id) else {
                    continue;
                };
                for index in 0..a.chunks {
                    chunks.insert(keys.chunk_id(&att, index));
                }
            }
        }
    }
    if let Some(h) = head {
        records.extend((0..u64::from(h.cover_rows)).map(|k| keys.cover_record_id(k)));
        chunks.extend((0..u64::from(h.cover_chunks)).map(|k| keys.cover_chunk_id(k)));
    }
    Ok((records, chunks))
}

impl Journal {
    /// Removes the session vault's duress vaults (inside `w`'s transaction):
    /// the journal removes every row that is not its own; a duress vault
    /// removes its child's rows. Their slots become random bytes again.
    pub(super) fn remove_children(
        &self,
        conn: &Connection,
        s: &Session,
        w: &mut Writer<'_>,
    ) -> Result<()> {
        let threads = self.options.threads;
        if s.slot == PRIMARY_SLOT {
            let (own_records, own_chunks) = vault_rows(conn, &s.keys, s.slot, threads)?;
            for id in rows::record_ids(conn)? {
                if !own_records.contains(&id) {
                    w.remove_record(&id)?;
                }
            }
            for id in rows::chunk_ids(conn)? {
                if !own_chunks.contains(&id) {
                    w.remove_chunk(&id)?;
                }
            }
            for slot in 1..slots::SLOT_COUNT {
                rows::write_slot(conn, slot, &slots::filler(), &slots::filler())?;
            }
        } else if let Some((c, dek)) = descendants(conn, &s.keys, s.slot)?.into_iter().next() {
            let child = VaultKeys::new(dek, s.keys.vault_id)?;
            let (records, chunks) = vault_rows(conn, &child, c, threads)?;
            for id in &records {
                w.remove_record(id)?;
            }
            for id in &chunks {
                w.remove_chunk(id)?;
            }
            rows::write_slot(conn, c, &slots::filler(), &slots::filler())?;
        }
        w.head.child = None;
        Ok(())
    }

    /// Sets the duress passphrase and what it does. Replaces any earlier one
    /// (and its decoy entries). Needs the current passphrase. Works the same
    /// in a decoy session (where it sets up the decoy's own duress passphrase).
    pub fn set_duress(&self, current: &[u8], duress: &[u8], actions: DuressActions) -> Result<()> {
        let current = Passphrase::new(current)?;
        let duress = Passphrase::new_choice(duress)?;
        let flags = actions.to_flags()?;
        self.with_reauth(&current, |s, r| {
            let kek = self.derive(&r.header_bytes, &duress, &r.platform)?;
            let all = self.profile.store().with(meta::read_slots)?;
            if slots::open_one(&kek, &r.header_bytes, s.slot, &all[s.slot]).is_some() {
                return Err(Error::invalid(
                    "the duress passphrase must differ from the journal passphrase",
                ));
            }
            let child = VaultKeys::new(SecretKey::generate(), s.keys.vault_id)?;
            let c = slots::child_slot(s.slot);
            let wrapped = slots::wrap(
                &kek,
                &r.header_bytes,
                c,
                &SlotContent {
                    dek: child.dek.clone(),
                    flags,
                },
            )?;
            let child_head = child.seal_head(&child.empty_head([0; 32]))?;
            self.family_write(s, |conn, w| {
                rows::write_slot(conn, c, &wrapped, &child_head)?;
                w.head.child = Some(child.dek.clone());
                Ok(())
            })
        })
    }

    /// Removes the duress passphrase and its decoy entries (the slot becomes
    /// random bytes again). Needs the current passphrase. Works the same in a
    /// decoy session.
    pub fn clear_duress(&self, current: &[u8]) -> Result<()> {
        let current = Passphrase::new(current)?;
        self.with_reauth(&current, |s, _| self.family_write(s, |_, _| Ok(())))
    }

    /// Removes the children, then runs `then`, in one transaction; checkpoints.
    fn family_write(
        &self,
        s: &mut Session,
        then: impl FnOnce(&Connection, &mut Writer<'_>) -> Result<()>,
    ) -> Result<()> {
        let samples = s.catalog()?.sizes.clone();
        let store = self.profile.store();
        let session: &Session = s;
        let totals = store.transaction(|tx| {
            let mut w = Writer::begin(tx, &session.keys, session.slot, session.totals)?;
            self.remove_children(tx, session, &mut w)?;
            then(tx, &mut w)?;
            let (_, totals) = w.finish(&samples)?;
            Ok(totals)
        });
        match totals {
            Ok(t) => s.totals = Some(t),
            Err(e) => {
                s.totals = None;
                return Err(e);
            }
        }
        store.checkpoint()
    }
}
