#!/usr/bin/env python3
"""iOS submission keys: Info.plist, privacy manifest, icons, project settings.

Checks ios/App/Info.plist (usage descriptions, background task ids,
ITSAppUsesNonExemptEncryption present and reasoned in ios/README.md, icons:
CFBundleAlternateIcons inside CFBundleIcons, never at the top level, each
naming an .appiconset with a real 1024x1024 opaque PNG, and listed in
project.yml's ASSETCATALOG_COMPILER_ALTERNATE_APPICON_NAMES), and
ios/App/PrivacyInfo.xcprivacy against the required-reason APIs found in:
  - the bundled SQLite (libsqlite3-sys sqlite3.c): fstat() on its files
    (file timestamp) and, on Apple platforms where SQLITE_ENABLE_LOCKING_STYLE
    defaults to 1, statfs() (disk space);
  - the Rust library's imported libc symbols (host build: stat/statfs family);
  - the Swift sources (UserDefaults/@AppStorage, systemUptime, file dates,
    volume capacity keys).

Usage: ios_submission.py [ROOT]
"""
from __future__ import annotations

import glob
import os
import plistlib
import re
import struct
import subprocess
import sys

CATEGORY = "NSPrivacyAccessedAPICategory"
# Apple's approved reasons per category that fit an app's own use
REASONS = {"FileTimestamp": {"C617.1", "DDA9.1", "3B52.1", "0A2A.1"},
           "DiskSpace": {"E174.1", "85F4.1", "7D9E.1", "B728.1"},
           "SystemBootTime": {"35F9.1", "8FFB.1", "3D61.1"},
           "UserDefaults": {"CA92.1", "1C8F.1", "C56D.1", "AC6B.1"}}
LIBC = {"FileTimestamp": r"^(f|l)?stat(64|at|at64|x)?$|^getattrlist",
        "DiskSpace": r"^f?stat(v)?fs(64)?$",
        "SystemBootTime": r"^mach_absolute_time$"}
SWIFT = {"UserDefaults": r"\bUserDefaults\b|@AppStorage",
         "SystemBootTime": r"\bsystemUptime\b|mach_absolute_time",
         "FileTimestamp": r"\b(creationDate|modificationDate|contentModificationDateKey|creationDateKey)\b",
         "DiskSpace": r"volume(Available|Total)Capacity|systemFreeSize|systemSize\b|NSFileSystem(Free)?Size"}


def png_size(path: str) -> tuple[int, int, int]:
    """(width, height, colour type) of a PNG file; raises ValueError if it is not one."""
    with open(path, "rb") as f:
        head = f.read(26)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path}: not a PNG")
    w, h = struct.unpack(">II", head[16:24])
    return w, h, head[25]


def sqlite_source(root: str) -> str | None:
    """The bundled sqlite3.c of the workspace's libsqlite3-sys (ROOT may be a copy)."""
    workspace = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")
    out = subprocess.run(["cargo", "metadata", "--format-version", "1", "--offline", "--quiet"],
                         cwd=workspace, capture_output=True, text=True)
    m = re.search(r'"manifest_path":"([^"]*libsqlite3-sys-[^"]*/Cargo.toml)"', out.stdout)
    path = os.path.join(os.path.dirname(m.group(1)), "sqlite3", "sqlite3.c") if m else None
    return path if path and os.path.exists(path) else None


def required(root: str, lib: str) -> dict[str, list[str]]:
    """Required-reason categories in use -> evidence."""
    found: dict[str, list[str]] = {}
    src = sqlite_source(root)
    if src is None:
        found.setdefault("?", []).append("bundled sqlite3.c not found (cargo metadata)")
    else:
        text = open(src, encoding="utf-8", errors="replace").read()
        if "osFstat(" in text:
            found.setdefault("FileTimestamp", []).append("SQLite fstat() on its database files")
        apple_locking = re.search(r"#\s*if defined\(__APPLE__\)\s*\n#\s*define SQLITE_ENABLE_LOCKING_STYLE 1", text)
        if apple_locking and re.search(r"\bstatfs\(", text):
            found.setdefault("DiskSpace", []).append("SQLite statfs() (Apple locking style, on by default)")
    syms = subprocess.run(["nm", "-D", "--undefined-only", lib], capture_output=True, text=True).stdout
    names = {line.split()[-1].split("@")[0] for line in syms.splitlines() if line.strip()}
    for cat, rx in LIBC.items():
        hits = sorted(n for n in names if re.match(rx, n))
        if hits:
            found.setdefault(cat, []).append(f"Rust library imports {', '.join(hits)}")
    for path in sorted(glob.glob(os.path.join(root, "ios/**/*.swift"), recursive=True)):
        text = open(path, encoding="utf-8").read()
        for cat, rx in SWIFT.items():
            if re.search(rx, text):
                found.setdefault(cat, []).append(os.path.relpath(path, root))
    return found


