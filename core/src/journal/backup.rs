//! Encrypted backups: one file holding one vault (the one that is unlocked):
//! its data key, a chain head, its sealed records and attachment chunks,
//! encrypted under a backup passphrase in authenticated chunks. The exact
//! format is in `docs/journal-format.md` §4.
//!
//! Import never touches the journal until everything has been checked: the
//! file is decrypted chunk by chunk into a staging SQLite file (ciphertext
//! only), the whole chain, the head and every attachment are verified there,
//! and only then one transaction re-seals the contents into the session's
//! vault under a new data key. Backups of format 1 still import.

use super::catalog;
use super::chain;
use super::cover::Totals;
use super::entry::parse_id;
use super::family;
use super::kdf::{self, KdfParams, SALT_LEN};
use super::legacy;
use super::passphrase::Passphrase;
use super::record::{PlainRecord, RecordType};
use super::reencrypt::{self, install, ChunkSource};
use super::rows;
use super::slots::{self, SlotContent};
use super::vault::{record_hash, StoredHead, VaultKeys};
use super::wipe::STAGING_FILE;
use super::writes::{current_head, Writer};
use super::{Journal, State};
use crate::crypto::{self, random_bytes, SecretKey};
use crate::error::{Error, Result};
use crate::profile::Profile;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The file's first bytes.
pub const MAGIC: &[u8; 12] = b"PARASOL-JBAK";
/// The backup format version this build writes.
pub const BACKUP_VERSION: u8 = 2;
/// The older backup format this build still reads.
pub const LEGACY_BACKUP_VERSION: u8 = 1;
const ALG_ARGON2ID_XCHACHA: u8 = 1;
/// Length of the clear header.
pub const HEADER_LEN: usize = 12 + 1 + 1 + 12 + SALT_LEN;
/// Plaintext bytes per chunk (pads to exactly 64 KiB inside the seal).
pub const CHUNK_PLAIN: usize = 64 * 1024 - 4;
const MAX_SEALED_CHUNK: usize = 1 + 24 + 16 + 64 * 1024;
const MAX_FRAME: usize = crypto::seal::MAX_PLAINTEXT + 1024 * 1024;
const FRAME_META: u8 = 1;
const FRAME_RECORD: u8 = 2;
const FRAME_CHUNK: u8 = 3;
const FRAME_END: u8 = 4;

fn backup_key(
    header: &[u8],
    pass: &Passphrase,
    params: KdfParams,
    salt: &[u8],
) -> Result<SecretKey> {
    let stretched = kdf::argon2id(pass.bytes(), salt, params)?;
    kdf::hkdf(header, stretched.expose(), &[b"parasol-backup-key-v1"])
}

fn key_check(key: &SecretKey, header: &[u8]) -> [u8; 32] {
    kdf::prf(key, &[b"parasol-backup-check-v1", header])
}

fn chunk_context(header: &[u8], index: u64, last: bool) -> Vec<u8> {
    let mut ctx = b"backup-chunk".to_vec();
    ctx.extend_from_slice(header);
    ctx.extend_from_slice(&index.to_le_bytes());
    ctx.push(last as u8);
    ctx
}

struct ChunkWriter<W: Write> {
    out: W,
    key: SecretKey,
    header: Vec<u8>,
    buf: Zeroizing<Vec<u8>>,
    index: u64,
}

impl<W: Write> ChunkWriter<W> {
    fn frame(&mut self, kind: u8, parts: &[&[u8]]) -> Result<()> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        self.buf.push(kind);
        self.buf.extend_from_slice(&(len as u32).to_le_bytes());
        for p in parts {
            self.buf.extend_from_slice(p);
        }
        while self.buf.len() > CHUNK_PLAIN {
            let rest = Zeroizing::new(self.buf.split_off(CHUNK_PLAIN));
            let chunk = std::mem::replace(&mut self.buf, rest);
            self.emit(&chunk, false)?;
        }
        Ok(())
    }

    fn emit(&mut self, plain: &[u8], last: bool) -> Result<()> {
        let sealed = crypto::seal(
            &self.key,
            &chunk_context(&self.header, self.index, last),
            plain,
        )?;
        self.out.write_all(&(sealed.len() as u32).to_le_bytes())?;
        self.out.write_all(&[last as u8])?;
        self.out.write_all(&sealed)?;
        self.index += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<W> {
        let rest = Zeroizing::new(std::mem::take(&mut *self.buf));
        self.emit(&rest, true)?;
        Ok(self.out)
    }
}

