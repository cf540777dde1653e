// The headless app through the Swift bindings: the journeys of issue 11 with a
// fake effect executor (what a phone would do with each effect), and a tiny
// HTTP receiver on 127.0.0.1 (POSIX sockets). The real clock runs: waits are
// short and bounded.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let androidCaps = AppCapabilities(silentSms: true, smsComposer: true, exactWakeups: true, launcherDisguise: true)
let iosCaps = AppCapabilities(silentSms: false, smsComposer: true, exactWakeups: false, launcherDisguise: false)

/// Answers every request with 200 and records the bodies.
final class TinyReceiver: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var _bodies: [String] = []
    var bodies: [String] { lock.lock(); defer { lock.unlock() }; return _bodies }
    var url: String { "http://127.0.0.1:\(port)/hook" }

    init(port: UInt16 = 0) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }
        listen(fd, 16)
        var bound = sockaddr_in()
        var len = size
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.port = UInt16(bigEndian: bound.sin_port)
        Thread { [self] in self.serve() }.start()
    }

    /// A port nothing listens on (connections are refused).
    static func freePort() -> UInt16 {
        let r = TinyReceiver()
        let p = r.port
        r.stop()
        return p
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            var data = [UInt8]()
            var buf = [UInt8](repeating: 0, count: 65536)
            var bodyStart: Int?
            var want = 0
            while bodyStart == nil || data.count < bodyStart! + want {
                let n = read(c, &buf, buf.count)
                if n <= 0 { break }
                data.append(contentsOf: buf[0..<n])
                if bodyStart == nil, let end = Self.headerEnd(data) {
                    bodyStart = end
                    let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                    want = head.components(separatedBy: "\r\n")
                        .first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                }
            }
            if let start = bodyStart {
                let body = String(decoding: data[start...], as: UTF8.self)
                lock.lock(); _bodies.append(body); lock.unlock()
            }
            let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)
            _ = reply.withUnsafeBytes { write(c, $0.baseAddress, reply.count) }
            close(c)
        }
    }

    private static func headerEnd(_ d: [UInt8]) -> Int? {
        guard d.count >= 4 else { return nil }
        for i in 0...(d.count - 4) where d[i] == 13 && d[i + 1] == 10 && d[i + 2] == 13 && d[i + 3] == 10 {
            return i + 4
        }
        return nil
    }
}

/// Performs effects as a phone would, and records them.
final class FakePhone {
    let app: App
    var seen: [AppEffect] = []
    var answers: [Permission: PermissionStatus] = [:]
    var online = true
    var networkJob: Int64?
    var timer: Int64?
    var scheduled: [String: (NotificationSlot, NotifyReason, Int64?)] = [:]
    var composers: [String] = []
    var radio: [String] = []
    var opened: [String] = []

    init(_ app: App) { self.app = app }

    var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @discardableResult
    func send(_ event: AppEvent) throws -> [AppEffect] {
        var queue = [event]
        var first: [AppEffect]?
        for _ in 0..<100 {
            guard !queue.isEmpty else { return first ?? [] }
            let fx = try app.update(event: queue.removeFirst())
            if first == nil { first = fx }
            for f in fx {
                seen.append(f)
                if let reply = perform(f) { queue.append(reply) }
            }
        }
        throw CheckFailure(description: "effects never settle")
    }

    private func perform(_ f: AppEffect) -> AppEvent? {
        switch f {
        case let .requestPermission(permission, _):
            return .permissionResult(state: PermissionState(permission: permission, status: answers[permission] ?? .granted))
        case let .sendSms(id, _, _):
            radio.append(id)
            return .smsResult(deliveryId: id, result: .sent)
        case let .composeSms(id, _, _):
            composers.append(id)
            return nil
        case .getLocation:
            return .locationResult(fix: AlertLocation(latitude: 52.37, longitude: 4.89, accuracyM: 20, fixedAtMs: nil))
        case let .scheduleWakeup(at, needsNetwork):
            if needsNetwork {
                if networkJob == nil { networkJob = at }
                if online && at <= nowMs { networkJob = nil; return .wokeUp(needsNetwork: true) }
            } else {
                timer = at
                if at <= nowMs { timer = nil; return .wokeUp(needsNetwork: false) }
            }
            return nil
        case let .cancelWakeup(needsNetwork):
            if needsNetwork { networkJob = nil } else { timer = nil }
            return nil
        case let .notify(id, slot, reason, at):
            scheduled[id] = (slot, reason, at)
            return nil
        case let .cancelNotifications(slot):
            scheduled = scheduled.filter { $0.value.0 != slot }
            return nil
        case let .openUri(uri):
            opened.append(uri)
            return nil
        default:
            return nil
        }
    }

