// Panic, check-in and wake-up presenters against the real core.
import Foundation
import ParasolKit

@MainActor
func panicChecks() async {
    await Harness.test("panic: countdown visible, cancel sends nothing") {
        let s = try await openSession()
        let a = try await s.alerts()
        let sms = ComposerSms()
        a.setSmsSender(sms)
        _ = try await a.addContact(contact("Mira", phone: "+31612345678"))
        let p = PanicPresenter(alerts: a, countdownSeconds: 30)
        var changes = 0
        p.onChange = { changes += 1 }
        await p.trigger()
        guard case let .countingDown(id, _, left) = p.state else { throw CheckFailure(description: "\(p.state)") }
        try check((29...30).contains(left), "seconds left \(left)")
        try check(changes > 0, "views told of the change")
        await p.cancel()
        try checkEq(p.state, .ended(alertId: id, sentSomething: false, safeRows: []), "ended, nothing sent")
        try checkEq(try await a.flushOutbox().attempted, 0, "nothing to send")
        try checkEq(sms.requests.count, 0, "no SMS prepared")
    }
    await Harness.test("panic: fires via the clock; SMS needs the user (iOS composer); I'm safe") {
        let s = try await openSession()
        let a = try await s.alerts()
        let sms = ComposerSms()
        a.setSmsSender(sms)
        let c = try await a.addContact(contact("Sms friend", phone: "+46701234567"))
        let p = PanicPresenter(alerts: a, countdownSeconds: 1)
        await p.trigger()
        await sleepMs(1300)
        await p.onClockTick()
        guard case let .active(id, rows, summary, _) = p.state else { throw CheckFailure(description: "not active: \(p.state) \(String(describing: p.error))") }
        try checkEq(rows.count, 1, "one contact")
        try checkEq(rows[0].contactName, "Sms friend", "name")
        try checkEq(rows[0].label, .tapToSend, "waits for the user")
        try check(rows[0].needsUserAction, "composer needed")
        try checkEq(summary, DeliverySummary(reached: 0, total: 1, waitingForUser: 1), "summary")
        try check(sms.requests.contains { $0.phone == "+46701234567" }, "composer request")
        await p.composerFinished(deliveryId: rows[0].channels[0].deliveryId, sent: true)
        guard case let .active(_, rows2, summary2, _) = p.state else { throw CheckFailure(description: "\(p.state)") }
        try checkEq(rows2[0].label, .sent, "sent after the user tapped send")
        try checkEq(summary2.reached, 1, "reached")
        await p.imSafe()
        guard case let .ended(eid, sent, safe) = p.state else { throw CheckFailure(description: "\(p.state)") }
        try check(eid == id && sent, "resolved after sending")
        try checkEq(safe.map(\.contactId), [c.id], "I'm safe goes to the contact")
    }
    await Harness.test("panic: silent duress hidden; no fix needed; hold gesture") {
        let s = try await openSession()
        let a = try await s.alerts()
        _ = try await a.addContact(contact("Down", webhook: "http://127.0.0.1:9/down"))
        _ = try await s.call { try $0.alerts().triggerDuress() }
        let p = PanicPresenter(alerts: a, countdownSeconds: 0)
        await p.load()
        try checkEq(p.state, .idle, "silent alert hidden")
        await p.trigger()
        guard case let .active(id, rows, _, hasLocation) = p.state else { throw CheckFailure(description: "\(p.state)") }
        try check(!hasLocation, "no fix yet")
        try checkEq(rows.first?.label, .retrying, "refused webhook retried")
        await p.onLocationFix(AlertLocation(latitude: 45.81, longitude: 15.98, accuracyM: 20, fixedAtMs: nil))
        let st = try await a.alertStatus(id)
        try check(st.hasLocation && st.deliveries.contains { $0.kind == .location }, "location follow-up")
        let clock = FakeClock(0)
        let h = PanicPresenter(alerts: a, clock: clock, holdMs: 1500)
        h.pressStart(); clock.now = 700
        try checkEq(h.pressUpdate(), false, "not yet")
        h.pressEnd(); try checkEq(h.holdProgress, 0, "reset")
        h.pressStart(); clock.now = 2200
        try checkEq(h.pressUpdate(), true, "complete")
    }
    await Harness.test("check-in: start, extend, I'm OK, missed fires an alert; wake-up plan") {
        let s = try await openSession()
        let a = try await s.alerts()
        _ = try await a.addContact(contact("Friend", webhook: "http://127.0.0.1:9/down"))
        let ci = CheckinPresenter(alerts: a)
        await ci.start(minutes: 60, graceMinutes: 2, note: "client")
        guard case let .running(deadline, firesAt, remaining, inGrace, note) = ci.state else { throw CheckFailure(description: "\(ci.state)") }
        try check(remaining > 59 * 60_000 && !inGrace && note == "client", "running")
        try checkEq(firesAt - deadline, 120_000, "grace")
        let sched = RecordingScheduler()
        let wake = WakeupCoordinator(alerts: a, scheduler: sched)
        try await wake.reschedule()
        try checkEq(sched.at, firesAt, "scheduled at the check-in's alert time")
        await ci.extend(minutes: 30)
        guard case let .running(d2, _, _, _, _) = ci.state else { throw CheckFailure(description: "\(ci.state)") }
        try checkEq(d2, deadline + 1_800_000, "extended")
        await ci.checkIn()
        try checkEq(ci.state, .finished(outcome: .done, alertId: nil), "done")
        try await wake.reschedule()
        try checkEq(sched.at, nil, "nothing scheduled")
        await ci.start(untilMs: SystemClock().nowMs() + 1000, graceMinutes: 0)
        await sleepMs(1300)
        await ci.onClockTick()
        guard case let .finished(outcome, alertId) = ci.state, outcome == .missed, alertId != nil else {
            throw CheckFailure(description: "missed: \(ci.state) \(String(describing: ci.error))")
        }
        let plan = try await wake.onWake()
        try check(plan.flushWhenOnline && sched.at != nil, "refused webhook keeps a wake-up: \(plan)")
        try checkEq(formatRemaining(3_909_001), "1:05:10", "h:mm:ss")
        try checkEq(WakeupPlan.make(nextWakeupMs: 900, pending: 0, nowMs: 1000), WakeupPlan(runNow: true, alarmAtMs: nil, flushWhenOnline: false), "overdue")
    }
}
