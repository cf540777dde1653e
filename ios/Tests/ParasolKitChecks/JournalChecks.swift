// Journal, settings and contacts presenters against the real core.
import Foundation
import ParasolKit

@MainActor
func journalChecks() async {
    await Harness.test("journal: setup, wrong then right passphrase, incident, secrets wiped") {
        let s = try await openSession()
        let j = JournalPresenter(journal: s.journal)
        await j.load()
        try checkEq(j.state, .needsSetup, "setup")
        let a = Secret("river stone"), b = Secret("river stones")
        await j.create(a, confirmation: b)
        try checkEq(j.error, .mismatch, "mismatch")
        try check(a.isWiped && b.isWiped, "wiped")
        try checkEq(try await s.journal.exists(), false, "nothing created")
        await j.create(Secret("river stone"), confirmation: Secret("river stone"))
        try checkEq(j.state, .unlocked([]), "open")
        var f = IncidentForm(title: "Van")
        f.vehicle = "grey van"; f.location = "  "
        let id = await j.addIncident(f)
        let e = await j.entry(id!)
        try checkEq(e?.incident?.vehicle, "grey van", "field")
        try checkEq(e?.incident?.location, nil, "blank is not said")
        try checkEq(await j.addNote(title: " ", body: "x"), nil, "empty title refused")
        try checkEq(j.error, .invalidInput, "invalid")
        j.lock()
        let wrong = Secret("river")
        await j.unlock(wrong)
        try checkEq(j.error, .wrongPassphrase, "wrong")
        try checkEq(j.state, .locked(failedAttempts: 1, wipeAfter: nil), "attempt counted")
        try check(wrong.isWiped, "wrong wiped")
        let right = Secret("river stone")
        await j.unlock(right)
        try check(right.isWiped, "right wiped")
        guard case let .unlocked(list) = j.state else { throw CheckFailure(description: "\(j.state)") }
        try checkEq(list.map(\.title), ["Van"], "list")
        let path = tempDir() + "/j.backup"
        let exported = await j.exportBackup(current: Secret("river stone"), backup: Secret("other"), path: path)
        try check(exported && FileManager.default.fileExists(atPath: path), "exported")
    }
    await Harness.test("settings: duress decoy; wipe needs two steps within the window") {
        let s = try await openSession()
        let j = JournalPresenter(journal: s.journal)
        await j.create(Secret("real one"), confirmation: Secret("real one"))
        await j.addNote(title: "private", body: "x")
        let clock = FakeClock()
        let st = SettingsPresenter(journal: s.journal, clock: clock)
        await st.setDuress(current: Secret("real one"), duress: Secret("visitor"), confirmation: Secret("visit"),
                           actions: DuressActions(openDecoy: true, alert: false, wipe: false))
        try checkEq(st.error, .mismatch, "typed twice")
        await st.setDuress(current: Secret("real one"), duress: Secret("visitor"), confirmation: Secret("visitor"),
                           actions: DuressActions(openDecoy: true, alert: false, wipe: false))
        try check(st.saved, "saved: \(String(describing: st.error))")
        j.lock()
        await j.unlock(Secret("visitor"))
        try checkEq(j.state, .unlocked([]), "decoy")
        try checkEq(await st.confirmWipe(), false, "one step is not enough")
        st.requestWipe(); clock.now += 11_000
        try checkEq(await st.confirmWipe(), false, "expired")
        try check(try await s.journal.exists(), "still there")
        st.requestWipe(); clock.now += 2_000
        try checkEq(await st.confirmWipe(), true, "wiped")
        try checkEq(st.wipe, .wiped, "state")
        try checkEq(try await s.journal.exists(), false, "gone")
    }
    await Harness.test("contacts: core refuses bad numbers, normalises good ones") {
        let s = try await openSession()
        let c = ContactsPresenter(alerts: try await s.alerts())
        try check(await c.add(name: "X", phone: "*#06#") == nil, "refused")
        try checkEq(c.error, .invalidInput, "invalid")
        let ok = await c.add(name: "Ana", phone: "+31 6 12345678")
        try checkEq(ok?.phone, "+31612345678", "E.164")
        try checkEq(c.contacts.map(\.name), ["Ana"], "listed")
    }
}
