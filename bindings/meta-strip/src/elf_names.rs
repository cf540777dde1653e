//! Neutral names for uniffi's metadata symbols in ELF string tables.
//!
//! A metadata symbol's name (`UNIFFI_META_PARASOL_FFI_RECORD_<NAME>`) is
//! overwritten in place with `UNIFFI_META_<n>` followed by NULs: same string
//! table, same offsets, same sizes. The dynamic linker finds a symbol by
//! hashing the name it looks for and comparing strings along that hash's
//! chain, so the only lookups that change are those of the old metadata
//! names, which nothing performs (uniffi-bindgen reads metadata from the
//! unstripped library, before this runs). A string shared with another symbol
//! (a linker may merge one name into the tail of another) is refused.

use crate::locate::{is_neutral, meta_name, show};
use crate::Error;
use object::elf::{FileHeader32, FileHeader64};
use object::read::elf::{ElfFile, FileHeader, SectionHeader, Sym};
use object::{Endianness, FileKind};
use std::collections::BTreeSet;

/// Renames the metadata symbols of an ELF object; other formats are left as they are.
pub(crate) fn rename(obj: &mut [u8]) -> Result<(), Error> {
    match FileKind::parse(&*obj)? {
        FileKind::Elf32 => rename_in::<FileHeader32<Endianness>>(obj),
        FileKind::Elf64 => rename_in::<FileHeader64<Endianness>>(obj),
        _ => Ok(()),
    }
}

fn rename_in<Elf: FileHeader<Endian = Endianness>>(obj: &mut [u8]) -> Result<(), Error> {
    // One set of (file offset, length) per string table, so numbers are unique within it.
    let mut tables: Vec<BTreeSet<(usize, usize)>> = Vec::new();
    {
        let file = ElfFile::<Elf>::parse(&*obj)?;
        let endian = file.endian();
        let sections = file.elf_section_table();
        for table in [file.elf_symbol_table(), file.elf_dynamic_symbol_table()] {
            if table.is_empty() {
                continue;
            }
            let strings = sections.section(table.string_section())?;
            let (str_start, str_size) = strings
                .file_range(endian)
                .ok_or_else(|| Error("string table without bytes".into()))?;
            let mut metas = BTreeSet::new();
            let mut others = Vec::new();
            for sym in table.iter() {
                let at = sym.st_name(endian) as usize;
                let name = table.symbol_name(endian, sym)?;
                match meta_name(name) {
                    Some(n) if !is_neutral(n) => {
                        metas.insert((at, name.len()));
                    }
                    _ => others.push(at),
                }
            }
            for &(at, len) in &metas {
                if others.iter().any(|o| (at..at + len).contains(o)) {
                    let name = table.strings().get(at as u32).unwrap_or_default();
                    return Err(Error(format!("{} shares its name bytes", show(name))));
                }
                if (at + len) as u64 >= str_size {
                    return Err(Error("symbol name past its string table".into()));
                }
            }
            let base = usize::try_from(str_start).map_err(|_| Error("offset".into()))?;
            tables.push(
                metas
                    .into_iter()
                    .map(|(at, len)| (base + at, len))
                    .collect(),
            );
        }
    }
    for table in tables {
        for (n, (at, len)) in table.into_iter().enumerate() {
            let new = format!("UNIFFI_META_{n}");
            if new.len() > len {
                return Err(Error(format!("metadata name too short to rename at {at}")));
            }
            let slot = &mut obj[at..at + len];
            slot.fill(0);
            slot[..new.len()].copy_from_slice(new.as_bytes());
        }
    }
    Ok(())
}