    func alert() throws -> AlertScreen {
        try send(.navigate(screen: .alert))
        guard case let .alert(view) = app.view().body else { throw CheckFailure(description: "not the alert screen") }
        return view
    }

    func addContact(_ name: String, phone: String = "", webhook: String = "") throws {
        try send(.addContact(form: ContactForm(name: " \(name) ", phone: phone, webhookUrl: webhook, language: "", triggers: everyTrigger, matrixId: "", smsCodePhrase: "")))
        try checkEq(app.view().notice, .saved, "contact saved")
    }
}

func newPhone(_ caps: AppCapabilities) throws -> (Parasol, FakePhone) {
    let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
    let phone = FakePhone(try App(parasol: p, capabilities: caps))
    let all: [Permission] = [.sms, .location, .notifications, .exactAlarms]
    try phone.send(.started(permissions: all.map { PermissionState(permission: $0, status: .unknown) }))
    return (p, phone)
}

func appTests() {
    Harness.test("app: press and hold, countdown, cancel sends nothing") {
        let rx = TinyReceiver(); defer { rx.stop() }
        let (_, phone) = try newPhone(androidCaps)
        try phone.addContact("Mira", webhook: rx.url)
        try phone.send(.holdStarted)
        guard case let .ready(holdMs, heldMs, _, contacts, _, _) = try phone.alert() else { throw CheckFailure(description: "ready") }
        try checkEq(holdMs, 1500, "hold duration from the core")
        try check(heldMs != nil && contacts == 1, "holding, one contact")
        try check(phone.app.view().refreshInMs != nil, "the core asks for a clock")
        Thread.sleep(forTimeInterval: 1.6)
        try phone.send(.timerElapsed)
        guard case let .countdown(left, _) = try phone.alert() else { throw CheckFailure(description: "countdown") }
        try check((9...10).contains(left), "countdown \(left)")
        try phone.send(.cancelCountdown)
        guard case .ended(false, _) = try phone.alert() else { throw CheckFailure(description: "cancelled") }
        try phone.send(.wokeUp(needsNetwork: false))
        try check(rx.bodies.isEmpty, "nothing sent")
    }
    Harness.test("app: SMS refused and offline: the user is told, the webhook carries it once back online") {
        let port = TinyReceiver.freePort()
        let (p, phone) = try newPhone(androidCaps)
        let a = try p.alerts()
        var s = a.settings(); s.retryBaseMs = 10; s.retryCapMs = 20
        try a.setSettings(settings: s)
        phone.answers[.sms] = .deniedForever
        try phone.addContact("Mira", phone: "+31612345678", webhook: "http://127.0.0.1:\(port)/hook")
        guard case let .ready(_, _, _, _, before, _) = try phone.alert() else { throw CheckFailure(description: "ready") }
        try checkEq(before, .needsTap, "told before")
        phone.online = false
        try phone.send(.triggerNow)
        Thread.sleep(forTimeInterval: 10.2)
        try phone.send(.wokeUp(needsNetwork: false))
        guard case let .sent(rows, _, _, after) = try phone.alert() else { throw CheckFailure(description: "sent") }
        try checkEq(after, .needsTap, "told after")
        try check(rows.count == 1 && rows[0].needsYou, "the SMS waits for the user")
        try checkEq(rows[0].channels.first { $0.channel == .webhook }?.label, .retrying, "webhook retrying")
        try check(phone.radio.isEmpty, "no silent SMS without permission")
        try checkEq(phone.composers.count, 1, "the composer opened for the alert the user raised")
        try check(phone.networkJob != nil, "a network job waits")
        try phone.send(.startCheckin(minutes: 60))
        try phone.send(.stopCheckin)
        try phone.send(.backgrounded)
        try phone.send(.smsResult(deliveryId: phone.composers[0], result: .sent))
        try check(phone.networkJob != nil, "kept")
        let cancels = { phone.seen.filter { $0 == .cancelWakeup(needsNetwork: true) }.count }
        try checkEq(cancels(), 1, "only the fresh start's cancel")
        let rx = TinyReceiver(port: port); defer { rx.stop() }
        phone.online = true
        Thread.sleep(forTimeInterval: 0.1) // past the last retry's backoff (at most 20 ms here)
        try phone.send(.wokeUp(needsNetwork: false))
        try checkEq(rx.bodies.count, 1, "delivered once back online")
        try checkEq(cancels(), 2, "then the job goes")
        try checkEq(phone.networkJob, nil, "no job left")
    }
    Harness.test("app: second passphrase on a phone without silent SMS never opens a composer") {
        let rx = TinyReceiver(); defer { rx.stop() }
        let (_, phone) = try newPhone(iosCaps)
        try phone.addContact("Mira", phone: "+31612345678", webhook: rx.url)
        try phone.send(.navigate(screen: .contacts))
        guard case let .contacts(rows, _, _) = phone.app.view().body else { throw CheckFailure(description: "contacts") }
        try checkEq(rows.first?.silent, [.webhook], "silent alert by webhook only")
        let real = Data("real passphrase one".utf8), other = Data("the other one 22".utf8)
        try phone.send(.createNotes(passphrase: real, confirmation: real))
        try phone.send(.setSecondPassphrase(current: real, passphrase: other, confirmation: other,
                                            openDecoy: true, alert: true, erase: false))
        try phone.send(.lock)
        try phone.send(.navigate(screen: .notes))
        try phone.send(.unlock(passphrase: other))
        guard case let .notes(view: .titles(entries, _)) = phone.app.view().body else { throw CheckFailure(description: "notes") }
        try check(entries.isEmpty, "separate, empty notes")
        try check(!phone.seen.contains { if case .composeSms = $0 { return true }; return false }, "no composer")
        try check(!phone.seen.contains { if case .notify = $0 { return true }; return false }, "no notification")
        try checkEq(rx.bodies.count, 1, "the webhook carried it")
        guard case .ready = try phone.alert() else { throw CheckFailure(description: "nothing on the alert screen") }
    }
    Harness.test("app: check-in reminders at the deadline and grace start, tap, check in: nothing sent") {
        let rx = TinyReceiver(); defer { rx.stop() }
        let (_, phone) = try newPhone(androidCaps)
        try phone.addContact("Mira", webhook: rx.url)
        let before = phone.nowMs
        try phone.send(.startCheckin(minutes: 30))
        let deadline = phone.seen.compactMap { e -> Int64? in
            if case let .notify(_, _, .checkinDeadline, at) = e { return at }; return nil }.first
        let grace = phone.seen.compactMap { e -> Int64? in
            if case let .notify(_, _, .checkinGrace, at) = e { return at }; return nil }.first
        guard let d = deadline, let g = grace else { throw CheckFailure(description: "two reminders") }
        try check((29 * 60_000...31 * 60_000).contains(d - before), "deadline in 30 min")
        try checkEq(g, d, "grace starts at the deadline")
        try checkEq(phone.scheduled.count, 1, "one schedule id for both")
        try checkEq(phone.timer, d + 5 * 60_000, "the alert wake-up at deadline + grace")
        try phone.send(.notificationTapped(reason: .checkinGrace))
        try checkEq(phone.app.view().screen, .checkin, "the tap opens the check-in")
        try phone.send(.wokeUp(needsNetwork: false))
        try phone.send(.checkIn)
        try check(phone.scheduled.isEmpty, "reminders removed")
        try checkEq(phone.timer, nil, "no wake-up")
        try check(rx.bodies.isEmpty, "nothing sent")
    }
    Harness.test("app: an ignored check-in: nothing before deadline + grace") {
        let rx = TinyReceiver(); defer { rx.stop() }
        let (_, phone) = try newPhone(androidCaps)
        try phone.addContact("Mira", webhook: rx.url)
        try phone.send(.startCheckin(minutes: 1))
        guard let wake = phone.timer else { throw CheckFailure(description: "a wake-up") }
        try check(wake - phone.nowMs > 5 * 60_000, "the alert waits for the end of grace")
        try phone.send(.wokeUp(needsNetwork: false))
        try check(rx.bodies.isEmpty, "an early wake-up sends nothing")
        try checkEq(phone.timer, wake, "still planned at the end of grace")
    }
    Harness.test("app: the notes list and search (titles only, the index, diacritics ignored)") {
        let (_, phone) = try newPhone(androidCaps)
        let pass = Data("a long passphrase 1".utf8)
        try phone.send(.navigate(screen: .notes))
        try phone.send(.createNotes(passphrase: pass, confirmation: pass))
        let blank = IncidentDetails(
            when: nil, location: nil, person: nil, vehicle: nil, contact: nil, whatHappened: nil,
            injuries: nil, taken: nil, witnesses: nil, reportedToPolice: nil, followUp: nil)
        for (title, body) in [("Café visit", "met at the station"), ("Tuesday", "rent paid")] {
            try phone.send(.newEntry(kind: .note))
            try phone.send(.saveEntry(form: EntryForm(kind: .note, title: title, body: body, incident: blank)))
        }
        func titles() throws -> ([String], String) {
            guard case let .notes(view: .titles(entries, query)) = phone.app.view().body else {
                throw CheckFailure(description: "the notes list")
            }
            return (entries.map { $0.title }.sorted(), query)
        }
        var t = try titles()
        try checkEq(t.0, ["Café visit", "Tuesday"], "every title")
        try checkEq(t.1, "", "no search")
        try phone.send(.searchNotes(query: "CAFE"))
        t = try titles()
        try checkEq(t.0, ["Café visit"], "found by title, accents ignored")
        try checkEq(t.1, "CAFE", "the search text")
        try phone.send(.searchNotes(query: "rent"))
        try checkEq(try titles().0, ["Tuesday"], "found by text")
        try phone.send(.lock)
        try phone.send(.unlock(passphrase: pass))
        t = try titles()
        try checkEq(t.0, ["Café visit", "Tuesday"], "a lock forgets the search")
        try checkEq(t.1, "", "the search is forgotten")
    }
    Harness.test("app: disguised, the app opens on the notes") {
        let (_, phone) = try newPhone(iosCaps)
        try checkEq(phone.app.view().screen, .alert, "not disguised")
        let fx = try phone.send(.setDisguise(on: true))
        try check(!fx.contains(.setLauncherDisguise(disguised: true)), "no launcher switch on this phone")
        try phone.send(.started(permissions: []))
        try checkEq(phone.app.view().screen, .notes, "notes first")
        try check(phone.app.view().secure, "secure")
        let exit = try phone.send(.quickExit)
        try check(exit.contains { if case .quickExit = $0 { return true }; return false }, "quick exit")
    }
    Harness.test("app: helpline taps open URIs built in the core") {
        let (_, phone) = try newPhone(iosCaps)
        try phone.send(.navigate(screen: .helplines))
        guard case .helplines(view: .chooseCountry) = phone.app.view().body else { throw CheckFailure(description: "choose") }
        try phone.send(.selectCountry(code: "NL"))
        guard case let .helplines(view: .directory(_, groups, _, _)) = phone.app.view().body else { throw CheckFailure(description: "directory") }
        let lines = groups.flatMap(\.lines)
        guard let line = lines.first(where: { $0.channels.contains { $0.action == .call } }),
              let ch = line.channels.first(where: { $0.action == .call }) else { throw CheckFailure(description: "a line to call") }
        try phone.send(.tapChannel(helplineId: line.id, channel: ch.index))
        try check(phone.opened.count == 1 && phone.opened[0].hasPrefix("tel:"), "tel: \(phone.opened)")
    }
    Harness.test("app: the self-check forgets its answers") {
        let (_, phone) = try newPhone(iosCaps)
        try phone.send(.selectCountry(code: "NL"))
        try phone.send(.navigate(screen: .rights))
        try phone.send(.startSelfCheck)
        guard case .rights(view: .selfCheck(step: .intro)) = phone.app.view().body else { throw CheckFailure(description: "intro") }
        try phone.send(.startSelfCheck)
        try phone.send(.answerSelfCheck(answer: true))
        try phone.send(.back)
        guard case let .rights(view: .selfCheck(step: .question(_, _, _, held))) = phone.app.view().body else { throw CheckFailure(description: "q") }
        try checkEq(held, true, "held while open")
        try phone.send(.closeSelfCheck)
        try phone.send(.startSelfCheck)
        try phone.send(.startSelfCheck)
        guard case let .rights(view: .selfCheck(step: .question(_, _, _, again))) = phone.app.view().body else { throw CheckFailure(description: "q2") }
        try checkEq(again, nil, "forgotten")
    }
    Harness.test("app: editing a contact keeps its Matrix ID and code phrase; notices say what they cost") {
        let (p, phone) = try newPhone(androidCaps)
        try phone.send(.navigate(screen: .contacts))
        try phone.send(.newContact)
        guard case let .contacts(_, empty?, _) = phone.app.view().body else { throw CheckFailure(description: "form") }
        try check(empty.codePhraseOffered, "silent SMS phone: code phrase offered")
        try checkEq(empty.notices, [.matrix, .silentSms], "form notices")
        try phone.send(.addContact(form: ContactForm(name: "Mira", phone: "+31612345678", webhookUrl: "", language: "",
                                                      triggers: everyTrigger, matrixId: " @mira:example.org ",
                                                      smsCodePhrase: "Did you water my plants?")))
        guard case let .contacts(rows, closed, notices) = phone.app.view().body else { throw CheckFailure(description: "list") }
        try check(closed == nil, "saved: form closed")
        try checkEq(notices, [.matrix, .silentSms], "list notices")
        try phone.send(.editContact(id: rows[0].id))
        guard case let .contacts(_, editor?, _) = phone.app.view().body else { throw CheckFailure(description: "edit") }
        try checkEq(editor.form.matrixId, "@mira:example.org", "Matrix ID shown")
        var form = editor.form
        form.name = "Mira B"
        try phone.send(.updateContact(id: rows[0].id, form: form))
        let saved = try p.alerts().contacts()[0]
        try checkEq(saved.name, "Mira B", "renamed")
        try checkEq(saved.matrixId, "@mira:example.org", "Matrix ID kept")
        try checkEq(saved.smsCodePhrase, "Did you water my plants?", "phrase kept")
    }
    Harness.test("app: a check-in asks for one fix and says when it lives on the phone only") {
        let (_, phone) = try newPhone(iosCaps)
        try phone.addContact("Friend", webhook: "https://example.org/hook")
        try phone.send(.permissionResult(state: PermissionState(permission: .location, status: .granted)))
        try phone.send(.navigate(screen: .checkin))
        let fx = try phone.send(.startCheckin(minutes: 30))
        try check(fx.contains { if case .getLocation = $0 { return true }; return false }, "a fix on start")
        guard case let .checkin(view: .running(_, _, _, _, _, _, _, _, timer, phoneOnly)) = phone.app.view().body
        else { throw CheckFailure(description: "running") }
        try check(phoneOnly && timer == nil, "no Matrix contact: phone only")
        try phone.send(.stopCheckin)
        // A Matrix contact, location refused: the server timer, pending until signed in.
        let (_, mx) = try newPhone(iosCaps)
        mx.answers[.location] = .denied
        try mx.send(.addContact(form: ContactForm(name: "Mx", phone: "", webhookUrl: "", language: "",
                                                   triggers: everyTrigger, matrixId: "@mx:example.org", smsCodePhrase: "")))
        try mx.send(.navigate(screen: .checkin))
        let quiet = try mx.send(.startCheckin(minutes: 30))
        try check(!quiet.contains { if case .getLocation = $0 { return true }; return false }, "no fix asked")
        guard case let .checkin(view: .running(_, _, _, _, _, _, _, _, held, alone)) = mx.app.view().body
        else { throw CheckFailure(description: "running 2") }
        try check(!alone && held?.state == .pending, "a Matrix contact, not signed in: pending")
        try mx.send(.stopCheckin)
    }
    Harness.test("app: no hold without a Matrix account") {
        let (_, phone) = try newPhone(androidCaps)
        try phone.addContact("Mira", webhook: "https://example.org/hook")
        guard case let .ready(_, _, _, _, _, offer) = try phone.alert() else { throw CheckFailure(description: "ready") }
        try checkEq(offer, .noMatrixAccount, "offer")
        try phone.send(.setHoldPin(pin: Data("2468".utf8)))
        try phone.send(.startHold(delaySeconds: 30))
        guard case .ready = try phone.alert() else { throw CheckFailure(description: "nothing started") }
        try phone.send(.releaseHold)
        try phone.send(.confirmHold(pin: Data("2468".utf8)))
        try checkEq(phone.app.view().notice, .notFound, "no hold to end")
    }
    Harness.test("app: helplines by need, and the self-check keeps confidential and police lines apart") {
        let (_, phone) = try newPhone(iosCaps)
        try phone.send(.selectCountry(code: "NL"))
        try phone.send(.navigate(screen: .helplines))
        guard case let .helplines(view: .directory(_, _, needs, stale)) = phone.app.view().body
        else { throw CheckFailure(description: "directory") }
        try checkEq(needs.first?.need, .danger, "danger first")
        try checkEq(stale, false, "bundled content is current")
        try phone.send(.navigate(screen: .rights))
        try phone.send(.startSelfCheck)
        try phone.send(.startSelfCheck)
        for _ in 0..<50 {
            guard case .rights(view: .selfCheck(step: .question)) = phone.app.view().body else { break }
            try phone.send(.answerSelfCheck(answer: true))
        }
        try phone.send(.finishSelfCheck)
        guard case let .rights(view: .selfCheck(step: .outcome(_, _, _, confidential, _, _))) = phone.app.view().body
        else { throw CheckFailure(description: "outcome") }
        try check(!confidential.isEmpty, "confidential services")
        try check(confidential.allSatisfy { !$0.flags.contains(.police) }, "no police line among them")
    }
    let env = ProcessInfo.processInfo.environment
    if let url = env["PARASOL_SYNAPSE_URL"], let user = env["PARASOL_SYNAPSE_USER"],
       let password = env["PARASOL_SYNAPSE_PASSWORD"], let friend = env["PARASOL_SYNAPSE_CONTACT"] {
        Harness.test("app: a hold on the alert screen, kept alive by the core, ended with the PIN (real Synapse)") {
            let (p, phone) = try newPhone(androidCaps)
            _ = try p.alerts().matrixLogin(homeserver: url, user: user, password: password)
            try phone.send(.addContact(form: ContactForm(name: "Friend", phone: "", webhookUrl: "", language: "",
                                                          triggers: everyTrigger, matrixId: friend, smsCodePhrase: "")))
            guard case let .ready(_, _, _, _, _, needs) = try phone.alert() else { throw CheckFailure(description: "ready") }
            try checkEq(needs, .needsPin, "a PIN first")
            try phone.send(.setHoldPin(pin: Data("2468".utf8)))
            guard case let .ready(_, _, _, _, _, offer) = try phone.alert() else { throw CheckFailure(description: "ready 2") }
            try checkEq(offer, .ready(defaultDelaySeconds: 30), "ready")
            let before = phone.nowMs
            try phone.send(.startHold(delaySeconds: 30))
            guard case let .holding(state, _, _, every, timer) = try phone.alert() else { throw CheckFailure(description: "holding") }
            try checkEq(state, .holding, "holding")
            try checkEq(every, 10_000, "a third of the delay")
            try checkEq(timer?.state, .armed, "the homeserver holds it")
            guard let wake = phone.timer else { throw CheckFailure(description: "a keep-alive wake-up") }
            try check((9_000...11_000).contains(wake - before), "the keep-alive wake-up: \(wake - before) ms")
            try phone.send(.releaseHold)
            guard case .holding(.released, _, _, _, _) = try phone.alert() else { throw CheckFailure(description: "let go") }
            try phone.send(.confirmHold(pin: Data("0000".utf8)))
            try checkEq(phone.app.view().notice, .wrongPassphrase, "wrong PIN")
            try phone.send(.confirmHold(pin: Data("2468".utf8)))
            guard case .ready = try phone.alert() else { throw CheckFailure(description: "ended") }
            try checkEq(try p.alerts().hold()?.state, .done, "done, nothing sent")
        }
    }
}
