#!/usr/bin/env python3
"""Safety defects of the app shells that can be caught by reading the source.

Nobody here can build or run the Android and iOS apps, so the platform calls
whose misuse loses an alert, shows a screen or crashes on an old phone are
checked as text (issue 12). Each rule names the defect it catches; the
selftest (selftest.py) breaks each one on a copy and requires a failure.

Android (android/app/src):
  sms-delivery      the delivery-report PendingIntent is explicit and mutable
                    (FLAG_MUTABLE, never FLAG_IMMUTABLE: the radio's `pdu`
                    extra would be dropped), and "delivered" comes from
                    `SmsMessage.createFromPdu(pdu, format).status`, never
                    from the report's resultCode (always RESULT_OK)
  location          no `requestSingleUpdate`/`requestLocationUpdates` (a
                    lambda LocationListener crashes on API 26-29);
                    `LocationManagerCompat.getCurrentLocation` is used
  screen-security   MainActivity sets FLAG_SECURE in onCreate before
                    setContent, and `setRecentsScreenshotEnabled(false)` (33+)
  wakeups           the alarm receiver hands work to an expedited WorkManager
                    job (no goAsync work in it); the network job is never
                    enqueued with REPLACE and only `cancel` removes it; the
                    re-arm receiver handles boot, update and the exact-alarm
                    permission change, and the manifest routes all three to it
  exact-alarms      the exact-alarm request opens
                    ACTION_REQUEST_SCHEDULE_EXACT_ALARM; USE_EXACT_ALARM is
                    never requested in code
  export            the backup copy's openOutputStream is inside a try that
                    catches IOException, and the private file is deleted in
                    a finally
iOS (ios/App):
  bg-register       BGTaskScheduler.register is called only from the function
                    `ParasolApp.init` calls, never from a view (.task,
                    .onAppear)
  privacy-cover     ParasolApp.init installs the privacy cover, a window above
                    the app's own (windowLevel above .alert)
  platform-strings  every `tableName: "Platform"` key exists in Platform.strings,
                    and every R.string.platform_* exists in platform_strings.xml

Usage: shell_safety.py ROOT
"""
from __future__ import annotations

import os
import re
import sys

APP = "android/app/src/main"
KT = f"{APP}/kotlin/org/parasol/app"


def read(root: str, rel: str) -> str:
    try:
        return open(os.path.join(root, rel), encoding="utf-8").read()
    except FileNotFoundError:
        return ""


def strip_comments(src: str) -> str:
    src = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), src, flags=re.S)
    return re.sub(r"//[^\n]*", "", src)


def block(src: str, header: str) -> str | None:
    """The text of the {...} block following the first match of `header`."""
    m = re.search(header, src)
    if not m:
        return None
    i = src.find("{", m.end())
    if i < 0:
        return None
    depth = 0
    for j in range(i, len(src)):
        if src[j] == "{":
            depth += 1
        elif src[j] == "}":
            depth -= 1
            if depth == 0:
                return src[i + 1:j]
    return None


