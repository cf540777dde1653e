//! Encrypted backups: one file holding a vault's data key, chain head, sealed
//! records and attachment chunks, encrypted under a backup passphrase in
//! authenticated chunks. The exact format is in `docs/journal-format.md`.
//!
//! Import never touches the journal until everything has been checked: the
//! file is decrypted chunk by chunk into a staging SQLite file (ciphertext
//! only), every record, the chain, the head and every attachment are
//! verified there, and only then one transaction swaps the rows in.

use super::kdf::{self, KdfParams, SALT_LEN};
use super::passphrase::Passphrase;
use super::vault::{self, VaultKeys};
use super::wipe::STAGING_FILE;
use crate::crypto::{self, random_bytes, SecretKey};
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::store::Store;
use rusqlite::Connection;
use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The file's first bytes.
pub const MAGIC: &[u8; 12] = b"PARASOL-JBAK";
/// The backup format version this build writes and reads.
pub const BACKUP_VERSION: u8 = 1;
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
        let rest = std::mem::take(&mut *self.buf);
        let rest = Zeroizing::new(rest);
        self.emit(&rest, true)?;
        Ok(self.out)
    }
}

/// Writes the backup of the vault `keys` (slot `slot`) to `path` atomically.
pub fn export(
    store: &Store,
    keys: &VaultKeys,
    slot: usize,
    pass: &Passphrase,
    params: KdfParams,
    path: &Path,
) -> Result<()> {
    let (rows, head_sealed) = store.with(|c| {
        let rows = vault::own_rows(c, keys)?;
        let head = vault::read_head(c, keys, slot)?;
        let report = super::chain::verify(keys, &rows, &head);
        if let Some(b) = report.first_broken {
            return Err(Error::Crypto(format!(
                "the journal's chain is broken ({}); export refused",
                b.reason
            )));
        }
        let head_sealed: Vec<u8> = c.query_row(
            "SELECT head FROM journal_slots WHERE slot = ?1",
            [slot as i64],
            |r| r.get(0),
        )?;
        Ok((rows, head_sealed))
    })?;
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
        let mut file = fs::OpenOptions::new();
        file.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            file.mode(0o600);
        }
        let mut out = BufWriter::new(file.open(&tmp)?);
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
        for row in &rows {
            let flag = [row.sealed.is_some() as u8];
            w.frame(
                FRAME_RECORD,
                &[
                    &row.seq.to_le_bytes(),
                    &row.record_id,
                    &row.hash,
                    &flag,
                    row.sealed.as_deref().unwrap_or(&[]),
                ],
            )?;
        }
        let mut chunks = 0u64;
        store.with(|c| {
            let mut stmt =
                c.prepare("SELECT chunk_id, owner, sealed FROM journal_chunks ORDER BY chunk_id")?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let id: Vec<u8> = r.get(0)?;
                let owner: Vec<u8> = r.get(1)?;
                let Ok(id16) = <[u8; 16]>::try_from(id.as_slice()) else {
                    continue;
                };
                if keys.owner(&id16).as_slice() != owner.as_slice() {
                    continue;
                }
                let sealed: Vec<u8> = r.get(2)?;
                w.frame(FRAME_CHUNK, &[&id16, &sealed])?;
                chunks += 1;
            }
            Ok(())
        })?;
        w.frame(
            FRAME_END,
            &[&(rows.len() as u64).to_le_bytes(), &chunks.to_le_bytes()],
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

fn temp_path(path: &Path) -> Result<PathBuf> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::invalid("the backup path has no file name"))?;
    Ok(path.with_file_name(format!(".{name}.partial")))
}

