//! Removes uniffi's metadata from a built library once the bindings exist.
//!
//! uniffi (0.32) exports one `#[no_mangle] static UNIFFI_META_<CRATE>_<KIND>_<NAME>: [u8; N]`
//! per exported item: a serialised description with the item's `///` docs,
//! its field and variant names. `uniffi-bindgen generate --library` reads these
//! bytes through the symbol table; nothing reads them at run time (the
//! generated code compares the `uniffi_*_checksum_*` functions, which are
//! computed at compile time and stay). So after the bindings are generated
//! the bytes can go, and with them the only place the library spells out what
//! its API is for.
//!
//! What [`strip`] does, on an ELF shared library or object, a Mach-O object,
//! a fat Mach-O, or an `ar` archive of any of them (a Rust `staticlib`):
//! - zeroes the bytes of every `UNIFFI_META*` symbol (the layout is kept:
//!   no section moves, so nothing else in the file changes);
//! - in ELF string tables (`.dynstr`, `.strtab`), overwrites each
//!   `UNIFFI_META_<CRATE>_<KIND>_<NAME>` name with `UNIFFI_META_<n>` and NUL
//!   padding, so the exported names of records, enums and errors go too. Only
//!   symbols no code refers to are renamed; the run-time lookup of every
//!   other name is unchanged (see `rename_elf_names`). Mach-O names are left:
//!   the iOS app's link drops them along with the (already zeroed) data.
//!
//! [`inspect`] reports what metadata a library still carries: the check used
//! by `scripts/discretion.sh` and the build scripts.

mod elf_names;
mod locate;

use object::read::archive::ArchiveFile;
use object::read::macho::{MachOFatFile32, MachOFatFile64};
use object::FileKind;
use std::ops::Range;

/// The prefix of every uniffi metadata symbol.
pub const META_PREFIX: &[u8] = b"UNIFFI_META";

/// What went wrong reading a library.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<object::Error> for Error {
    fn from(e: object::Error) -> Self {
        Error(e.to_string())
    }
}

/// What a library holds (from [`inspect`]) or what [`strip`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Metadata symbols found (each symbol table counts once per object).
    pub symbols: usize,
    /// Metadata bytes that are not zero.
    pub nonzero_bytes: usize,
    /// ELF metadata symbol names that still carry an item name
    /// (`UNIFFI_META_<CRATE>_<KIND>_<NAME>`); Mach-O names are not counted (not renamed).
    pub named: usize,
    /// Objects looked at (1, or the members of an archive / fat file).
    pub objects: usize,
}

impl Report {
    fn add(&mut self, other: Report) {
        self.symbols += other.symbols;
        self.nonzero_bytes += other.nonzero_bytes;
        self.named += other.named;
        self.objects += other.objects;
    }
}

/// Zeroes every metadata symbol's bytes and neutralises ELF metadata names in
/// `data`, in place. Returns what was found before the change.
pub fn strip(data: &mut [u8]) -> Result<Report, Error> {
    each_object(data, &mut |obj| {
        let found = locate::metadata(obj)?;
        let report = found.report(obj);
        for range in &found.data {
            obj[range.clone()].fill(0);
        }
        elf_names::rename(obj)?;
        Ok(report)
    })
}

/// What metadata `data` still holds (read only).
pub fn inspect(data: &[u8]) -> Result<Report, Error> {
    let mut copy = data.to_vec();
    each_object(&mut copy, &mut |obj| Ok(locate::metadata(obj)?.report(obj)))
}

/// Calls `f` on every object file inside `data` (archive members, fat slices,
/// or `data` itself) and sums the reports.
fn each_object(
    data: &mut [u8],
    f: &mut dyn FnMut(&mut [u8]) -> Result<Report, Error>,
) -> Result<Report, Error> {
    let ranges: Vec<Range<usize>> = match FileKind::parse(&*data)? {
        FileKind::Archive => {
            let archive = ArchiveFile::parse(&*data)?;
            let mut ranges = Vec::new();
            for member in archive.members() {
                let (start, len) = member?.file_range();
                ranges.push(to_range(start, len, data.len())?);
            }
            ranges
        }
        FileKind::MachOFat32 => fat_ranges(MachOFatFile32::parse(&*data)?.arches(), data.len())?,
        FileKind::MachOFat64 => fat_ranges(MachOFatFile64::parse(&*data)?.arches(), data.len())?,
        _ => {
            return Ok(Report {
                objects: 1,
                ..f(data)?
            })
        }
    };
    let mut total = Report::default();
    for range in ranges {
        // A member sits at any even offset, but the parser wants its headers
        // aligned: work on a fresh (allocator-aligned) copy and write it back.
        let mut member = data[range.clone()].to_vec();
        // Archive members that are not objects (the symbol index, a
        // `lib.rmeta`) carry no metadata symbols.
        if object::File::parse(&*member).is_err() && !is_container(&member) {
            continue;
        }
        total.add(each_object(&mut member, f)?);
        data[range].copy_from_slice(&member);
    }
    Ok(total)
}

fn is_container(data: &[u8]) -> bool {
    matches!(
        FileKind::parse(data),
        Ok(FileKind::Archive | FileKind::MachOFat32 | FileKind::MachOFat64)
    )
}

fn fat_ranges<A: object::read::macho::FatArch>(
    arches: &[A],
    len: usize,
) -> Result<Vec<Range<usize>>, Error> {
    arches
        .iter()
        .map(|a| {
            let (start, size) = a.file_range();
            to_range(start, size, len)
        })
        .collect()
}

fn to_range(start: u64, len: u64, total: usize) -> Result<Range<usize>, Error> {
    let start = usize::try_from(start).map_err(|_| Error("offset out of range".into()))?;
    let len = usize::try_from(len).map_err(|_| Error("size out of range".into()))?;
    match start.checked_add(len) {
        Some(end) if end <= total => Ok(start..end),
        _ => Err(Error(format!(
            "member {start}+{len} past the end ({total})"
        ))),
    }
}
