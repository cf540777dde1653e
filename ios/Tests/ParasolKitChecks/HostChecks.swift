// AppHost on Linux: the real core behind it, a recording executor in front.
import Foundation
import ParasolKit

/// Records every effect; answers permission requests as iOS would.
final class RecordingExecutor: EffectExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var _calls: [String] = []
    weak var host: AppHost?
    var calls: [String] { lock.withLock { _calls } }
    private func log(_ s: String) { lock.withLock { _calls.append(s) } }

    func requestPermission(_ p: Permission, openSettings: Bool) {
        log("permission \(p)")
        host?.send(.permissionResult(state: PermissionState(permission: p, status: .granted)))
    }
    func sendSms(deliveryId: String, phone: String, text: String) { log("sms") }
    func composeSms(deliveryId: String, phone: String, text: String) { log("composer") }
    func getLocation(timeoutMs: UInt32) { log("location"); host?.send(.locationResult(fix: nil)) }
    func scheduleWakeup(atMs: Int64, needsNetwork: Bool) { log("wakeup \(needsNetwork) \(atMs)") }
    func cancelWakeup(needsNetwork: Bool) { log("cancel-wakeup \(needsNetwork)") }
    func notify(id: String, slot: NotificationSlot, reason: NotifyReason, atMs: Int64?) {
        log("notify \(reason) \(atMs ?? -1)")
    }
    func cancelNotifications(slot: NotificationSlot) { log("cancel-notifications \(slot)") }
    func openUri(_ uri: String) { log("open \(uri)") }
    func setScreenSecurity(_ secure: Bool) { log("secure \(secure)") }
    func setLauncherDisguise(_ disguised: Bool) { log("disguise \(disguised)") }
    func shareFile(path: String) { log("share") }
    func quickExit(coverUri: String) { log("quick-exit \(coverUri)") }
}

let iPhone = AppCapabilities(silentSms: false, smsComposer: true, exactWakeups: false, launcherDisguise: false)
let every = ContactTriggers(button: true, missedCheckIn: true, duress: true)

/// A Keychain refusal as iOS would throw it, for the first `n` opens.
final class FailingOpens: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int
    init(_ n: Int) { left = n }
    func next() throws {
        try lock.withLock {
            if left > 0 { left -= 1; throw CocoaError(.fileReadNoPermission) }
        }
    }
}

func makeHost(_ dir: String = tempDir(), failOpens: Int = 0) -> (AppHost, RecordingExecutor) {
    let x = RecordingExecutor()
    let failing = FailingOpens(failOpens)
    let h = AppHost(
        openProfile: {
            try failing.next()
            return try Parasol.open(config: ParasolConfig(dataDir: dir, timeoutSeconds: 2, extraCaPem: nil,
                                                   allowInsecureLoopback: true, extraTrustedPackKeys: []), keyStore: nil)
        },
        capabilities: iPhone, executor: x,
        permissions: { [PermissionState(permission: .sms, status: .notApplicable)] })
    x.host = h
    return (h, x)
}

