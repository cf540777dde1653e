//! Writing small files atomically and privately: a temporary file with an
//! unpredictable name, created exclusively (`O_EXCL`, mode 0600) in the
//! target's folder, fsync, rename over the target, fsync of the folder.

use crate::error::{Error, Result};
use std::fs;
use std::io::Write;
use std::path::Path;

/// Ends the name of every temporary file made here.
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` atomically, replacing the file if it exists.
/// Readers see the old or the new content, never a mix; the file is created
/// with mode 0600. A link planted at a temporary name is never followed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    persist(path, bytes, Replace::Yes).map_err(Error::from)
}

/// Whether [`persist`] may replace an existing file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Replace {
    /// Replace it (a rename over it).
    Yes,
    /// Fail with [`std::io::ErrorKind::AlreadyExists`] if it exists.
    No,
}

/// Writes `bytes` to a temporary file beside `path`, then moves it to `path`.
pub(super) fn persist(path: &Path, bytes: &[u8], replace: Replace) -> std::io::Result<()> {
    let dir = folder_of(path);
    let mut builder = tempfile::Builder::new();
    let prefix = temp_prefix(path);
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    match replace {
        Replace::Yes => tmp.persist(path).map_err(|e| e.error)?,
        Replace::No => tmp.persist_noclobber(path).map_err(|e| e.error)?,
    };
    sync_folder(dir);
    Ok(())
}

/// Deletes the temporary files that a crash may have left behind while
/// writing `path` (they may hold old key material). Returns how many.
pub fn remove_stale_temp_files(path: &Path) -> Result<usize> {
    let dir = folder_of(path);
    let prefix = temp_prefix(path);
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX) {
            match fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    if removed > 0 {
        sync_folder(dir);
    }
    Ok(removed)
}

/// Deletes `path` if it exists, then syncs its folder.
pub(super) fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {
            sync_folder(folder_of(path));
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// `.<file name>.`: the start of the temporary names used for `path`.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// The folder of `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes a rename or a deletion in `dir` durable. Best effort: some file
/// systems (and Windows) cannot sync a folder; the data itself is synced.
fn sync_folder(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    #[test]
    fn write_atomically_never_follows_a_planted_temp_file() {
        // Someone who can write the folder plants a link at a temporary name
        // (the old code always used ".<name>.tmp"): the write must not touch
        // the link's target, and must leave no temporary file behind.
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"untouched").unwrap();
        let path = dir.path().join("device.key");
        std::os::unix::fs::symlink(&victim, dir.path().join(".device.key.tmp")).unwrap();
        write_atomically(&path, b"new bytes").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"untouched");
        assert_eq!(fs::read(&path).unwrap(), b"new bytes");
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            names(dir.path()),
            [".device.key.tmp", "device.key", "victim"],
            "no temporary file left"
        );
        // Replacing an existing file keeps it 0600 and replaces the content.
        write_atomically(&path, b"newer").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"newer");
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn temporary_names_are_unpredictable() {
        // Two writers of the same file at once never share a temporary file.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let a = tempfile::Builder::new()
            .prefix(&temp_prefix(&path))
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir.path())
            .unwrap();
        write_atomically(&path, b"x").unwrap();
        assert!(
            a.path().exists(),
            "another writer's temporary file is left alone"
        );
        assert_eq!(fs::read(&path).unwrap(), b"x");
    }

    #[test]
    fn persist_without_replace_refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("once");
        persist(&path, b"first", Replace::No).unwrap();
        let err = persist(&path, b"second", Replace::No).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(
            names(dir.path()),
            ["once"],
            "the losing temporary file is gone"
        );
    }

    #[test]
    fn stale_temp_files_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keystore.bin");
        fs::write(dir.path().join(".keystore.bin.a1B2c3.tmp"), b"old key").unwrap();
        fs::write(dir.path().join(".keystore.bin.tmp"), b"old key").unwrap();
        fs::write(dir.path().join(".device.key.x.tmp"), b"other").unwrap();
        fs::write(&path, b"current").unwrap();
        assert_eq!(remove_stale_temp_files(&path).unwrap(), 2);
        assert_eq!(names(dir.path()), [".device.key.x.tmp", "keystore.bin"]);
        assert_eq!(
            remove_stale_temp_files(&dir.path().join("gone/x")).unwrap(),
            0
        );
    }

    #[test]
    fn a_bare_file_name_writes_in_the_current_folder() {
        assert_eq!(folder_of(Path::new("name")), Path::new("."));
        assert_eq!(folder_of(Path::new("/a/b")), Path::new("/a"));
    }
}
