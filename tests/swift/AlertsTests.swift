// The panic button through the Swift bindings: SmsSender and AlertObserver
// implemented in Swift. Webhooks go to a refused 127.0.0.1 port (queued and
// retried); SMS goes through the Swift sender and its reports.
import Foundation

final class SwiftObserver: AlertObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [AlertEvent] = []
    var events: [AlertEvent] { lock.lock(); defer { lock.unlock() }; return _events }
    func onEvent(event: AlertEvent) throws {
        lock.lock(); _events.append(event); lock.unlock()
        throw ParasolError.Internal(reason: "observer errors are ignored")
    }
}

final class SwiftSms: SmsSender, @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [SmsRequest] = []
    let outcome: SmsOutcome?
    init(_ outcome: SmsOutcome?) { self.outcome = outcome }
    var requests: [SmsRequest] { lock.lock(); defer { lock.unlock() }; return _requests }
    func sendSms(request: SmsRequest) throws -> SmsOutcome {
        lock.lock(); _requests.append(request); lock.unlock()
        guard let o = outcome else { throw ParasolError.Platform(reason: "no service") }
        return o
    }
}

func loopbackConfig(_ dir: String) -> ParasolConfig {
    ParasolConfig(dataDir: dir, timeoutSeconds: 2, extraCaPem: nil, allowInsecureLoopback: true, extraTrustedPackKeys: [])
}

let everyTrigger = ContactTriggers(button: true, missedCheckIn: true, duress: true)

func input(_ name: String, phone: String? = nil, webhook: String? = nil) -> TrustedContactInput {
    TrustedContactInput(name: name, language: "en", phone: phone, webhookUrl: webhook,
                        pushUrl: nil, pushToken: nil, triggers: everyTrigger)
}


func fastSettings(_ a: Alerts) throws {
    var s = a.settings()
    s.retryBaseMs = 10
    s.retryCapMs = 20
    try a.setSettings(settings: s)
}

