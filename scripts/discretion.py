#!/usr/bin/env python3
"""Discretion check: purpose-revealing words in the phone library.

Someone who pulls the app off a seized phone and runs `strings` on the native
library should learn as little as possible about what the app is for. This
scans the shipped library (the release-mobile build after `strip
--strip-unneeded` and bindings/meta-strip, as scripts/discretion.sh makes it)
for the words in TERMS.

Every hit must be either in a generic category below (SQLite's own "journal",
Rust's own "panic", source paths of panic locations), or listed verbatim in
scripts/discretion-allow.txt with its category. Anything else fails the check:
remove the string, or review it and add it (`scripts/discretion.sh --update`
rewrites the list from the current library; review the diff). Two kinds of hit
can never be allowed: an exported FFI symbol with such a word (rename it:
bindings/uniffi.toml maps neutral exported names back to the apps' names) and
an FFI docstring (uniffi metadata must have been removed). The bundled content
must say these words, so it is embedded deflate-compressed (core/build.rs) and
never shows up here.
"""
import collections
import re
import subprocess
import sys

TERMS = re.compile(
    r"(?i)sex.?work|prostitut|traffick|escort|\brape|abuse|violen|police|"
    r"duress|decoy|evidence|incident|panic|journal|wipe|stalk|pimp|brothel"
)
# Exported FFI names and uniffi docstrings: never allowed (see above).
FORBIDDEN = [
    ("ffi-symbol", r"^_?(uniffi_parasol_ffi_|UNIFFI_META|ffi_parasol_ffi_)"),
]
GENERIC = [
    ("source-path", r"(core|bindings)/src/|/rustc/|\.cargo/registry|library/std/src"),
    ("sqlite", r"(?i)journal_?mode|journal_size_limit|-journal|rollback journal|statement journal"
               r"|hot journal|journal file|subjournal|sqlite|pragma"),
    ("rust-std", r"(?i)panicked|panic in a |panic_|Box<dyn Any>|explicit panic|rust_panic"
                 r"|panic payload|__rust|JoinError::Panic|resumed after panicking"),
]
ALLOW = "scripts/discretion-allow.txt"


def hits(lib):
    out = subprocess.run(["strings", "-n", "4", lib], capture_output=True, check=True)
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        if TERMS.search(line):
            yield line.replace("\t", " ").strip()[:200]


def forbidden(s, cat):
    """The forbidden category of a hit, if any (allow-list entries included)."""
    if cat == "ffi-docstring":
        return cat
    for name, pattern in FORBIDDEN:
        if re.search(pattern, s):
            return name
    return None


def classify(s):
    for name, pattern in GENERIC:
        if re.search(pattern, s):
            return name
    return None


def guess(s):
    """A category for a new allow-list line (the reviewer may change it)."""
    if re.match(r"^parasol_ffi::|^[A-Za-z_]+@?$", s):
        return "ffi-identifier"
    if re.search(r"CREATE TABLE|INSERT INTO|SELECT |DELETE FROM|UPDATE ", s):
        return "sql-schema"
    if s.startswith("<") or "<h1>" in s or "<tr>" in s:
        return "evidence-bundle-html"
    if re.search(r"^[A-Z`].*[.)`]$|^[a-z`].*[.)]$", s) and " " in s:
        return "ffi-docstring"
    return "error-or-identifier"


def main():
    lib = sys.argv[1]
    update = "--update" in sys.argv
    allowed = {}
    try:
        for line in open(ALLOW, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            cat, _, text = line.rstrip("\n").partition("\t")
            allowed[text] = cat
    except FileNotFoundError:
        pass
    per_cat = collections.Counter()
    per_term = collections.Counter()
    new = []
    bad = []
    seen = {}
    for s in hits(lib):
        for m in TERMS.finditer(s):
            per_term[m.group(0).lower()] += 1
        cat = classify(s) or allowed.get(s)
        if cat is None:
            new.append(s)
            cat = guess(s)
        if forbidden(s, cat):
            bad.append((forbidden(s, cat), s))
        seen.setdefault(s, cat)
        per_cat[cat] += 1
    print("purpose-revealing words found, by word:", dict(sorted(per_term.items())))
    print("by category:", dict(sorted(per_cat.items())))
    if bad:
        print(f"\n{len(bad)} purpose-revealing FFI name(s) or docstring(s) (never allowed):",
              file=sys.stderr)
        for cat, s in sorted(set(bad)):
            print(f"  {cat}: {s!r}", file=sys.stderr)
        return 1
    if update:
        with open(ALLOW, "w", encoding="utf-8") as f:
            f.write("# Reviewed strings of the shipped phone library that contain a\n"
                    "# purpose-revealing word (scripts/discretion.py). One per line:\n"
                    "# category<TAB>exact string. Categories: docs/security.md, 'Discretion'.\n")
            for s, cat in sorted((s, c) for s, c in seen.items() if classify(s) is None):
                f.write(f"{cat}\t{s}\n")
        print(f"wrote {ALLOW}")
        return 0
    if new:
        print(f"\n{len(new)} unexpected string(s) (not in {ALLOW}):", file=sys.stderr)
        for s in sorted(set(new)):
            print(f"  {s!r}", file=sys.stderr)
        return 1
    print("discretion: ok (every hit is generic or reviewed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
