#!/usr/bin/env python3
"""Every import of the Android-flavour Kotlin bindings has a declared provider.

The app ships the bindings generated with bindings/uniffi.toml (`android =
true`), which differ from the JVM flavour the JVM tests compile: they use
android.system.SystemCleaner behind @androidx.annotation.RequiresApi. Nothing
here compiles that flavour against Android, so this reads it instead: each
imported (or fully qualified) package must map, through PROVIDERS, to the
Android platform, the Kotlin/Java runtime, or a Maven module declared with
`api`/`implementation` in android/core/build.gradle.kts (catalog aliases
resolved through gradle/libs.versions.toml). JNA classes are also looked up
in a real JNA jar where one is installed, and every Build.VERSION_CODES
constant must exist at the module's compileSdk.

Usage: bindings_deps.py ROOT GENERATED_DIR
"""
from __future__ import annotations

import os
import re
import sys
import tomllib
import zipfile

PLATFORM = "android platform (compileSdk)"
RUNTIME = "Kotlin/Java runtime"
# package prefix -> the providers any one of which satisfies it (longest prefix wins)
PROVIDERS = {
    "kotlin.": [RUNTIME],
    "java.": [RUNTIME],
    "android.": [PLATFORM],
    "androidx.annotation.": ["androidx.annotation:annotation"],
    "com.sun.jna.": ["net.java.dev.jna:jna"],
    # kotlinx-coroutines-android declares kotlinx-coroutines-core as an api dependency
    "kotlinx.coroutines.": ["org.jetbrains.kotlinx:kotlinx-coroutines-core",
                            "org.jetbrains.kotlinx:kotlinx-coroutines-android"],
}
# API level of each Build.VERSION_CODES constant the bindings may name
VERSION_CODES = {"O": 26, "O_MR1": 27, "P": 28, "Q": 29, "R": 30, "S": 31, "S_V2": 32,
                 "TIRAMISU": 33, "UPSIDE_DOWN_CAKE": 34, "VANILLA_ICE_CREAM": 35, "BAKLAVA": 36}
JNA_JAR = "/usr/share/java/jna.jar"


def references(gen_dir: str) -> dict[str, str]:
    """Imported and fully qualified names -> first file:line using them."""
    refs: dict[str, str] = {}
    fq = re.compile(r"(?<![\w.])((?:android|androidx|kotlinx|com\.sun\.jna|java|javax)\.[a-z][\w]*(?:\.[a-z]\w*)*\.[A-Z*]\w*)")
    for d, _s, files in os.walk(gen_dir):
        for f in sorted(files):
            if not f.endswith(".kt"):
                continue
            path = os.path.join(d, f)
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    code = line.split("//")[0]
                    m = re.match(r"^\s*import\s+([\w.*]+)", code)
                    names = [m.group(1)] if m else fq.findall(re.sub(r'"(?:[^"\\]|\\.)*"', '""', code))
                    for name in names:
                        refs.setdefault(name, f"{path}:{n}")
    return refs


def declared(root: str) -> tuple[set[str], int]:
    """Maven modules declared api/implementation by android/core, and its compileSdk."""
    gradle = open(os.path.join(root, "android/core/build.gradle.kts"), encoding="utf-8").read()
    with open(os.path.join(root, "android/gradle/libs.versions.toml"), "rb") as f:
        catalog = tomllib.load(f)
    aliases = {k.replace("-", ".").replace("_", "."): v["module"] if isinstance(v, dict) else v.rsplit(":", 1)[0]
               for k, v in catalog.get("libraries", {}).items()}
    body = re.search(r"(?ms)^dependencies\s*\{(.*?)^\}", gradle)
    mods = set()
    for m in re.finditer(r"^\s*(api|implementation)\((.*)\)\s*$", body.group(1) if body else "", re.M):
        arg = m.group(2)
        alias = re.search(r"libs\.([\w.]+?)(?:\.get\(\))?(?:\}|\)|$|\")", arg)
        coord = re.search(r'"([\w.-]+:[\w.-]+)(?::[^"@]*)?(?:@\w+)?"', arg)
        if alias and alias.group(1) in aliases:
            mods.add(aliases[alias.group(1)])
        elif coord:
            mods.add(coord.group(1))
    sdk = re.search(r"compileSdk\s*=\s*(\d+)", gradle)
    return mods, int(sdk.group(1)) if sdk else 0


def check(root: str, gen_dir: str) -> tuple[int, list[str]]:
    refs = references(gen_dir)
    mods, compile_sdk = declared(root)
    errors = []
    if not any(r.startswith("android.") for r in refs):
        errors.append(f"{gen_dir}: no android.* reference: this is not the Android flavour (android = true)")
    jna = zipfile.ZipFile(JNA_JAR) if os.path.exists(JNA_JAR) else None
    for name, where in sorted(refs.items()):
        prefix = max((p for p in PROVIDERS if name.startswith(p)), key=len, default=None)
        if prefix is None:
            errors.append(f"{where}: {name}: no known provider (add the module that provides it to PROVIDERS "
                          f"and declare it in android/core/build.gradle.kts)")
            continue
        wanted = PROVIDERS[prefix]
        if not any(p in (PLATFORM, RUNTIME) or p in mods for p in wanted):
            errors.append(f"{where}: {name} needs {' or '.join(wanted)}, which android/core/build.gradle.kts "
                          f"does not declare (api/implementation)")
        if jna and prefix == "com.sun.jna.":
            entry = name.replace(".", "/").replace("/*", "/")
            if not any(e.startswith(entry.rstrip("/") + ("/" if name.endswith("*") else ".class"))
                       for e in jna.namelist()):
                errors.append(f"{where}: {name} is not in {JNA_JAR}")
    with os.scandir(gen_dir):
        pass
    for d, _s, files in os.walk(gen_dir):
        for f in files:
            text = open(os.path.join(d, f), encoding="utf-8").read() if f.endswith(".kt") else ""
            for code in re.findall(r"VERSION_CODES\.(\w+)", text):
                level = VERSION_CODES.get(code)
                if level is None or level > compile_sdk:
                    errors.append(f"{f}: Build.VERSION_CODES.{code} needs compileSdk "
                                  f"{level or '(unknown)'}, module has {compile_sdk}")
    for name, where in sorted(refs.items()):
        prefix = max((p for p in PROVIDERS if name.startswith(p)), key=len, default="?")
        print(f"  {name:45} <- {' | '.join(PROVIDERS.get(prefix, ['?']))}")
    return len(refs), errors


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    n, errors = check(os.path.abspath(argv[0]), argv[1])
    for e in errors:
        print(f"bindings-deps: {e}", file=sys.stderr)
    print(f"bindings-deps: {n} references of the Android-flavour bindings, {len(errors)} unprovided")
    return 1 if errors or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