fn temp_path(path: &Path) -> Result<PathBuf> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::invalid("the backup path has no file name"))?;
    Ok(path.with_file_name(format!(".{name}.partial")))
}

/// Writes the backup of the vault `keys` (in `slot`) to `path` atomically.
/// Refuses a vault whose chain is broken.
pub fn export(
    conn: &Connection,
    keys: &VaultKeys,
    slot: usize,
    pass: &Passphrase,
    params: KdfParams,
    path: &Path,
    threads: usize,
) -> Result<()> {
    let head = current_head(conn, keys, slot)?;
    let scanned = rows::scan_records(conn, true)?;
    let (report, _) = chain::verify(keys, &scanned, &head, threads)?;
    if let Some(b) = report.first_broken {
        return Err(Error::Crypto(format!(
            "the journal's chain is broken ({}); export refused",
            b.reason
        )));
    }
    let mut found = catalog::own_records(keys, &scanned, threads)?;
    found.sort_by_key(|f| f.summary.n);
    // What the backup's head says: the chain only (no cover, no duress vault).
    let mut clean = keys.empty_head(head.base);
    clean.count = head.count;
    clean.last_hash = head.last_hash;
    clean.last_record_id = head.last_record_id;
    let head_sealed = keys.seal_head(&clean)?;

    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.push(BACKUP_VERSION);
    header.push(ALG_ARGON2ID_XCHACHA);
    header.extend_from_slice(&params.encode());
    let salt = random_bytes(SALT_LEN);
    header.extend_from_slice(&salt);
    let key = backup_key(&header, pass, params, &salt)?;

    let tmp = temp_path(path)?;
    let result = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut out = BufWriter::new(options.open(&tmp)?);
        out.write_all(&header)?;
        out.write_all(&key_check(&key, &header))?;
        let mut w = ChunkWriter {
            out,
            key,
            header: header.clone(),
            buf: Zeroizing::new(Vec::with_capacity(CHUNK_PLAIN * 2)),
            index: 0,
        };
        w.frame(
            FRAME_META,
            &[&keys.vault_id, keys.dek.expose(), &head_sealed],
        )?;
        let mut chunk_ids: BTreeSet<[u8; 16]> = BTreeSet::new();
        let mut buf = Zeroizing::new(Vec::new());
        for f in &found {
            let row = scanned
                .iter()
                .find(|r| r.record_id == f.record_id)
                .ok_or_else(|| Error::Internal("scanned row vanished".into()))?;
            if f.summary.record_type == RecordType::Entry {
                for a in &keys
                    .open_detail(&f.record_id, &row.detail, &mut buf)?
                    .attachments
                {
                    let att = parse_id(&a.id)?;
                    chunk_ids.extend((0..a.chunks).map(|i| keys.chunk_id(&att, i)));
                }
            }
            let slen = (row.summary.len() as u32).to_le_bytes();
            w.frame(
                FRAME_RECORD,
                &[&row.record_id, &slen, &row.summary, &row.detail],
            )?;
        }
        for id in &chunk_ids {
            let sealed = rows::fetch_chunk(conn, id)?.ok_or_else(|| {
                Error::Crypto("an attachment chunk is missing; export refused".into())
            })?;
            w.frame(FRAME_CHUNK, &[id, &sealed])?;
        }
        w.frame(
            FRAME_END,
            &[
                &(found.len() as u64).to_le_bytes(),
                &(chunk_ids.len() as u64).to_le_bytes(),
            ],
        )?;
        let out = w.finish()?;
        let file = out.into_inner().map_err(|e| Error::Io(e.into_error()))?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().and_then(|d| fs::File::open(d).ok()) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A backup that passed every check: its keys, where its chain ends, and
/// its entry versions in chain order (chunks wait in the staging file).
pub struct Staged {
    keys: VaultKeys,
    base: [u8; 32],
    versions: Vec<PlainRecord>,
    legacy: bool,
    conn: Connection,
    _guard: StagingGuard,
}

impl std::fmt::Debug for Staged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Staged(<redacted>)")
    }
}

