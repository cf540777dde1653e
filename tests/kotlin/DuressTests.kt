// The journal's duress passphrase raising a silent alert (journal + alerts).
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test

fun duressTests() {
    test("duress passphrase opens the decoy and queues a silent duress alert") {
        Parasol.open(loopbackConfig(tempDir()), null).use { p ->
            val alerts = p.alerts()
            alerts.addContact(TrustedContactInput(
                name = "Friend", language = "en", phone = null,
                webhookUrl = "http://127.0.0.1:9/down", pushUrl = null, pushToken = null,
                triggers = ContactTriggers(button = true, missedCheckIn = true, duress = true)))
            val journal = p.journal()
            val real = "correct horse battery staple".toByteArray()
            val duress = "visitor passphrase".toByteArray()
            journal.create(real)
            journal.setDuress(real, duress, DuressActions(openDecoy = true, alert = true, wipe = false))
            journal.lock()
            checkEq(alerts.activeAlerts().size, 0, "no alert before")
            journal.unlock(duress)
            check(journal.isUnlocked(), "decoy open")
            val active = alerts.activeAlerts()
            checkEq(active.size, 1, "one alert")
            checkEq(active[0].reason, AlertReason.DURESS, "reason")
            checkEq(active[0].mode, AlertMode.Silent, "silent")
        }
    }
}
