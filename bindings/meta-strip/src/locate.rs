//! Finds the bytes of uniffi's metadata symbols in one object file.

use crate::{Error, Report, META_PREFIX};
use object::{Object, ObjectSection, ObjectSymbol, SectionIndex};
use std::ops::Range;

/// The metadata of one object: where its bytes are, how its symbols are named.
pub(crate) struct Found {
    /// File ranges (within the object) of the metadata bytes.
    pub data: Vec<Range<usize>>,
    symbols: usize,
    named: usize,
}

impl Found {
    /// Counts against the object's current bytes.
    pub fn report(&self, obj: &[u8]) -> Report {
        let nonzero_bytes = self
            .data
            .iter()
            .map(|r| obj[r.clone()].iter().filter(|b| **b != 0).count())
            .sum();
        Report {
            symbols: self.symbols,
            nonzero_bytes,
            named: self.named,
            objects: 0,
        }
    }
}

/// A metadata symbol's name without Mach-O's leading underscore, if it is one.
pub(crate) fn meta_name(name: &[u8]) -> Option<&[u8]> {
    let name = name.strip_prefix(b"_").unwrap_or(name);
    name.starts_with(META_PREFIX).then_some(name)
}

/// Whether a metadata name is already neutral (`UNIFFI_META_<digits>`).
pub(crate) fn is_neutral(name: &[u8]) -> bool {
    match name.strip_prefix(b"UNIFFI_META_") {
        Some(rest) => !rest.is_empty() && rest.iter().all(u8::is_ascii_digit),
        None => false,
    }
}

struct Sym {
    name: Vec<u8>,
    section: SectionIndex,
    address: u64,
    size: u64,
}

/// Locates every metadata symbol's bytes (symbol and dynamic symbol tables).
pub(crate) fn metadata(obj: &[u8]) -> Result<Found, Error> {
    let file = object::File::parse(obj)?;
    let defined: Vec<Sym> = file
        .symbols()
        .chain(file.dynamic_symbols())
        .filter_map(|s| {
            Some(Sym {
                name: s.name_bytes().ok()?.to_vec(),
                section: s.section_index()?,
                address: s.address(),
                size: s.size(),
            })
        })
        .collect();
    let mut found = Found {
        data: Vec::new(),
        symbols: 0,
        named: 0,
    };
    for sym in &defined {
        let Some(name) = meta_name(&sym.name) else {
            continue;
        };
        found.symbols += 1;
        // Only ELF names are renamed (a Mach-O's go at the app's final link).
        if file.format() == object::BinaryFormat::Elf && !is_neutral(name) {
            found.named += 1;
        }
        let section = file.section_by_index(sym.section)?;
        // Zero-initialised (no bytes in the file): nothing to remove.
        let Some((file_start, file_size)) = section.file_range() else {
            continue;
        };
        let offset = sym
            .address
            .checked_sub(section.address())
            .filter(|o| *o <= file_size)
            .ok_or_else(|| Error(format!("{} outside its section", show(name))))?;
        // Mach-O symbols carry no size: a symbol ends where the next one in
        // its section starts (each is its own atom), or at the section's end.
        let size = if sym.size > 0 {
            sym.size
        } else {
            defined
                .iter()
                .filter(|o| o.section == sym.section && o.address > sym.address)
                .map(|o| o.address)
                .min()
                .unwrap_or(section.address() + file_size)
                - sym.address
        };
        let end = offset.saturating_add(size).min(file_size);
        let start = usize::try_from(file_start + offset).map_err(|_| Error("offset".into()))?;
        let end = usize::try_from(file_start + end).map_err(|_| Error("offset".into()))?;
        if end > obj.len() {
            return Err(Error(format!("{} past the end of the file", show(name))));
        }
        found.data.push(start..end);
    }
    Ok(found)
}

pub(crate) fn show(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}
