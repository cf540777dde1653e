#!/usr/bin/env python3
"""ELF page-alignment check for the native libraries an Android app ships.

Android loads a shared library only if every PT_LOAD segment's p_align is at
least the device's page size. Devices with 16 KB pages (Android 15+, required
by Google Play for apps targeting API 35) refuse libraries linked for 4 KB or
8 KB pages ("program alignment (8192) cannot be smaller than system page size
(16384)"). This reads the program headers itself (ELF32/ELF64, either byte
order), so it runs the same on a developer's Mac, in Gradle and here.

Usage: elf_align.py [--min BYTES] PATH...
PATH may be a .so file, a directory (searched recursively), or a zip
(.apk, .aab, .aar, .jar) whose .so entries are checked. Exits 1 when any
library is under-aligned, when a file named .so is not ELF, or when no
library was found at all (a check that checked nothing must not pass).
"""
from __future__ import annotations

import os
import struct
import sys
import zipfile
from dataclasses import dataclass

PT_LOAD = 1
ZIP_SUFFIXES = (".apk", ".aab", ".aar", ".jar", ".zip")


class ElfError(ValueError):
    """The bytes are not a well-formed ELF file."""


@dataclass
class Library:
    """One checked library: where it is and the p_align of each PT_LOAD."""

    name: str
    aligns: list[int]

    def min_align(self) -> int:
        return min(self.aligns) if self.aligns else 0


def load_aligns(data: bytes) -> list[int]:
    """Returns p_align of every PT_LOAD program header of an ELF image."""
    if len(data) < 52 or data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    cls, order = data[4], data[5]
    if cls not in (1, 2) or order not in (1, 2):
        raise ElfError("unknown ELF class or byte order")
    e = "<" if order == 1 else ">"
    if cls == 2:  # ELF64
        if len(data) < 64:
            raise ElfError("truncated ELF64 header")
        phoff, = struct.unpack_from(e + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(e + "HH", data, 0x36)
        fmt, off_type, off_align = e + "I", 0, 0x30
    else:  # ELF32
        phoff, = struct.unpack_from(e + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(e + "HH", data, 0x2A)
        fmt, off_type, off_align = e + "I", 0, 0x1C
    aligns = []
    for i in range(phnum):
        base = phoff + i * phentsize
        if base + phentsize > len(data) or phentsize < off_align + (8 if cls == 2 else 4):
            raise ElfError("program header table out of bounds")
        p_type, = struct.unpack_from(fmt, data, base + off_type)
        if p_type == PT_LOAD:
            a_fmt = e + ("Q" if cls == 2 else "I")
            aligns.append(struct.unpack_from(a_fmt, data, base + off_align)[0])
    if not aligns:
        raise ElfError("no PT_LOAD segment")
    return aligns


def collect(path: str) -> list[Library]:
    """Every .so under PATH (a file, a directory, or a zip archive)."""
    libs: list[Library] = []
    if os.path.isdir(path):
        for root, _dirs, files in os.walk(path):
            for f in sorted(files):
                libs += collect(os.path.join(root, f)) if f.endswith((".so",) + ZIP_SUFFIXES) else []
        return libs
    if path.endswith(ZIP_SUFFIXES):
        with zipfile.ZipFile(path) as z:
            for entry in sorted(z.namelist()):
                if entry.endswith(".so"):
                    libs.append(Library(f"{path}!/{entry}", load_aligns(z.read(entry))))
        return libs
    with open(path, "rb") as f:
        return [Library(path, load_aligns(f.read()))]


def main(argv: list[str]) -> int:
    minimum = 16384
    paths = []
    it = iter(argv)
    for a in it:
        if a == "--min":
            minimum = int(next(it))
        else:
            paths.append(a)
    if not paths:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    libs: list[Library] = []
    try:
        for p in paths:
            libs += collect(p)
    except (ElfError, OSError, zipfile.BadZipFile) as err:
        print(f"elf-align: {err}", file=sys.stderr)
        return 1
    if not libs:
        print(f"elf-align: no .so found in {' '.join(paths)}", file=sys.stderr)
        return 1
    bad = [lib for lib in libs if lib.min_align() < minimum]
    for lib in libs:
        mark = "BAD" if lib in bad else "ok "
        print(f"{mark} {lib.min_align():>6}  {lib.name}")
    if bad:
        print(f"elf-align: {len(bad)} of {len(libs)} libraries have a PT_LOAD "
              f"alignment under {minimum} (link with -z max-page-size={minimum})", file=sys.stderr)
        return 1
    print(f"elf-align: {len(libs)} libraries aligned to >= {minimum}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