func alertsTests() {
    Harness.test("alerts: contacts round trip and typed errors") {
        let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
        let a = try p.alerts()
        try a.setSenderName(name: "Ana")
        try checkEq(try a.senderName(), "Ana", "sender name")
        var i = input("Mira", phone: "+31 6 12345678")
        i.pushUrl = "https://ntfy.sh/parasol-swift"
        i.pushToken = "tk"
        let c = try a.addContact(input: i)
        try checkEq(c.phone, "+31612345678", "E.164")
        try check(c.hasPushToken && c.createdAtMs > 0, "token, created")
        let u = try a.updateContact(id: c.id, input: input("Mira K", phone: "+31612345678"))
        try checkEq(u.name, "Mira K", "updated")
        try checkEq(try a.contact(id: c.id), u, "contact()")
        try checkEq(try a.contacts().count, 1, "contacts")
        for bad in ["+31 6 CALLME", "*#06#", "+31612345678#", "+31\u{200B}612345678"] {
            try expectError(bad, isInvalid) { _ = try a.addContact(input: input("x", phone: bad)) }
        }
        try expectError("http", isInvalid) { _ = try a.addContact(input: input("x", webhook: "http://example.org/h")) }
        try expectError("note", isInvalid) {
            _ = try a.trigger(request: TriggerRequest(mode: .immediate, reason: .button, location: nil,
                                                      note: String(repeating: "x", count: 100_000)))
        }
        var s = a.settings()
        s.parallelism = 0
        try expectError("settings", isInvalid) { try a.setSettings(settings: s) }
        try a.removeContact(id: c.id)
        try expectError("removed", isNotFound) { try a.removeContact(id: c.id) }
        try expectError("no contacts", isNotFound) { _ = try a.triggerDuress() }
    }
    Harness.test("alerts: iOS-style SMS needs user action, reports, webhook retried, I'm safe") {
        let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
        let a = try p.alerts()
        try fastSettings(a)
        let obs = SwiftObserver()
        let sms = SwiftSms(.needsUserAction)
        a.setObserver(observer: obs)
        a.setSmsSender(sender: sms)
        let c = try a.addContact(input: input("Both", phone: "+46701234567", webhook: "http://127.0.0.1:9/refused"))
        let t = try a.testContact(id: c.id)
        try check(t.allSatisfy { $0.kind == .test }, "test kind")
        let alert = try a.trigger(request: TriggerRequest(
            mode: .immediate, reason: .button,
            location: AlertLocation(latitude: 45.81, longitude: 15.98, accuracyM: 20, fixedAtMs: nil),
            note: "room 12"))
        try checkEq(alert.state, .fired, "fired")
        try checkEq(alert.mode, .immediate, "mode")
        try check(alert.hasLocation, "location")
        let r = try a.flushOutbox()
        try checkEq(r.needsUserAction, 2, "SMS need the user")
        try checkEq(r.retrying, 2, "webhooks retry (refused)")
        try check(r.pending == 2 && r.nextWakeupMs != nil, "pending with a wake-up")
        let st = try a.alertStatus(alertId: alert.id)
        let smsD = st.deliveries.first { $0.channel == .sms }!
        let web = st.deliveries.first { $0.channel == .webhook }!
        try checkEq(smsD.state, .needsUserAction, "needs user action")
        try checkEq(web.state, .queued, "webhook queued")
        try check(web.lastError != nil && web.nextAttemptAtMs != nil && web.attempts == 1, "retry scheduled")
        try check(sms.requests.contains { $0.deliveryId == smsD.id && $0.text.contains("openstreetmap") && !$0.silent }, "sms request")
        try checkEq(try a.reportSms(deliveryId: smsD.id, report: .failed(reason: "composer cancelled")).state, .queued, "retry after cancel")
        try checkEq(try a.reportSms(deliveryId: smsD.id, report: .sent).state, .sent, "sent")
        try checkEq(try a.reportSms(deliveryId: smsD.id, report: .delivered).state, .delivered, "delivered")
        try checkEq(try a.delivery(deliveryId: smsD.id).state, .delivered, "delivery()")
        let resolved = try a.resolve(alertId: alert.id)
        try checkEq(resolved.state, .resolved, "resolved")
        try check(resolved.deliveries.contains { $0.kind == .safe && $0.channel == .sms }, "safe follow-up by SMS")
        try check(resolved.deliveries.contains { $0.kind == .alert && $0.channel == .webhook && $0.state == .cancelled },
                  "the still-queued webhook alert is cancelled, not retried")
        _ = try a.tick()
        try checkEq(try a.activeAlerts().count, 0, "no active alerts")
        try checkEq(try a.recentAlerts(limit: 5).count, 1, "recent")
        let ev = obs.events
        try check(ev.contains { if case .fired = $0 { return true }; return false }, "fired event")
        try check(ev.contains { if case .resolved = $0 { return true }; return false }, "resolved event")
        try check(ev.contains { if case let .delivery(d) = $0 { return d.state == .needsUserAction }; return false }, "needs-user-action event")
    }
    Harness.test("alerts: countdown cancel, duress, throwing sender, location") {
        let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
        let a = try p.alerts()
        try fastSettings(a)
        let obs = SwiftObserver()
        a.setObserver(observer: obs)
        a.setSmsSender(sender: SwiftSms(nil))
        _ = try a.addContact(input: input("Sms", phone: "+48512345678"))
        let c = try a.trigger(request: TriggerRequest(mode: .countdown(seconds: 30), reason: .button, location: nil, note: nil))
        try checkEq(c.state, .countdown, "countdown")
        try checkEq(try a.nextWakeupMs(), c.firesAtMs, "wake-up")
        try checkEq(try a.cancel(alertId: c.id).state, .cancelled, "cancelled")
        if case .countdownStarted = obs.events[0], case .countdownCancelled = obs.events[1] {} else {
            throw CheckFailure(description: "countdown events: \(obs.events)")
        }
        try checkEq(try a.flushOutbox().attempted, 0, "nothing sent")
        let d = try a.triggerDuress()
        try check(d.reason == .duress && d.mode == .silent, "silent duress")
        try checkEq(try a.flushOutbox().retrying, 1, "retrying")
        let del = try a.alertStatus(alertId: d.id).deliveries[0]
        try check(del.lastError?.contains("no service") == true, "reason kept")
        let f = try a.updateLocation(alertId: d.id, location: AlertLocation(latitude: 1, longitude: 2, accuracyM: nil, fixedAtMs: 1_700_000_000_000))
        try checkEq(f.queued.count, 1, "follow-up")
        try check(try a.updateLocation(alertId: d.id, location: AlertLocation(latitude: 1, longitude: 2, accuracyM: nil, fixedAtMs: nil)).deferredUntilMs != nil, "rate limited")
        try expectError("cancel fired", isInvalid) { _ = try a.cancel(alertId: d.id) }
        try expectError("unknown", isNotFound) { _ = try a.alertStatus(alertId: "nope") }
        let states: [DeliveryState] = [.queued, .sending, .sent, .delivered, .needsUserAction, .failed, .cancelled]
        try checkEq(Set(states).count, 7, "delivery states")
        let kinds: [MessageKind] = [.alert, .location, .safe, .test]
        let channels: [DeliveryChannel] = [.sms, .webhook, .push, .matrix]
        let reasons: [AlertReason] = [.button, .missedCheckIn, .duress]
        let alertStates: [AlertState] = [.countdown, .fired, .cancelled, .resolved]
        let checkinStates: [CheckinState] = [.active, .done, .cancelled, .missed]
        try checkEq(kinds.count + channels.count + reasons.count + alertStates.count + checkinStates.count, 19, "enums")
        try checkEq(Set([SmsOutcome.sent, .needsUserAction, .awaitingReport, .cannotSend]).count, 4, "outcomes")
    }
    Harness.test("alerts: check-in") {
        let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
        let a = try p.alerts()
        try check(try a.checkin() == nil, "none yet")
        _ = try a.addContact(input: input("A", phone: "+31612345678"))
        let s = try a.startCheckin(request: CheckinRequest(deadline: .inMinutes(minutes: 60), graceMinutes: 2, note: "client"))
        try checkEq(s.state, .active, "active")
        try checkEq(s.firesAtMs - s.deadlineMs, 120_000, "grace")
        try checkEq(try a.nextWakeupMs(), s.firesAtMs, "wake-up")
        try checkEq(try a.extendCheckin(minutes: 30).deadlineMs, s.deadlineMs + 1_800_000, "extended")
        try checkEq(try a.checkIn().state, .done, "done")
        _ = try a.startCheckin(request: CheckinRequest(deadline: .at(atMs: s.deadlineMs + 3_600_000), graceMinutes: nil, note: nil))
        try checkEq(try a.cancelCheckin().state, .cancelled, "cancelled")
        try expectError("nothing running", isNotFound) { _ = try a.checkIn() }
        try expectError("past", isInvalid) {
            _ = try a.startCheckin(request: CheckinRequest(deadline: .at(atMs: 0), graceMinutes: nil, note: nil))
        }
    }
}