/// Deletes the staging files when dropped.
struct StagingGuard(PathBuf);

impl Drop for StagingGuard {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = fs::remove_file(PathBuf::from(p));
        }
    }
}

fn truncated() -> Error {
    Error::Crypto("the backup is truncated (its final chunk is missing)".into())
}

fn read_exact_or(r: &mut impl Read, buf: &mut [u8]) -> Result<bool> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = r.read(&mut buf[filled..])?;
        if n == 0 {
            return if filled == 0 {
                Ok(false)
            } else {
                Err(truncated())
            };
        }
        filled += n;
    }
    Ok(true)
}

/// Decrypts and checks the backup at `path` into the staging database.
pub fn stage(
    profile: &Profile,
    path: &Path,
    pass: &Passphrase,
    allow_weak: bool,
    threads: usize,
) -> Result<Staged> {
    let file = fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound("no backup file at that path".into()),
        _ => Error::Io(e),
    })?;
    let mut r = BufReader::new(file);
    let mut header = [0u8; HEADER_LEN];
    if !read_exact_or(&mut r, &mut header)? || &header[..12] != MAGIC {
        return Err(Error::invalid("this is not a Parasol journal backup"));
    }
    if header[12] != BACKUP_VERSION && header[12] != LEGACY_BACKUP_VERSION {
        return Err(Error::Corrupt(format!(
            "backup format version {} is not supported by this app (it reads versions {LEGACY_BACKUP_VERSION} and {BACKUP_VERSION}); update the app",
            header[12]
        )));
    }
    let legacy = header[12] == LEGACY_BACKUP_VERSION;
    if header[13] != ALG_ARGON2ID_XCHACHA {
        return Err(Error::Corrupt(format!(
            "backup algorithm {} is unknown",
            header[13]
        )));
    }
    let mut p = [0u8; 12];
    p.copy_from_slice(&header[14..26]);
    let params = KdfParams::decode(&p);
    params
        .check(allow_weak)
        .map_err(|e| Error::Crypto(format!("backup refused: {e}")))?;
    let key = backup_key(&header, pass, params, &header[26..26 + SALT_LEN])?;
    let mut check = [0u8; 32];
    if !read_exact_or(&mut r, &mut check)? {
        return Err(truncated());
    }
    if check != key_check(&key, &header) {
        return Err(Error::WrongPassphrase);
    }

    let staging_path = profile.config().data_dir.join(STAGING_FILE);
    // Remove what an interrupted import may have left; the guard removes
    // the staging files whatever happens from here on.
    drop(StagingGuard(staging_path.clone()));
    let guard = StagingGuard(staging_path.clone());
    let mut parser = FrameParser {
        legacy,
        ..FrameParser::default()
    };
    let mut staging: Option<Connection> = None;
    let mut index = 0u64;
    loop {
        let mut len = [0u8; 4];
        if !read_exact_or(&mut r, &mut len)? {
            return Err(truncated());
        }
        let len = u32::from_le_bytes(len) as usize;
        if len > MAX_SEALED_CHUNK {
            return Err(Error::Crypto(format!(
                "backup chunk {index} has an impossible size"
            )));
        }
        let mut last = [0u8; 1];
        let mut sealed = vec![0u8; len];
        if !read_exact_or(&mut r, &mut last)? || !read_exact_or(&mut r, &mut sealed)? {
            return Err(truncated());
        }
        if last[0] > 1 {
            return Err(Error::Crypto(format!("backup chunk {index} is damaged")));
        }
        let plain = crypto::open(&key, &chunk_context(&header, index, last[0] == 1), &sealed).map_err(|_| {
            Error::Crypto(format!(
                "backup chunk {index} failed authentication: the file is damaged, or chunks were reordered, duplicated or removed"
            ))
        })?;
        if staging.is_none() {
            let conn = crate::store::open_connection(&staging_path)?;
            conn.execute_batch(
                "CREATE TABLE journal_records (
                    seq INTEGER PRIMARY KEY NOT NULL, record_id BLOB NOT NULL UNIQUE,
                    owner BLOB NOT NULL, hash BLOB NOT NULL, sealed BLOB, summary BLOB) STRICT;
                 CREATE TABLE journal_chunks (
                    chunk_id BLOB PRIMARY KEY NOT NULL, owner BLOB NOT NULL, sealed BLOB NOT NULL) STRICT;
                 BEGIN;",
            )?;
            staging = Some(conn);
        }
        if let Some(conn) = &staging {
            parser.feed(&plain, conn)?;
        }
        index += 1;
        if last[0] == 1 {
            break;
        }
    }
    let conn = staging.ok_or_else(truncated)?;
    let mut extra = [0u8; 1];
    if r.read(&mut extra)? != 0 {
        return Err(Error::Crypto(
            "the backup has unexpected data after its final chunk".into(),
        ));
    }
    let (keys, head_sealed) = parser.finish()?;
    conn.execute_batch("COMMIT")?;
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Corrupt(
            "the staging database failed its check".into(),
        ));
    }
    let failed = |what: String| Error::Crypto(format!("the backup failed verification: {what}"));
    let (base, versions) = if legacy {
        stage_legacy(&conn, &keys, &head_sealed).map_err(|e| match e {
            Error::Crypto(why) => failed(why),
            other => other,
        })?
    } else {
        let head = match keys.open_head(&head_sealed) {
            Ok(StoredHead::Current(h)) => h,
            _ => {
                return Err(Error::Crypto(
                    "the backup's chain head failed authentication".into(),
                ))
            }
        };
        let (versions, _) =
            reencrypt::read_vault(&conn, &keys, &head, threads).map_err(|e| match e {
                Error::Crypto(why) => failed(why.replace("; re-encryption refused", "")),
                other => other,
            })?;
        (head.last_hash, versions)
    };
    for (_, detail) in &versions {
        for a in &detail.attachments {
            check_attachment(&conn, &keys, legacy, a)
                .map_err(|e| Error::Crypto(format!("the backup's attachment is damaged: {e}")))?;
        }
    }
    Ok(Staged {
        keys,
        base,
        versions,
        legacy,
        conn,
        _guard: guard,
    })
}

