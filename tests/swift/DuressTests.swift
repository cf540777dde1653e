// The journal's duress passphrase raising a silent alert (journal + alerts).
import Foundation

func duressTests() {
    Harness.test("duress passphrase opens the decoy and queues a silent duress alert") {
        let p = try Parasol.open(config: loopbackConfig(tempDir()), keyStore: nil)
        let alerts = try p.alerts()
        _ = try alerts.addContact(input: input("Friend", webhook: "http://127.0.0.1:9/down"))
        let journal = p.journal()
        let real = Data("correct horse battery staple".utf8)
        let duress = Data("visitor passphrase".utf8)
        try journal.create(passphrase: real)
        try journal.setDuress(current: real, duressPassphrase: duress,
                              actions: DuressActions(openDecoy: true, alert: true, wipe: false))
        journal.lock()
        try checkEq(try alerts.activeAlerts().count, 0, "no alert before")
        try journal.unlock(passphrase: duress)
        try check(journal.isUnlocked(), "decoy open")
        let active = try alerts.activeAlerts()
        try checkEq(active.count, 1, "one alert")
        try checkEq(active[0].reason, .duress, "reason")
        try checkEq(active[0].mode, .silent, "silent")
    }
}