@MainActor
func hostChecks() async {
    await Harness.test("host: a profile that cannot be opened shows the error, is not remembered, and retry opens it") {
        let (h, x) = makeHost(failOpens: 2)
        var reported: [Bool] = []
        h.onOpenFailed = { reported.append($0) }
        let ok = await h.start()
        try check(!ok && h.openFailed, "error state after the first failure")
        try check(h.view == nil, "nothing rendered")
        let woke = await h.dispatch(.wokeUp(needsNetwork: false))
        try check(!woke, "a background task learns the open failed")
        try check(x.calls.isEmpty, "no effect without a profile: \(x.calls)")
        h.retry()
        try await eventually("retry opens the profile") { h.view?.screen == .alert }
        try check(!h.openFailed, "error cleared")
        try checkEq(reported, [true, false], "the UI was told, once each way")
        try check(x.calls.contains("secure true"), "a fresh start after the retry: \(x.calls)")
    }
    await Harness.test("host: starts, covers the screen, renders the alert screen") {
        let (h, x) = makeHost()
        var changes = 0
        h.onChange = { _ in changes += 1 }
        await h.start()
        try checkEq(h.view?.screen, .alert, "alert screen")
        try check(x.calls.contains("secure true"), "screen security applied: \(x.calls)")
        try check(changes > 0, "the view was handed over")
        // Coming back from the background resumes: the screen stays.
        await h.dispatch(.navigate(screen: .checkin))
        await h.start()
        try checkEq(h.view?.screen, .checkin, "resumed, not restarted")
    }
    await Harness.test("host: the view's clock completes a hold by itself; cancel sends nothing") {
        let (h, x) = makeHost()
        await h.start()
        await h.dispatch(.addContact(form: ContactForm(name: "Mira", phone: "+31612345678", webhookUrl: "",
                                                       language: "", triggers: every, matrixId: "", smsCodePhrase: "")))
        try check(!x.calls.contains("permission sms"), "no SMS permission on iOS: \(x.calls)")
        guard case let .alert(view: .ready(_, _, _, _, sms, _)) = h.view?.body else { throw CheckFailure(description: "ready") }
        try checkEq(sms, .needsTap, "SMS needs a tap on iOS")
        h.send(.holdStarted)
        try await eventually("countdown") {
            if case .alert(view: .countdown) = h.view?.body { return true }
            return false
        }
        await h.dispatch(.cancelCountdown)
        guard case .alert(view: .ended(false, _)) = h.view?.body else { throw CheckFailure(description: "ended") }
        try check(!x.calls.contains("composer"), "no composer")
    }
    await Harness.test("host: a check-in hands two reminders and the alert wake-up to the OS") {
        let (h, x) = makeHost()
        await h.start()
        await h.dispatch(.addContact(form: ContactForm(name: "W", phone: "", webhookUrl: "https://relay.example.org/hook",
                                                       language: "", triggers: every, matrixId: "", smsCodePhrase: "")))
        await h.dispatch(.startCheckin(minutes: 30))
        let notes = x.calls.filter { $0.hasPrefix("notify") }
        try checkEq(notes.count, 2, "two reminders: \(notes)")
        try check(notes[0].hasPrefix("notify checkinDeadline") && notes[1].hasPrefix("notify checkinGrace"), "\(notes)")
        let deadline = Int64(notes[0].split(separator: " ").last!)!
        try check(x.calls.contains("wakeup false \(deadline + 5 * 60_000)"), "alert wake-up after grace: \(x.calls)")
        try check(!x.calls.contains { $0.hasPrefix("permission exactAlarms") }, "no exact alarms to ask for on iOS")
        await h.dispatch(.checkIn)
        try check(x.calls.contains("cancel-notifications checkin"), "reminders removed")
    }
    await Harness.test("host: Secret wipes on take; an erase reopens a fresh profile") {
        let (h, _) = makeHost()
        await h.start()
        await h.dispatch(.navigate(screen: .notes))
        let a = Secret("a long passphrase 1"), b = Secret("a long passphrase 1")
        await h.dispatch(.createNotes(passphrase: a.take(), confirmation: b.take()))
        try check(a.isWiped && b.isWiped, "wiped")
        guard case .notes(view: .titles) = h.view?.body else { throw CheckFailure(description: "notes open") }
        await h.dispatch(.navigate(screen: .settings))
        await h.dispatch(.requestErase)
        await h.dispatch(.confirmErase)
        try checkEq(h.view?.screen, .alert, "a fresh start")
        await h.dispatch(.navigate(screen: .notes))
        guard case .notes(view: .setup) = h.view?.body else { throw CheckFailure(description: "erased") }
    }
    await Harness.test("host: quick exit goes to the neutral page the core chose") {
        let (h, x) = makeHost()
        await h.start()
        await h.dispatch(.quickExit)
        try check(x.calls.contains { $0.hasPrefix("quick-exit https://") }, "\(x.calls)")
    }
}
