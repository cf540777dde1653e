#!/usr/bin/env python3
"""Android manifests and product flavours against the store policy.

For each flavour the effective permission set is main + flavour manifest,
minus `tools:node="remove"` entries (as the manifest merger applies them):
  play   - no SMS/Call Log permission (Play's SMS and Call Log policy), and
           SEND_SMS explicitly removed so no library can bring it back;
           Distribution.SILENT_SMS false, SMS_VIA_COMPOSER true;
  direct - SEND_SMS; Distribution.SILENT_SMS true, SMS_VIA_COMPOSER false.
Both: SCHEDULE_EXACT_ALARM without maxSdkVersion, never USE_EXACT_ALARM;
app/build.gradle.kts declares exactly these flavours in one dimension;
both Distribution objects declare the same constants (so `:app` compiles in
either flavour); every launcher entry (activity-alias) and the application
have a label and icon that exist in res/, and the application label (shown in
notification headers) is the disguise name.

Usage: manifest_flavours.py [ROOT]
"""
from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET

A = "{http://schemas.android.com/apk/res/android}"
T = "{http://schemas.android.com/tools}"
SMS_CALL_LOG = {"SEND_SMS", "READ_SMS", "RECEIVE_SMS", "RECEIVE_MMS", "RECEIVE_WAP_PUSH",
                "WRITE_SMS", "READ_CALL_LOG", "WRITE_CALL_LOG", "PROCESS_OUTGOING_CALLS"}
FLAVOURS = {
    "play": {"SILENT_SMS": "false", "SMS_VIA_COMPOSER": "true"},
    "direct": {"SILENT_SMS": "true", "SMS_VIA_COMPOSER": "false"},
}


def perms(path: str) -> tuple[dict[str, ET.Element], set[str]]:
    """(declared permissions by short name, removed permissions) of one manifest."""
    declared, removed = {}, set()
    if not os.path.exists(path):
        return declared, removed
    for el in ET.parse(path).getroot().iter("uses-permission"):
        name = (el.get(A + "name") or "").removeprefix("android.permission.")
        (removed.add(name) if el.get(T + "node") == "remove" else declared.__setitem__(name, el))
    return declared, removed


def resource_exists(res: str, ref: str) -> bool:
    """Whether @type/name is defined under RES (values*/ files or a file of that name)."""
    m = re.match(r"^@(\w+)/(\w+)$", ref or "")
    if not m:
        return False
    kind, name = m.groups()
    for d, _s, files in os.walk(res):
        base = os.path.basename(d)
        if base.split("-")[0] == kind and any(os.path.splitext(f)[0] == name for f in files):
            return True
        if base.split("-")[0] == "values":
            for f in files:
                if f.endswith(".xml") and ET.parse(os.path.join(d, f)).getroot().find(f"{kind}[@name='{name}']") is not None:
                    return True
    return False


def distribution(path: str) -> dict[str, str]:
    if not os.path.exists(path):
        return {}
    text = open(path, encoding="utf-8").read()
    return dict(re.findall(r"const\s+val\s+(\w+)\s*:\s*\w+\s*=\s*([^\s/]+)", text))


def check(root: str) -> tuple[int, list[str]]:
    src = os.path.join(root, "android/app/src")
    errors, checks = [], 0
    main_path = os.path.join(src, "main/AndroidManifest.xml")
    main_decl, main_removed = perms(main_path)
    gradle = open(os.path.join(root, "android/app/build.gradle.kts"), encoding="utf-8").read()
    flavours = set(re.findall(r'create\("(\w+)"\)\s*\{[^}]*dimension\s*=\s*"distribution"', gradle))
    if flavours != set(FLAVOURS):
        errors.append(f"app/build.gradle.kts: product flavours {sorted(flavours)}, expected {sorted(FLAVOURS)} "
                      f"in dimension \"distribution\"")
    consts = {}
    for flavour, want in FLAVOURS.items():
        decl, removed = perms(os.path.join(src, flavour, "AndroidManifest.xml"))
        effective = {k: v for k, v in {**main_decl, **decl}.items() if k not in removed | main_removed}
        sms = SMS_CALL_LOG & set(effective)
        if flavour == "play":
            if sms:
                errors.append(f"play: declares {sorted(sms)}: Play allows SMS/Call Log permissions only to "
                              f"default handlers; use the ACTION_SENDTO composer")
            if "SEND_SMS" not in removed:
                errors.append("play: src/play/AndroidManifest.xml must remove SEND_SMS (tools:node=\"remove\") "
                              "so no library's manifest can add it")
        elif "SEND_SMS" not in effective:
            errors.append(f"{flavour}: SEND_SMS missing: silent SMS alerts need it")
        if "USE_EXACT_ALARM" in effective:
            errors.append(f"{flavour}: USE_EXACT_ALARM is reserved by Play for alarm-clock/calendar apps")
        exact = effective.get("SCHEDULE_EXACT_ALARM")
        if exact is None:
            errors.append(f"{flavour}: SCHEDULE_EXACT_ALARM missing (check-ins need exact alarms)")
        elif exact.get(A + "maxSdkVersion"):
            errors.append(f"{flavour}: SCHEDULE_EXACT_ALARM must not carry maxSdkVersion")
        dist = distribution(os.path.join(src, flavour, "kotlin/org/parasol/app/flavour/Distribution.kt"))
        consts[flavour] = set(dist)
        for k, v in want.items():
            if dist.get(k) != v:
                errors.append(f"{flavour}: Distribution.{k} is {dist.get(k)}, must be {v} for this manifest")
        checks += 1
    if len({frozenset(c) for c in consts.values()}) > 1:
        errors.append(f"flavours declare different Distribution constants: {consts}")
    app = ET.parse(main_path).getroot().find("application")
    res = os.path.join(src, "main/res")
    entries = [("application", app)] + [(a.get(A + "name"), a) for a in app.iter("activity-alias")]
    for name, el in entries:
        for attr in ("label", "icon"):
            ref = el.get(A + attr)
            if not resource_exists(res, ref):
                errors.append(f"{name}: android:{attr}={ref} does not exist in res/")
        checks += 1
    launchers = [a for a in app.iter("activity-alias")
                 if any(c.get(A + "name") == "android.intent.category.LAUNCHER" for c in a.iter("category"))]
    if len([a for a in launchers if a.get(A + "enabled", "true") == "true"]) != 1:
        errors.append("exactly one launcher activity-alias must be enabled by default")
    if not any(a.get(A + "label") == "@string/disguise_name" for a in launchers):
        errors.append("no launcher entry carries the disguise name (@string/disguise_name)")
    if app.get(A + "label") != "@string/disguise_name":
        errors.append("application label must be @string/disguise_name: it heads every notification")
    return checks, errors


def main(argv: list[str]) -> int:
    root = os.path.abspath(argv[0] if argv else os.path.join(os.path.dirname(__file__), "../.."))
    n, errors = check(root)
    for e in errors:
        print(f"manifest-flavours: {e}", file=sys.stderr)
    print(f"manifest-flavours: {n} checks (flavours, launcher entries), {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
