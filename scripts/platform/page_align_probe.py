#!/usr/bin/env python3
"""The Android linker flags of .cargo/config.toml really give 16 KB pages.

Reads `[target.<triple>] rustflags` for every Android triple the app builds
(aarch64, armv7, x86_64; i686 too), requires `-z max-page-size=16384` in each
(and identical flags across them), then links a one-function cdylib for this
host with exactly those flags and checks its PT_LOAD alignment with
elf_align.py: the same flags, a real linker, a real ELF file. The NDK's lld
takes the same `-z max-page-size` option. Without the flags the probe links
with the host default (4 KB) and the check fails (see selftest.py).

Usage: page_align_probe.py [ROOT] [--no-flags]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elf_align  # noqa: E402

TRIPLES = ["aarch64-linux-android", "armv7-linux-androideabi", "x86_64-linux-android", "i686-linux-android"]
FLAG = "max-page-size=16384"


def android_rustflags(root: str) -> tuple[list[str], list[str]]:
    """(the shared rustflags, errors) from ROOT/.cargo/config.toml."""
    with open(os.path.join(root, ".cargo/config.toml"), "rb") as f:
        cfg = tomllib.load(f)
    errors, seen = [], []
    for t in TRIPLES:
        flags = cfg.get("target", {}).get(t, {}).get("rustflags", [])
        if not any(FLAG in f for f in flags):
            errors.append(f".cargo/config.toml: [target.{t}] rustflags lack -z {FLAG}")
        seen.append(flags)
    if any(s != seen[0] for s in seen):
        errors.append(".cargo/config.toml: the Android targets' rustflags differ")
    return seen[0], errors


def probe(flags: list[str]) -> list[int]:
    """Links a tiny cdylib for the host with FLAGS; returns its PT_LOAD alignments."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "probe.rs")
        with open(src, "w") as f:
            f.write("#[no_mangle]\npub extern \"C\" fn probe() -> u32 { 16384 }\n")
        out = os.path.join(d, "libprobe.so")
        subprocess.run(["rustc", "--crate-type", "cdylib", "-O", *flags, src, "-o", out], check=True)
        with open(out, "rb") as f:
            return elf_align.load_aligns(f.read())


def main(argv: list[str]) -> int:
    root = os.path.abspath(next((a for a in argv if not a.startswith("--")), os.path.join(os.path.dirname(__file__), "../..")))
    flags, errors = android_rustflags(root)
    if "--no-flags" in argv:
        flags = []
    aligns = probe(flags)
    if min(aligns) < 16384:
        errors.append(f"probe linked with {flags or 'no flags'}: PT_LOAD alignment {min(aligns)} < 16384")
    for e in errors:
        print(f"page-align-probe: {e}", file=sys.stderr)
    print(f"page-align-probe: {len(TRIPLES)} Android targets, probe aligned to {min(aligns)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