def android(root: str) -> list[str]:
    errors = []
    sms = strip_comments(read(root, f"{KT}/platform/Sms.kt"))
    status = block(sms, r"fun status\(") or ""
    if "FLAG_MUTABLE" not in status:
        errors.append("sms-delivery: the delivery-report PendingIntent is not FLAG_MUTABLE (the pdu extra is dropped)")
    delivered_mutable = re.search(r"ACTION_SENT\s*->\s*PendingIntent\.FLAG_IMMUTABLE", status)
    if "FLAG_IMMUTABLE" in status and not delivered_mutable:
        errors.append("sms-delivery: FLAG_IMMUTABLE reaches the delivery-report PendingIntent")
    if not re.search(r"Intent\(\s*context\s*,\s*SmsStatusReceiver::class\.java\s*\)", status):
        errors.append("sms-delivery: the report PendingIntent is not explicit (Intent(context, SmsStatusReceiver::class.java))")
    if not re.search(r"SmsMessage\.createFromPdu\(\s*pdu\s*,\s*format\s*\)", sms) or not re.search(r"\.status\b", sms):
        errors.append("sms-delivery: the delivery status is not read from SmsMessage.createFromPdu(pdu, format).status")
    receiver = block(sms, r"class SmsStatusReceiver") or ""
    if re.search(r"ACTION_DELIVERED\s*->[^\n]*resultCode", receiver):
        errors.append("sms-delivery: 'delivered' decided from resultCode (always RESULT_OK for a report)")

    all_kt = ""
    for d, _s, files in os.walk(os.path.join(root, "android/app/src")):
        for f in files:
            if f.endswith(".kt"):
                all_kt += strip_comments(open(os.path.join(d, f), encoding="utf-8").read())
    if re.search(r"\.(requestSingleUpdate|requestLocationUpdates)\(", all_kt):
        errors.append("location: LocationManager.requestSingleUpdate/requestLocationUpdates (lambda listener crashes on API 26-29)")
    if "LocationManagerCompat.getCurrentLocation(" not in all_kt:
        errors.append("location: LocationManagerCompat.getCurrentLocation is not used")
    if "USE_EXACT_ALARM" in all_kt:
        errors.append("exact-alarms: USE_EXACT_ALARM named in code (Play reserves it for alarm clocks)")

    act = strip_comments(read(root, f"{KT}/MainActivity.kt"))
    on_create = block(act, r"override fun onCreate\(") or ""
    secure_at = on_create.find("FLAG_SECURE")
    content_at = on_create.find("setContent")
    if secure_at < 0 or "addFlags" not in on_create[:max(secure_at, 0) + 1] or (0 <= content_at < secure_at):
        errors.append("screen-security: MainActivity.onCreate does not add FLAG_SECURE before setContent")
    if not re.search(r"setRecentsScreenshotEnabled\(\s*false\s*\)", on_create):
        errors.append("screen-security: MainActivity.onCreate does not call setRecentsScreenshotEnabled(false) (API 33+)")
    if "ACTION_REQUEST_SCHEDULE_EXACT_ALARM" not in act:
        errors.append("exact-alarms: the exact-alarm request does not open ACTION_REQUEST_SCHEDULE_EXACT_ALARM")
    saved = block(act, r"registerForActivityResult\(ActivityResultContracts\.CreateDocument") or ""
    if not re.search(r"openOutputStream\(", saved) or not re.search(r"catch\s*\(\s*\w+\s*:\s*IOException\s*\)", saved) \
            or not re.search(r"finally\s*\{[^}]*\.delete\(\)", saved):
        errors.append("export: openOutputStream not guarded by catch (IOException) with the private copy deleted in finally")

    wk = strip_comments(read(root, f"{KT}/platform/Wakeups.kt"))
    wake = block(wk, r"class WakeupReceiver") or ""
    if "goAsync" in wake or "dispatch" in wake or "runTimerNow" not in wake:
        errors.append("wakeups: the alarm receiver does the work itself instead of handing it to the expedited job")
    run_now = block(wk, r"fun runTimerNow\(") or ""
    if "setExpedited(" not in run_now:
        errors.append("wakeups: the timer job is not expedited")
    if re.search(r"ExistingWorkPolicy\.REPLACE\b", wk):
        errors.append("wakeups: a unique job is enqueued with REPLACE (a reschedule would cancel 'send when back online')")
    cancels = [m.start() for m in re.finditer(r"cancelUniqueWork\(\s*NETWORK_JOB", wk)]
    cancel_fn = re.search(r"fun cancel\(", wk)
    cancel_body = block(wk, r"fun cancel\(") or ""
    if len(cancels) != 1 or not cancel_fn or "cancelUniqueWork(NETWORK_JOB)" not in cancel_body.replace(" ", ""):
        errors.append("wakeups: the network job is cancelled outside Wakeups.cancel")
    schedule = block(wk, r"fun schedule\(") or ""
    if "enqueueKeepingExisting(" not in schedule:
        errors.append("wakeups: the network job is not enqueued keeping an existing one")
    keep = block(wk, r"fun enqueueKeepingExisting\(") or ""
    if "ExistingWorkPolicy.KEEP" not in keep or "APPEND_OR_REPLACE" not in keep:
        errors.append("wakeups: enqueueKeepingExisting must KEEP a waiting job and APPEND to a running one")
    rearm = block(wk, r"class RearmReceiver") or ""
    manifest = read(root, f"{APP}/AndroidManifest.xml")
    rearm_decl = re.search(r'<receiver[^>]*android:name="\.platform\.RearmReceiver".*?</receiver>', manifest, re.S)
    for action, const in [("android.intent.action.BOOT_COMPLETED", "ACTION_BOOT_COMPLETED"),
                          ("android.intent.action.MY_PACKAGE_REPLACED", "ACTION_MY_PACKAGE_REPLACED"),
                          ("android.app.action.SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED",
                           "ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED")]:
        if const not in rearm:
            errors.append(f"wakeups: RearmReceiver does not handle {const}")
        if not rearm_decl or action not in rearm_decl.group(0):
            errors.append(f"wakeups: the manifest does not route {action} to RearmReceiver")
    return errors