fn stage_legacy(
    conn: &Connection,
    keys: &VaultKeys,
    head_sealed: &[u8],
) -> Result<([u8; 32], Vec<PlainRecord>)> {
    let (count, last) = legacy::open_head(keys, head_sealed)
        .map_err(|_| Error::Crypto("the backup's chain head failed authentication".into()))?;
    for id in rows::record_ids(conn)? {
        conn.execute(
            "UPDATE journal_records SET owner = ?1 WHERE record_id = ?2",
            rusqlite::params![&keys.owner(&id)[..], &id[..]],
        )?;
    }
    let own = legacy::own_rows(conn, keys)?;
    legacy::verify(keys, &own, count, &last)?;
    Ok((last, legacy::entry_versions(keys, &own)?))
}

fn check_attachment(
    conn: &Connection,
    keys: &VaultKeys,
    legacy: bool,
    info: &super::entry::AttachmentInfo,
) -> Result<()> {
    let att = parse_id(&info.id)?;
    let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
    let mut size = 0u64;
    for index in 0..info.chunks {
        let sealed = rows::fetch_chunk(conn, &keys.chunk_id(&att, index))?
            .ok_or_else(|| Error::Crypto(format!("attachment chunk {index} is missing")))?;
        let plain = if legacy {
            legacy::open_chunk(keys, &att, index, info.chunks, &sealed)?
        } else {
            keys.open_chunk(&att, index, info.chunks, &sealed)?
        };
        size += plain.len() as u64;
        sha2::Digest::update(&mut hasher, &plain[..]);
    }
    if size != info.size || hex::encode(sha2::Digest::finalize(hasher)) != info.sha256 {
        return Err(Error::Crypto(
            "attachment does not match its recorded hash".into(),
        ));
    }
    Ok(())
}

#[derive(Default)]
struct FrameParser {
    legacy: bool,
    buf: Zeroizing<Vec<u8>>,
    meta: Option<(VaultKeys, Vec<u8>)>,
    records: u64,
    chunks: u64,
    ended: bool,
}