/// A backup that passed every check, waiting in the staging database.
pub struct Staged {
    /// The backup's vault keys.
    pub keys: VaultKeys,
    head_sealed: Vec<u8>,
    guard: StagingGuard,
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
    if header[12] != BACKUP_VERSION {
        return Err(Error::Corrupt(format!(
            "backup format version {} is not supported by this app (it reads version {BACKUP_VERSION}); update the app",
            header[12]
        )));
    }
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
    let mut parser = FrameParser::default();
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
                    owner BLOB NOT NULL, hash BLOB NOT NULL, sealed BLOB) STRICT;
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
    let tx = &conn;
    let mut extra = [0u8; 1];
    if r.read(&mut extra)? != 0 {
        return Err(Error::Crypto(
            "the backup has unexpected data after its final chunk".into(),
        ));
    }
    let (keys, head_sealed) = parser.finish()?;
    // Owner tags need the keys: compute them now that META is known.
    {
        let ids: Vec<Vec<u8>> = {
            let mut stmt = tx.prepare("SELECT record_id FROM journal_records")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for id in ids {
            let a = <[u8; 16]>::try_from(id.as_slice())
                .map_err(|_| Error::Crypto("backup record id".into()))?;
            tx.execute(
                "UPDATE journal_records SET owner = ?1 WHERE record_id = ?2",
                rusqlite::params![&keys.owner(&a)[..], &id],
            )?;
        }
        let ids: Vec<Vec<u8>> = {
            let mut stmt = tx.prepare("SELECT chunk_id FROM journal_chunks")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for id in ids {
            let a = <[u8; 16]>::try_from(id.as_slice())
                .map_err(|_| Error::Crypto("backup chunk id".into()))?;
            tx.execute(
                "UPDATE journal_chunks SET owner = ?1 WHERE chunk_id = ?2",
                rusqlite::params![&keys.owner(&a)[..], &id],
            )?;
        }
    }
    tx.execute_batch("COMMIT")?;
    verify_staged(&conn, &keys, &head_sealed)?;
    drop(conn);
    Ok(Staged {
        keys,
        head_sealed,
        guard,
    })
}

fn verify_staged(conn: &Connection, keys: &VaultKeys, head_sealed: &[u8]) -> Result<()> {
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Corrupt(
            "the staging database failed its check".into(),
        ));
    }
    let head = keys
        .open_head(head_sealed)
        .map_err(|_| Error::Crypto("the backup's chain head failed authentication".into()))?;
    let rows = vault::own_rows(conn, keys)?;
    let report = super::chain::verify(keys, &rows, &head);
    if let Some(b) = report.first_broken {
        return Err(Error::Crypto(format!(
            "the backup failed verification: {}",
            b.reason
        )));
    }
    for entry in super::all_entries(conn, keys)? {
        for a in &entry.attachments {
            super::read_attachment(conn, keys, a)
                .map_err(|e| Error::Crypto(format!("the backup's attachment is damaged: {e}")))?;
        }
    }
    Ok(())
}

#[derive(Default)]
struct FrameParser {
    buf: Zeroizing<Vec<u8>>,
    meta: Option<(VaultKeys, Vec<u8>)>,
    records: u64,
    chunks: u64,
    ended: bool,
}

impl FrameParser {
    fn feed(&mut self, plain: &[u8], conn: &Connection) -> Result<()> {
        self.buf.extend_from_slice(plain);
        loop {
            if self.buf.len() < 5 {
                return Ok(());
            }
            let kind = self.buf[0];
            let len =
                u32::from_le_bytes([self.buf[1], self.buf[2], self.buf[3], self.buf[4]]) as usize;
            if len > MAX_FRAME {
                return Err(Error::Crypto(
                    "the backup holds an impossibly large record".into(),
                ));
            }
            if self.buf.len() < 5 + len {
                return Ok(());
            }
            let rest = Zeroizing::new(self.buf.split_off(5 + len));
            let frame = std::mem::replace(&mut self.buf, rest);
            self.handle(kind, &frame[5..], conn)?;
        }
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
            FRAME_RECORD => {
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

/// Swaps the staged backup in, in one transaction; `write_meta` writes the
/// new header and slots (given the staged head).
pub fn swap_in(
    profile: &Profile,
    staged: Staged,
    write_meta: impl FnOnce(&Connection, &[u8]) -> Result<()>,
) -> Result<()> {
    let path = staged
        .guard
        .0
        .to_str()
        .ok_or_else(|| Error::invalid("the data directory path is not UTF-8"))?
        .to_owned();
    let store = profile.store();
    store.with(|c| {
        c.execute("ATTACH DATABASE ?1 AS staging", [&path])?;
        let result = (|| -> Result<()> {
            let tx = c.unchecked_transaction()?;
            tx.execute_batch(
                "DELETE FROM main.journal_records;
                 DELETE FROM main.journal_chunks;
                 INSERT INTO main.journal_records(seq, record_id, owner, hash, sealed)
                   SELECT seq, record_id, owner, hash, sealed FROM staging.journal_records;
                 INSERT INTO main.journal_chunks(chunk_id, owner, sealed)
                   SELECT chunk_id, owner, sealed FROM staging.journal_chunks;",
            )?;
            write_meta(&tx, &staged.head_sealed)?;
            tx.commit()?;
            Ok(())
        })();
        let detached = c.execute("DETACH DATABASE staging", []);
        result?;
        detached?;
        Ok(())
    })?;
    drop(staged);
    store.checkpoint()
}