def check(root: str, lib: str) -> tuple[int, list[str]]:
    app = os.path.join(root, "ios/App")
    errors, checks = [], 0
    info = plistlib.load(open(os.path.join(app, "Info.plist"), "rb"))
    yml = open(os.path.join(root, "ios/project.yml"), encoding="utf-8").read()
    readme = open(os.path.join(root, "ios/README.md"), encoding="utf-8").read()
    for key in ("NSLocationWhenInUseUsageDescription", "BGTaskSchedulerPermittedIdentifiers",
                "CFBundleIdentifier", "CFBundleShortVersionString", "CFBundleVersion", "UILaunchScreen"):
        if not info.get(key) and info.get(key) != {}:
            errors.append(f"Info.plist: {key} missing")
        checks += 1
    if "ITSAppUsesNonExemptEncryption" not in info:
        errors.append("Info.plist: ITSAppUsesNonExemptEncryption missing (export compliance)")
    elif "ITSAppUsesNonExemptEncryption" not in readme or "Export compliance" not in readme:
        errors.append("ios/README.md: the export-compliance reasoning for ITSAppUsesNonExemptEncryption is missing")
    if "CFBundleAlternateIcons" in info:
        errors.append("Info.plist: CFBundleAlternateIcons at the top level is ignored; it belongs in CFBundleIcons")
    icons = info.get("CFBundleIcons", {})
    primary = icons.get("CFBundlePrimaryIcon", {}).get("CFBundleIconName")
    alternates = icons.get("CFBundleAlternateIcons", {})
    if not alternates:
        errors.append("Info.plist: CFBundleIcons has no CFBundleAlternateIcons (the disguise icon)")
    names = [primary] + [v.get("CFBundleIconName") for v in alternates.values()]
    m = re.search(r"ASSETCATALOG_COMPILER_APPICON_NAME:\s*(\w+)", yml)
    if not m or m.group(1) != primary:
        errors.append(f"project.yml: ASSETCATALOG_COMPILER_APPICON_NAME must be {primary}")
    alt_setting = re.search(r"ASSETCATALOG_COMPILER_ALTERNATE_APPICON_NAMES:\s*(.+)", yml)
    listed = set(alt_setting.group(1).split()) if alt_setting else set()
    for name in names:
        checks += 1
        if name is None:
            errors.append("Info.plist: an icon entry has no CFBundleIconName")
            continue
        if name != primary and name not in listed:
            errors.append(f"project.yml: {name} missing from ASSETCATALOG_COMPILER_ALTERNATE_APPICON_NAMES")
        iconset = os.path.join(app, "Assets.xcassets", f"{name}.appiconset")
        pngs = glob.glob(os.path.join(iconset, "*.png"))
        if not pngs:
            errors.append(f"Assets.xcassets: {name}.appiconset has no PNG")
        for p in pngs:
            try:
                w, h, colour = png_size(p)
            except ValueError as err:
                errors.append(str(err))
                continue
            if (w, h) != (1024, 1024) or colour not in (0, 2):
                errors.append(f"{os.path.relpath(p, root)}: {w}x{h} colour type {colour}; the App Store icon "
                              f"must be 1024x1024 without alpha")
    if "PrivacyInfo.xcprivacy" not in yml:
        errors.append("project.yml: PrivacyInfo.xcprivacy is not copied into the app")
    privacy = plistlib.load(open(os.path.join(app, "PrivacyInfo.xcprivacy"), "rb"))
    for key in ("NSPrivacyTracking", "NSPrivacyTrackingDomains", "NSPrivacyCollectedDataTypes",
                "NSPrivacyAccessedAPITypes"):
        if key not in privacy:
            errors.append(f"PrivacyInfo.xcprivacy: {key} missing")
    declared = {e.get("NSPrivacyAccessedAPIType", "").removeprefix(CATEGORY): set(e.get("NSPrivacyAccessedAPITypeReasons", []))
                for e in privacy.get("NSPrivacyAccessedAPITypes", [])}
    for cat, evidence in required(root, lib).items():
        checks += 1
        if cat == "?":
            errors.append("; ".join(evidence))
        elif cat not in declared:
            errors.append(f"PrivacyInfo.xcprivacy: {CATEGORY}{cat} not declared; used by: {'; '.join(evidence)}")
        elif not declared[cat] & REASONS[cat]:
            errors.append(f"PrivacyInfo.xcprivacy: {CATEGORY}{cat} has no approved reason ({sorted(REASONS[cat])})")
        else:
            print(f"  {CATEGORY}{cat} {sorted(declared[cat])}: {'; '.join(evidence)}")
    return checks, errors


def main(argv: list[str]) -> int:
    root = os.path.abspath(argv[0] if argv else os.path.join(os.path.dirname(__file__), "../.."))
    lib = argv[1] if len(argv) > 1 else os.path.join(root, "target/debug/libparasol_ffi.so")
    n, errors = check(root, lib)
    for e in errors:
        print(f"ios-submission: {e}", file=sys.stderr)
    print(f"ios-submission: {n} checks, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