def ios(root: str) -> list[str]:
    errors = []
    app_dir = os.path.join(root, "ios/App")
    sources = {}
    for d, _s, files in os.walk(app_dir):
        for f in files:
            if f.endswith(".swift"):
                p = os.path.join(d, f)
                sources[os.path.relpath(p, root)] = strip_comments(open(p, encoding="utf-8").read())
    entry = next((p for p, s in sources.items() if "@main" in s), None)
    if entry is None:
        return ["bg-register: no @main App in ios/App"]
    init = block(sources[entry], r"\binit\(\)") or ""
    called = re.search(r"(\w+)\.(registerBackgroundTasks)\(", init)
    if not called:
        errors.append("bg-register: ParasolApp.init does not register the background tasks")
    for path, src in sources.items():
        for m in re.finditer(r"BGTaskScheduler\.shared\.register\(", src):
            fn = [f for f in re.finditer(r"func (\w+)\(", src[:m.start()])]
            name = fn[-1].group(1) if fn else None
            if not called or name != called.group(2):
                errors.append(f"bg-register: {path}: BGTaskScheduler.register outside the function App.init calls")
        for m in re.finditer(r"\.(task|onAppear)\s*\{", src):
            body = block(src[m.start():], r"\.(task|onAppear)\s*")
            if body and "registerBackgroundTasks" in body:
                errors.append(f"bg-register: {path}: background tasks registered from a view (.{m.group(1)})")
    if not re.search(r"PrivacyCover\.shared\.install\(\)", init):
        errors.append("privacy-cover: ParasolApp.init does not install the privacy cover")
    cover = next((s for p, s in sources.items() if "class PrivacyCover" in s), "")
    if not re.search(r"windowLevel\s*=\s*\.alert\s*\+\s*\d", cover):
        errors.append("privacy-cover: the cover window is not above alerts and sheets (windowLevel = .alert + n)")
    if "willResignActiveNotification" not in cover:
        errors.append("privacy-cover: the cover does not rise when the app resigns active (app switcher snapshot)")
    return errors


def platform_strings(root: str) -> list[str]:
    errors = []
    table = read(root, "ios/App/Resources/en.lproj/Platform.strings")
    keys = set(re.findall(r'^"([^"]+)"\s*=', table, re.M))
    for d, _s, files in os.walk(os.path.join(root, "ios/App")):
        for f in files:
            if f.endswith(".swift"):
                src = open(os.path.join(d, f), encoding="utf-8").read()
                for key in re.findall(r'"([a-z_.]+)",\s*tableName:\s*"Platform"', src):
                    if key not in keys:
                        errors.append(f"platform-strings: \"{key}\" is not in Platform.strings")
    xml = read(root, f"{APP}/res/values/platform_strings.xml")
    names = set(re.findall(r'<string name="(platform_\w+)"', xml))
    for d, _s, files in os.walk(os.path.join(root, "android/app/src")):
        for f in files:
            if f.endswith(".kt"):
                src = open(os.path.join(d, f), encoding="utf-8").read()
                for name in re.findall(r"R\.string\.(platform_\w+)", src):
                    if name not in names:
                        errors.append(f"platform-strings: R.string.{name} is not in platform_strings.xml")
    return errors


def check(root: str) -> tuple[int, list[str]]:
    errors = android(root) + ios(root) + platform_strings(root)
    print(f"shell-safety: 9 rules (Android SMS, location, screen, wake-ups, exact alarms, export; "
          f"iOS background tasks, privacy cover; platform strings), {len(errors)} problems")
    return 9, errors


def main(argv: list[str]) -> int:
    root = os.path.abspath(argv[0] if argv else os.path.join(os.path.dirname(__file__), "../.."))
    _n, errors = check(root)
    for e in errors:
        print(f"shell-safety: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