impl FrameParser {
    fn feed(&mut self, plain: &[u8], conn: &Connection) -> Result<()> {
        self.buf.extend_from_slice(plain);
        let mut at = 0;
        loop {
            let rest = &self.buf[at..];
            if rest.len() < 5 {
                break;
            }
            let kind = rest[0];
            let len = u32::from_le_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
            if len > MAX_FRAME {
                return Err(Error::Crypto(
                    "the backup holds an impossibly large record".into(),
                ));
            }
            if rest.len() < 5 + len {
                break;
            }
            let body = Zeroizing::new(rest[5..5 + len].to_vec());
            at += 5 + len;
            self.handle(kind, &body, conn)?;
        }
        let rest = Zeroizing::new(self.buf[at..].to_vec());
        self.buf = rest;
        Ok(())
    }

    fn handle(&mut self, kind: u8, body: &[u8], conn: &Connection) -> Result<()> {
        let bad = |what: &str| Error::Crypto(format!("the backup is malformed: {what}"));
        if self.ended {
            return Err(bad("data after the end marker"));
        }
        if self.meta.is_none() && kind != FRAME_META {
            return Err(bad("it does not start with its keys"));
        }
        match kind {
            FRAME_META => {
                if self.meta.is_some() || body.len() < 48 {
                    return Err(bad("bad key frame"));
                }
                let mut vault_id = [0u8; 16];
                vault_id.copy_from_slice(&body[..16]);
                let dek = SecretKey::from_slice(&body[16..48]).ok_or_else(|| bad("bad key"))?;
                self.meta = Some((VaultKeys::new(dek, vault_id)?, body[48..].to_vec()));
            }
            FRAME_RECORD if self.legacy => {
                if body.len() < 8 + 16 + 32 + 1 {
                    return Err(bad("short record"));
                }
                let mut seq = [0u8; 8];
                seq.copy_from_slice(&body[..8]);
                let sealed = match body[56] {
                    1 => Some(&body[57..]),
                    0 if body.len() == 57 => None,
                    _ => return Err(bad("bad record flag")),
                };
                conn.execute(
                    "INSERT INTO journal_records(seq, record_id, owner, hash, sealed) VALUES (?1, ?2, x'', ?3, ?4)",
                    rusqlite::params![i64::from_le_bytes(seq), &body[8..24], &body[24..56], sealed],
                )
                .map_err(|_| bad("a record is duplicated"))?;
                self.records += 1;
            }
            FRAME_RECORD => {
                if body.len() < 16 + 4 {
                    return Err(bad("short record"));
                }
                let slen = u32::from_le_bytes([body[16], body[17], body[18], body[19]]) as usize;
                if body.len() < 20 + slen {
                    return Err(bad("short record"));
                }
                let (summary, detail) = body[20..].split_at(slen);
                let id: [u8; 16] = body[..16].try_into().map_err(|_| bad("short record"))?;
                rows::insert_record(conn, &id, summary, detail, &record_hash(summary, detail))
                    .map_err(|_| bad("a record is duplicated"))?;
                self.records += 1;
            }
            FRAME_CHUNK => {
                if body.len() < 16 {
                    return Err(bad("short chunk"));
                }
                conn.execute(
                    "INSERT INTO journal_chunks(chunk_id, owner, sealed) VALUES (?1, x'', ?2)",
                    rusqlite::params![&body[..16], &body[16..]],
                )
                .map_err(|_| bad("an attachment chunk is duplicated"))?;
                self.chunks += 1;
            }
            FRAME_END => {
                if body.len() != 16 {
                    return Err(bad("bad end marker"));
                }
                let mut a = [0u8; 8];
                a.copy_from_slice(&body[..8]);
                let mut b = [0u8; 8];
                b.copy_from_slice(&body[8..]);
                if u64::from_le_bytes(a) != self.records || u64::from_le_bytes(b) != self.chunks {
                    return Err(bad("record counts do not match"));
                }
                self.ended = true;
            }
            _ => return Err(bad("unknown frame type")),
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(VaultKeys, Vec<u8>)> {
        if !self.ended || !self.buf.is_empty() {
            return Err(Error::Crypto(
                "the backup is malformed: no end marker".into(),
            ));
        }
        self.meta
            .take()
            .ok_or_else(|| Error::Crypto("the backup is malformed: no keys".into()))
    }
}

impl Journal {
    /// Writes an encrypted backup of the open vault to `path`, under
    /// `backup_passphrase` (or the journal's own passphrase when None) and the
    /// journal's key-derivation parameters. Needs the current passphrase;
    /// refuses a journal whose chain is broken.
    pub fn export_backup(
        &self,
        current: &[u8],
        backup_passphrase: Option<&[u8]>,
        path: &Path,
    ) -> Result<()> {
        let current = Passphrase::new(current)?;
        let backup_pass = match backup_passphrase {
            Some(b) => Passphrase::new_choice(b)?,
            None => Passphrase::new(current.bytes())?,
        };
        let threads = self.options.threads;
        self.with_reauth(&current, |s, _| {
            self.profile.store().with(|c| {
                export(
                    c,
                    &s.keys,
                    s.slot,
                    &backup_pass,
                    self.options.kdf,
                    path,
                    threads,
                )
            })
        })
    }

    /// Replaces the open vault's contents with the backup in `path`. Everything
    /// is checked in a staging database first; on any failure the journal is
    /// untouched. The contents are re-sealed under a new data key (the chain
    /// continues from the backup's head). Afterwards `journal_passphrase`
    /// opens it, any duress passphrase set up from it is gone, and the journal
    /// is locked. Without a journal, one is created. If a journal exists it
    /// must be unlocked.
    pub fn import_backup(
        &self,
        path: &Path,
        backup_passphrase: &[u8],
        journal_passphrase: &[u8],
    ) -> Result<()> {
        let backup_pass = Passphrase::new(backup_passphrase)?;
        let journal_pass = Passphrase::new_choice(journal_passphrase)?;
        let exists = {
            let inner = self.lock_inner();
            match &inner.state {
                State::Wiped => return Err(super::wiped()),
                State::Locked if self.profile.store().with(super::meta::exists)? => {
                    return Err(Error::Locked)
                }
                State::Unlocked(_) => true,
                State::Locked => false,
            }
        };
        let staged = stage(
            &self.profile,
            path,
            &backup_pass,
            self.options.allow_weak_kdf,
            self.options.threads,
        )?;
        if !exists {
            self.create(journal_passphrase)?;
        }
        let mut inner = self.lock_inner();
        let State::Unlocked(s) = &mut inner.state else {
            return Err(Error::Locked);
        };
        let meta = self
            .profile
            .store()
            .with(super::meta::read)?
            .ok_or_else(super::no_journal)?;
        let platform = self.unwrap_platform(&meta.wrapped_platform)?;
        let kek = self.derive(&meta.header_bytes, &journal_pass, &platform)?;
        let fresh = VaultKeys::new(SecretKey::generate(), s.keys.vault_id)?;
        let flags = s.flags;
        let wrapped = slots::wrap(
            &kek,
            &meta.header_bytes,
            s.slot,
            &SlotContent {
                dek: fresh.dek.clone(),
                flags,
            },
        )?;
        let threads = self.options.threads;
        let session: &super::Session = s;
        let mut versions = staged.versions;
        self.profile.store().transaction(|tx| {
            let totals = Totals::count(tx)?;
            let mut w = Writer::over(
                tx,
                &fresh,
                session.slot,
                fresh.empty_head(staged.base),
                totals,
            );
            self.remove_children(tx, session, &mut w)?;
            let (records, chunks) = family::vault_rows(tx, &session.keys, session.slot, threads)?;
            for id in &records {
                w.remove_record(id)?;
            }
            for id in &chunks {
                w.remove_chunk(id)?;
            }
            let source = ChunkSource {
                legacy: staged.legacy,
                consume: false,
            };
            let sizes = install(&mut w, &staged.conn, &staged.keys, source, &mut versions)?;
            w.finish(&sizes)?;
            rows::write_wrapped(tx, session.slot, &wrapped)
        })?;
        inner.state = State::Locked;
        drop(inner);
        self.profile.store().checkpoint()
    }
}
