//! meta-strip on objects made here with `object`'s writer: ELF and Mach-O
//! objects as a staticlib holds them, an `ar` archive and a fat Mach-O.

use object::write::{Object as Writer, StandardSection, Symbol, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, Object, ObjectSymbol, SymbolFlags, SymbolKind,
    SymbolScope,
};

const DOC: &[u8] = b"\x02\x05Run by and for sex workers.\x00\x01";
const KEEP: &[u8] = b"KEEP-THIS-TEXT";
const META: &str = "UNIFFI_META_PARASOL_FFI_RECORD_INCIDENTREPORT";

fn symbol(o: &mut Writer, name: &str, data: &[u8]) {
    let id = o.add_symbol(Symbol {
        name: name.as_bytes().to_vec(),
        value: 0,
        size: 0,
        kind: SymbolKind::Data,
        scope: SymbolScope::Dynamic,
        weak: false,
        section: SymbolSection::Undefined,
        flags: SymbolFlags::None,
    });
    let section = o.section_id(StandardSection::ReadOnlyData);
    o.add_symbol_data(id, section, data, 1);
}

/// An object with one metadata symbol between two ordinary ones.
fn object_file(format: BinaryFormat, extra: &[&str]) -> Vec<u8> {
    let mut o = Writer::new(format, Architecture::Aarch64, Endianness::Little);
    symbol(&mut o, "before", b"BEFORE-TEXT");
    symbol(&mut o, META, DOC);
    symbol(&mut o, "keep_me", KEEP);
    for name in extra {
        symbol(&mut o, name, b"x");
    }
    o.write().expect("write object")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The bytes `name` points at in an object.
fn symbol_bytes(obj: &[u8], name: &str) -> Vec<u8> {
    use object::ObjectSection;
    let file = object::File::parse(obj).expect("parse");
    let sym = file
        .symbols()
        .find(|s| s.name().is_ok_and(|n| n.trim_start_matches('_') == name))
        .expect("symbol");
    let section = file.section_by_index(sym.section_index().unwrap()).unwrap();
    let off = (sym.address() - section.address()) as usize;
    section.data().unwrap()[off..off + KEEP.len().min(11)].to_vec()
}

fn check_stripped(out: &[u8]) {
    assert!(!contains(out, b"sex workers"), "doc text left");
    assert!(
        contains(out, KEEP) && contains(out, b"BEFORE-TEXT"),
        "neighbours damaged"
    );
    assert_eq!(parasol_meta_strip::inspect(out).unwrap().nonzero_bytes, 0);
}

#[test]
fn elf_object_loses_doc_bytes_and_item_names() {
    let mut data = object_file(BinaryFormat::Elf, &[]);
    let before = parasol_meta_strip::inspect(&data).unwrap();
    assert_eq!((before.symbols, before.named), (1, 1));
    assert_eq!(
        before.nonzero_bytes,
        DOC.iter().filter(|b| **b != 0).count()
    );
    let report = parasol_meta_strip::strip(&mut data).unwrap();
    assert_eq!(report.symbols, 1);
    check_stripped(&data);
    assert!(!contains(&data, b"INCIDENTREPORT"), "item name left");
    assert_eq!(parasol_meta_strip::inspect(&data).unwrap().named, 0);
    assert_eq!(symbol_bytes(&data, "keep_me"), &KEEP[..11]);
    assert_eq!(symbol_bytes(&data, "before"), b"BEFORE-TEXT");
    // A second run finds nothing more to do and changes nothing.
    let again = data.clone();
    parasol_meta_strip::strip(&mut data).unwrap();
    assert_eq!(again, data);
}

#[test]
fn macho_object_without_symbol_sizes_is_zeroed_up_to_the_next_symbol() {
    let mut data = object_file(BinaryFormat::MachO, &[]);
    assert!(contains(&data, b"sex workers"));
    parasol_meta_strip::strip(&mut data).unwrap();
    check_stripped(&data);
    assert_eq!(symbol_bytes(&data, "keep_me"), &KEEP[..11]);
    assert_eq!(symbol_bytes(&data, "before"), b"BEFORE-TEXT");
    // Names stay in a Mach-O (the app's link drops them): `--check` passes.
    assert_eq!(parasol_meta_strip::inspect(&data).unwrap().named, 0);
}

/// An `ar` archive (what a Rust staticlib is) of the given members.
fn archive(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = b"!<arch>\n".to_vec();
    for (name, data) in members {
        let header = format!(
            "{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n",
            format!("{name}/"),
            0,
            0,
            0,
            644,
            data.len()
        );
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(b'\n');
        }
    }
    out
}

#[test]
fn archive_members_are_stripped_and_other_members_kept() {
    let elf = object_file(BinaryFormat::Elf, &[]);
    let macho = object_file(BinaryFormat::MachO, &[]);
    let mut data = archive(&[
        ("a.o", &elf),
        ("lib.rmeta", b"sex workers, not an object"),
        ("b.o", &macho),
    ]);
    let report = parasol_meta_strip::strip(&mut data).unwrap();
    assert_eq!((report.symbols, report.objects), (2, 2));
    assert!(
        contains(&data, b"sex workers, not an object"),
        "non-object member changed"
    );
    assert_eq!(parasol_meta_strip::inspect(&data).unwrap().nonzero_bytes, 0);
    assert!(contains(&data, KEEP));
}

#[test]
fn fat_macho_slices_are_stripped() {
    let slice = object_file(BinaryFormat::MachO, &[]);
    let offset = 4096usize;
    let mut data = Vec::new();
    data.extend_from_slice(&0xcafe_babe_u32.to_be_bytes());
    data.extend_from_slice(&1u32.to_be_bytes());
    for v in [0x0100_000c_u32, 0, offset as u32, slice.len() as u32, 12] {
        data.extend_from_slice(&v.to_be_bytes());
    }
    data.resize(offset, 0);
    data.extend_from_slice(&slice);
    assert!(contains(&data, b"sex workers"));
    let report = parasol_meta_strip::strip(&mut data).unwrap();
    assert_eq!(report.symbols, 1);
    check_stripped(&data);
}

#[test]
fn a_name_shared_with_another_symbol_is_refused_not_broken() {
    // The writer merges "INCIDENTREPORT" into the tail of the metadata name:
    // renaming it in place would rename the other symbol too.
    let mut data = object_file(BinaryFormat::Elf, &["INCIDENTREPORT"]);
    let file = object::File::parse(&*data).unwrap();
    assert!(file.symbols().any(|s| s.name() == Ok("INCIDENTREPORT")));
    drop(file);
    let err = parasol_meta_strip::strip(&mut data).unwrap_err();
    assert!(err.0.contains("shares its name"), "{err}");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let mut data = b"not a library at all".to_vec();
    assert!(parasol_meta_strip::strip(&mut data).is_err());
    let mut truncated = object_file(BinaryFormat::Elf, &[]);
    truncated.truncate(100);
    assert!(parasol_meta_strip::strip(&mut truncated).is_err());
}
