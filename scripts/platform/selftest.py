#!/usr/bin/env python3
"""Each platform check must fail on a deliberately broken copy of the tree.

Copies android/, ios/ and .cargo/ to a temporary root (the generated
bindings linked in), applies one breakage at a time and requires the check to
report it; the unbroken copy must pass. Also cross-checks elf_align's ELF
parser against binutils' readelf on real libraries of other classes and byte
orders (JNA's prebuilt .so files inside the Kotlin compiler's jar).

Usage: selftest.py ROOT ANDROID_BINDINGS_DIR
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bindings_deps  # noqa: E402
import elf_align  # noqa: E402
import format_keys  # noqa: E402
import ios_submission  # noqa: E402
import manifest_flavours  # noqa: E402
import page_align_probe  # noqa: E402
import shell_safety  # noqa: E402


def edit(root: str, rel: str, old: str, new: str) -> None:
    path = os.path.join(root, rel)
    text = open(path, encoding="utf-8").read()
    if old not in text:
        raise AssertionError(f"selftest: {rel} no longer contains {old!r}; update the breakage")
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))


def copy_tree(root: str, dest: str) -> None:
    ignore = shutil.ignore_patterns("build", ".gradle", ".build", "*.xcodeproj")
    for d in ("android", "ios", ".cargo"):
        shutil.copytree(os.path.join(root, d), os.path.join(dest, d), ignore=ignore)
    os.makedirs(os.path.join(dest, "target"))
    os.symlink(os.path.join(root, "target/platform-checks"), os.path.join(dest, "target/platform-checks"))


def errors_of(check, *args) -> list[str]:
    with redirect_stdout(io.StringIO()):
        return check(*args)[1]


def probe_errors(root: str) -> list[str]:
    flags, errors = page_align_probe.android_rustflags(root)
    if min(page_align_probe.probe(flags)) < 16384:
        errors.append("probe under-aligned")
    return errors


def main(argv: list[str]) -> int:
    root, gen = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    lib = os.path.join(root, "target/debug/libparasol_ffi.so")
    checks = {
        "bindings-deps": lambda r: errors_of(bindings_deps.check, r, gen),
        "format-keys": lambda r: format_keys.check_android(r)[1] + format_keys.check_ios(r)[1],
        "manifest-flavours": lambda r: errors_of(manifest_flavours.check, r),
        "ios-submission": lambda r: errors_of(ios_submission.check, r, lib),
        "page-align": probe_errors,
        "shell-safety": lambda r: errors_of(shell_safety.check, r),
    }
    A, I = "android/app/src", "ios/App"
    K = f"{A}/main/kotlin/org/parasol/app"
    breakages = [
        ("bindings-deps", "androidx.annotation not declared",
         "android/core/build.gradle.kts", "    implementation(libs.androidx.annotation)\n", ""),
        ("bindings-deps", "JNA declared under another alias",
         "android/core/build.gradle.kts", "api(\"${libs.jna.get()}@aar\")", "api(libs.kotlinx.coroutines.android)"),
        ("format-keys", "iOS key %lld where the view interpolates a UInt32",
         f"{I}/Resources/en.lproj/Localizable.strings", '"journal.failed %u" = "%u attempt', '"journal.failed %lld" = "%lld attempt'),
        ("format-keys", "iOS value placeholder differs from its key",
         f"{I}/Resources/en.lproj/Localizable.strings", '"%lld of %lld reached"', '"%@ of %lld reached"'),
        ("format-keys", "Android string with fewer placeholders than arguments",
         f"{A}/main/res/values/strings.xml", "%1$d of %2$d reached", "%1$d reached"),
        ("format-keys", "Android %d given a String",
         f"{A}/main/res/values/strings.xml", "Send a test message to %1$s", "Send a test message to %1$d"),
        ("manifest-flavours", "an SMS permission in the main manifest (reaches play)",
         f"{A}/main/AndroidManifest.xml", "<uses-feature", '<uses-permission android:name="android.permission.RECEIVE_MMS" />\n    <uses-feature'),
        ("manifest-flavours", "play no longer removes SEND_SMS",
         f"{A}/play/AndroidManifest.xml", 'android.permission.SEND_SMS" tools:node="remove"', 'android.permission.VIBRATE"'),
        ("manifest-flavours", "USE_EXACT_ALARM declared",
         f"{A}/main/AndroidManifest.xml", 'USE_EXACT_ALARM" tools:node="remove"', 'USE_EXACT_ALARM"'),
        ("manifest-flavours", "play claims silent SMS",
         f"{A}/play/kotlin/org/parasol/app/flavour/Distribution.kt", "SILENT_SMS: Boolean = false", "SILENT_SMS: Boolean = true"),
        ("manifest-flavours", "direct without SEND_SMS",
         f"{A}/direct/AndroidManifest.xml", "android.permission.SEND_SMS", "android.permission.VIBRATE"),
        ("manifest-flavours", "disguise alias icon missing",
         f"{A}/main/AndroidManifest.xml", "@mipmap/ic_launcher_notes", "@mipmap/ic_launcher_gone"),
        ("ios-submission", "disk-space category dropped from the privacy manifest",
         f"{I}/PrivacyInfo.xcprivacy", "NSPrivacyAccessedAPICategoryDiskSpace", "NSPrivacyAccessedAPICategoryActiveKeyboards"),
        ("ios-submission", "alternate icons at the top level of Info.plist",
         f"{I}/Info.plist", "<key>CFBundleAlternateIcons</key>", "<key>CFBundleAlternateIconsX</key>"),
        ("ios-submission", "ITSAppUsesNonExemptEncryption removed",
         f"{I}/Info.plist", "<key>ITSAppUsesNonExemptEncryption</key>\n\t<true/>\n", ""),
        ("ios-submission", "alternate icon not compiled into the asset catalog",
         "ios/project.yml", "ASSETCATALOG_COMPILER_ALTERNATE_APPICON_NAMES: NotesIcon", "X: NotesIcon"),
        ("page-align", "16 KB flag missing for one Android target",
         ".cargo/config.toml", '[target.x86_64-linux-android]\nrustflags = ["-C", "link-arg=-Wl,-z,max-page-size=16384"]',
         '[target.x86_64-linux-android]\nrustflags = []'),
        ("shell-safety", "delivery-report PendingIntent made immutable (pdu dropped)",
         f"{K}/platform/Sms.kt", "Build.VERSION.SDK_INT >= 31 -> PendingIntent.FLAG_MUTABLE",
         "Build.VERSION.SDK_INT >= 31 -> PendingIntent.FLAG_IMMUTABLE"),
        ("shell-safety", "'delivered' taken from the report's resultCode",
         f"{K}/platform/Sms.kt", "Sms.ACTION_DELIVERED -> Sms.deliveryResult(intent) ?: return",
         "Sms.ACTION_DELIVERED -> if (resultCode == Activity.RESULT_OK) SmsSendResult.Delivered else return"),
        ("shell-safety", "location back on requestSingleUpdate with a lambda",
         f"{K}/platform/Location.kt", "LocationManagerCompat.getCurrentLocation(lm, provider, signal, executor)",
         "lm.requestSingleUpdate(provider, Looper.getMainLooper())"),
        ("shell-safety", "FLAG_SECURE no longer set in MainActivity.onCreate",
         f"{K}/MainActivity.kt", "        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)\n        if (Build",
         "        if (Build"),
        ("shell-safety", "recents screenshot left enabled on API 33+",
         f"{K}/MainActivity.kt", "        if (Build.VERSION.SDK_INT >= 33) setRecentsScreenshotEnabled(false)\n", ""),
        ("shell-safety", "export copy without catching IOException",
         f"{K}/MainActivity.kt", "} catch (e: IOException) {", "} catch (e: UnsupportedOperationException) {"),
        ("shell-safety", "the network job re-enqueued with REPLACE (cancelled by each reschedule)",
         f"{K}/platform/Wakeups.kt", "else ExistingWorkPolicy.KEEP", "else ExistingWorkPolicy.REPLACE"),
        ("shell-safety", "the alarm receiver does the delivery inside goAsync",
         f"{K}/platform/Wakeups.kt", "        Wakeups.runTimerNow(context)\n    }",
         "        val pending = goAsync()\n        (context.applicationContext as ParasolApplication)"
         ".dispatchInBackground(AppEvent.WokeUp(false)) { pending.finish() }\n    }"),
        ("shell-safety", "exact-alarm permission change not routed to the re-arm receiver",
         f"{A}/main/AndroidManifest.xml",
         '                <action android:name="android.app.action.SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED" />\n', ""),
        ("shell-safety", "iOS background tasks registered from a view's .task",
         f"{I}/ParasolApp.swift", "        IOSEffects.registerBackgroundTasks(model.host)\n", ""),
        ("shell-safety", "iOS privacy cover not installed at launch",
         f"{I}/ParasolApp.swift", "        PrivacyCover.shared.install()\n", ""),
        ("shell-safety", "a Platform.strings key the app looks up is missing",
         f"{I}/Resources/en.lproj/Platform.strings", '"platform.retry" =', '"platform.try_again" ='),
    ]
    # Second edits that complete a breakage (name, what) -> (file, old, new).
    extra = {
        "iOS background tasks registered from a view's .task":
            (f"{I}/ParasolApp.swift", "                .environmentObject(model)\n",
             "                .environmentObject(model)\n"
             "                .task { IOSEffects.registerBackgroundTasks(model.host) }\n"),
    }
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        clean = os.path.join(tmp, "clean")
        copy_tree(root, clean)
        for name, check in checks.items():
            errs = check(clean)
            ok = not errs
            print(f"{'ok  ' if ok else 'FAIL'} {name}: unbroken copy passes" + ("" if ok else f": {errs}"))
            passed, failed = passed + ok, failed + (not ok)
        for i, (name, what, rel, old, new) in enumerate(breakages):
            broken = os.path.join(tmp, f"b{i}")
            copy_tree(root, broken)
            if name == "ios-submission" and "top level" in what:
                edit(broken, rel, "<key>ITSAppUsesNonExemptEncryption</key>",
                     "<key>CFBundleAlternateIcons</key>\n\t<dict/>\n\t<key>ITSAppUsesNonExemptEncryption</key>")
            edit(broken, rel, old, new)
            if what in extra:
                edit(broken, *extra[what])
            errs = checks[name](broken)
            ok = bool(errs)
            print(f"{'ok  ' if ok else 'FAIL'} {name} catches: {what}" + (f" ({errs[0][:90]})" if ok else ""))
            passed, failed = passed + ok, failed + (not ok)
            shutil.rmtree(broken)
    # The ELF parser agrees with readelf on 32/64-bit, little/big-endian libraries.
    jar = os.path.join(root, ".tools/node_modules/kotlin-compiler/lib/kotlin-compiler.jar")
    if os.path.exists(jar) and shutil.which("readelf"):
        with zipfile.ZipFile(jar) as z, tempfile.TemporaryDirectory() as d:
            for entry in [e for e in z.namelist() if re.search(r"jna/linux-(arm|x86|ppc|s390x)/libjnidispatch\.so$", e)]:
                data = z.read(entry)
                path = os.path.join(d, "lib.so")
                open(path, "wb").write(data)
                out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True).stdout
                want = [int(line.split()[-1], 16) for line in out.splitlines() if line.strip().startswith("LOAD")]
                ok = want and elf_align.load_aligns(data) == want
                print(f"{'ok  ' if ok else 'FAIL'} elf-align parses {entry.split('/')[-2]} like readelf: {want}")
                passed, failed = passed + bool(ok), failed + (not ok)
    try:
        elf_align.load_aligns(b"\x7fELF" + b"\x02\x01" + b"\x00" * 58)
        print("FAIL elf-align accepts an ELF without PT_LOAD")
        failed += 1
    except elf_align.ElfError:
        print("ok   elf-align refuses an ELF without PT_LOAD")
        passed += 1
    print(f"platform-checks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
