// The Matrix account, server-held timers and the hold mode through the Swift
// bindings on Linux. Local parts always run; the Matrix parts run against the
// test run's Synapse (users registered by scripts/binding-tests.sh) and are
// required when PARASOL_REQUIRE_SYNAPSE=1.
import Foundation

func matrixTests() {
    Harness.test("hold: PIN, keep-alive, release, wrong and right PIN (no Matrix)") {
        let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
        let a = try p.alerts()
        _ = try a.addContact(input: input("A", phone: "+31612345678"))
        try check(!(try a.hasHoldPin()), "no PIN yet")
        try expectError("no PIN", isInvalid) {
            _ = try a.holdStart(request: HoldRequest(delaySeconds: 30, location: nil, note: nil))
        }
        try a.setHoldPin(pin: Data("2468".utf8))
        try check(try a.hasHoldPin(), "PIN set")
        let h = try a.holdStart(request: HoldRequest(delaySeconds: 30, location: nil, note: "walking home"))
        try checkEq(h.state, .holding, "holding")
        try checkEq(h.keepAliveEveryMs, 10_000, "keep-alive every third")
        try check(h.serverTimer == nil, "no Matrix contact")
        try check(try a.holdKeepAlive().deadlineMs >= h.deadlineMs, "kept alive")
        try checkEq(try a.holdRelease().state, .released, "let go")
        try expectError("wrong PIN", isWrong) { _ = try a.holdConfirm(pin: Data("0000".utf8)) }
        try checkEq(try a.hold()?.state, .released, "still let go")
        try checkEq(try a.holdConfirm(pin: Data("2468".utf8)).state, .done, "confirmed")
        try a.setHoldPin(pin: nil)
        try check(!(try a.hasHoldPin()), "PIN removed")
    }
    Harness.test("check-in moves, last place, clean-up, set-up texts") {
        let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
        let a = try p.alerts()
        var i = input("A", phone: "+31612345678")
        i.smsCodePhrase = "Pizza tonight?"
        _ = try a.addContact(input: i)
        try checkEq(try a.contacts()[0].smsCodePhrase, "Pizza tonight?", "code phrase")
        let s = try a.startCheckin(request: CheckinRequest(deadline: .inMinutes(minutes: 60), graceMinutes: 0, note: nil,
                                                           location: AlertLocation(latitude: 1, longitude: 2, accuracyM: nil, fixedAtMs: nil)))
        try checkEq(try a.extendCheckinTo(atMs: s.deadlineMs + 600_000).deadlineMs, s.deadlineMs + 600_000, "moved")
        try checkEq(try a.updateCheckinLocation(location: AlertLocation(latitude: 3, longitude: 4, accuracyM: 10, fixedAtMs: nil)).state, .active, "place")
        try expectError("earlier", isInvalid) { _ = try a.extendCheckinTo(atMs: s.deadlineMs) }
        _ = try a.cancelCheckin()
        try checkEq(try a.prune(), PruneReport(alerts: 0, deliveries: 0, checkins: 0), "nothing old yet")
        try checkEq(a.settings().retentionDays, 7, "retention default")
        try check(setupNotice(notice: .silentSms, language: "en").contains("Sent"), "sms notice")
        try check(setupNotice(notice: .matrix, language: "en").contains("not end-to-end encrypted"), "matrix notice")
    }
    let env = ProcessInfo.processInfo.environment
    guard let url = env["PARASOL_SYNAPSE_URL"], let user = env["PARASOL_SYNAPSE_USER"],
          let password = env["PARASOL_SYNAPSE_PASSWORD"], let contact = env["PARASOL_SYNAPSE_CONTACT"] else {
        Harness.test("matrix: a Synapse for the test run") {
            try check(env["PARASOL_REQUIRE_SYNAPSE"] != "1", "PARASOL_REQUIRE_SYNAPSE=1 but no Synapse users")
            print("SKIPPED matrix tests: no Synapse")
        }
        return
    }
    Harness.test("matrix: sign in, deliver, timers, hold, sign out (real Synapse)") {
        var config = loopbackConfig(tempDir())
        config.timeoutSeconds = 10
        let p = try Parasol.open(config: config, keyStore: nil)
        let a = try p.alerts()
        try fastSettings(a)
        do {
            _ = try a.matrixLogin(homeserver: url, user: user, password: "not it")
            throw CheckFailure(description: "wrong password accepted")
        } catch MatrixError.WrongPassword {}
        do {
            _ = try a.matrixLogin(homeserver: "http://127.0.0.1:9", user: user, password: password)
            throw CheckFailure(description: "not a homeserver accepted")
        } catch MatrixError.UnknownHomeserver {}
        let st = try a.matrixLogin(homeserver: url, user: user, password: password)
        try checkEq(st.userId, user, "signed in")
        try check((st.maxDelayMs ?? 0) >= 3_600_000, "delayed events supported")
        let c = try a.addContact(input: TrustedContactInput(name: "Friend", language: "en", phone: nil, webhookUrl: nil,
                                                           pushUrl: nil, pushToken: nil, triggers: everyTrigger, matrixId: contact))
        try checkEq(c.matrixId, contact, "matrix id")
        let alert = try a.trigger(request: TriggerRequest(mode: .immediate, reason: .button, location: nil, note: "swift alert"))
        var delivered = false
        for _ in 0..<50 {
            _ = try a.flushOutbox()
            if try a.alertStatus(alertId: alert.id).deliveries[0].state == .delivered { delivered = true; break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        try check(delivered, "delivered to the room")
        try checkEq(try a.alertStatus(alertId: alert.id).deliveries[0].channel, .matrix, "matrix channel")
        try checkEq(try a.matrixStatus(checkRooms: true).rooms[0].state, .invited, "invited")
        let ci = try a.startCheckin(request: CheckinRequest(deadline: .inMinutes(minutes: 60), graceMinutes: 0, note: "swift check-in"))
        try checkEq(ci.serverTimer?.state, .armed, "server timer armed")
        try checkEq(ci.serverTimer?.firesAtMs, ci.firesAtMs, "fires at deadline + grace")
        do {
            _ = try a.matrixLogout()
            throw CheckFailure(description: "signed out while a timer was held")
        } catch MatrixError.Other {}
        try checkEq(try a.checkIn().serverTimer?.state, .cancelled, "cancelled on the server")
        try a.setHoldPin(pin: Data("1357".utf8))
        let h = try a.holdStart(request: HoldRequest(delaySeconds: 60, location: nil, note: "swift hold"))
        try checkEq(h.serverTimer?.state, .armed, "hold armed")
        try checkEq(try a.holdKeepAlive().serverTimer?.state, .armed, "restarted")
        _ = try a.holdRelease()
        try checkEq(try a.holdConfirm(pin: Data("1357".utf8)).serverTimer?.state, .cancelled, "hold cancelled")
        try check(try a.matrixLogout(), "signed out on the server")
        do {
            _ = try a.matrixLogout()
            throw CheckFailure(description: "signed out twice")
        } catch MatrixError.NotSignedIn {}
    }
}
