// The Matrix account, server-held timers and the hold mode through the
// Kotlin bindings. The local parts (hold PIN, hold without Matrix, check-in
// moves, clean-up, set-up texts) always run; the Matrix parts run against the
// test run's Synapse (scripts/test.sh registers the users) and are required
// when PARASOL_REQUIRE_SYNAPSE=1.
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.assertThrows
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test

fun matrixTests() {
    test("hold: PIN, keep-alive, release, wrong and right PIN (no Matrix)") {
        Parasol.open(loopbackConfig(tempDir()), null).use { p ->
            val a = p.alerts()
            a.addContact(contactInput("A", phone = "+31612345678"))
            check(!a.hasHoldPin(), "no PIN yet")
            assertThrows<ParasolException.InvalidInput>("no PIN") { a.holdStart(HoldRequest(30u, null, null)) }
            a.setHoldPin("2468".toByteArray())
            check(a.hasHoldPin(), "PIN set")
            val h = a.holdStart(HoldRequest(30u, AlertLocation(52.37, 4.89, null, null), "walking home"))
            checkEq(h.state, HoldState.HOLDING, "holding")
            checkEq(h.keepAliveEveryMs, 10_000uL, "keep-alive every third")
            checkEq(h.serverTimer, null, "no Matrix contact")
            check(a.holdKeepAlive().deadlineMs >= h.deadlineMs, "kept alive")
            checkEq(a.holdRelease().state, HoldState.RELEASED, "let go")
            assertThrows<ParasolException.WrongPassphrase>("wrong PIN") { a.holdConfirm("0000".toByteArray()) }
            checkEq(a.hold()?.state, HoldState.RELEASED, "still let go")
            checkEq(a.holdConfirm("2468".toByteArray()).state, HoldState.DONE, "confirmed")
            a.setHoldPin(null)
            check(!a.hasHoldPin(), "PIN removed")
        }
    }
    test("check-in moves, last place, clean-up, set-up texts") {
        Parasol.open(loopbackConfig(tempDir()), null).use { p ->
            val a = p.alerts()
            a.addContact(contactInput("A", phone = "+31612345678").copy(smsCodePhrase = "Pizza tonight?"))
            checkEq(a.contacts()[0].smsCodePhrase, "Pizza tonight?", "code phrase")
            val s = a.startCheckin(CheckinRequest(CheckinDeadline.InMinutes(60u), 0u, null, AlertLocation(1.0, 2.0, null, null)))
            checkEq(a.extendCheckinTo(s.deadlineMs + 600_000L).deadlineMs, s.deadlineMs + 600_000L, "moved")
            checkEq(a.updateCheckinLocation(AlertLocation(3.0, 4.0, 10.0, null)).state, CheckinState.ACTIVE, "place")
            assertThrows<ParasolException.InvalidInput>("earlier") { a.extendCheckinTo(s.deadlineMs) }
            a.cancelCheckin()
            checkEq(a.prune(), PruneReport(0u, 0u, 0u), "nothing old yet")
            checkEq(a.settings().retentionDays, 7u, "retention default")
            check(setupNotice(SetupNotice.SILENT_SMS, "en").contains("Sent"), "sms notice")
            check(setupNotice(SetupNotice.MATRIX, "en").contains("not end-to-end encrypted"), "matrix notice")
        }
    }
    val url = System.getenv("PARASOL_SYNAPSE_URL")
    val user = System.getenv("PARASOL_SYNAPSE_USER")
    val password = System.getenv("PARASOL_SYNAPSE_PASSWORD")
    val contact = System.getenv("PARASOL_SYNAPSE_CONTACT")
    if (url == null || user == null || password == null || contact == null) {
        test("matrix: a Synapse for the test run") {
            check(System.getenv("PARASOL_REQUIRE_SYNAPSE") != "1", "PARASOL_REQUIRE_SYNAPSE=1 but no Synapse users")
            println("SKIPPED matrix tests: no Synapse")
        }
        return
    }
    test("matrix: sign in, deliver, timers, hold, sign out (real Synapse)") {
        Parasol.open(loopbackConfig(tempDir()).copy(timeoutSeconds = 10u), null).use { p ->
            val a = p.alerts()
            fast(a)
            val wrong = assertThrows<MatrixException>("wrong password") { a.matrixLogin(url, user, "not it") }
            check(wrong is MatrixException.WrongPassword, "typed: $wrong")
            assertThrows<MatrixException.UnknownHomeserver>("not a homeserver") {
                a.matrixLogin("http://127.0.0.1:9", user, password)
            }
            val st = a.matrixLogin(url, user, password)
            checkEq(st.userId, user, "signed in")
            check((st.maxDelayMs ?: 0uL) >= 3_600_000uL, "delayed events supported")
            val c = a.addContact(TrustedContactInput("Friend", "en", null, null, null, null, allTriggers, null, contact))
            checkEq(c.matrixId, contact, "matrix id")
            val alert = a.trigger(TriggerRequest(AlertMode.Immediate, AlertReason.BUTTON, null, "kotlin alert"))
            var delivered = false
            for (i in 0 until 50) {
                a.flushOutbox()
                if (a.alertStatus(alert.id).deliveries[0].state == DeliveryState.DELIVERED) { delivered = true; break }
                Thread.sleep(200)
            }
            check(delivered, "delivered to the room: ${a.alertStatus(alert.id).deliveries[0]}")
            checkEq(a.alertStatus(alert.id).deliveries[0].channel, DeliveryChannel.MATRIX, "matrix channel")
            checkEq(a.matrixStatus(true).rooms[0].state, MatrixContactState.INVITED, "invited")
            val ci = a.startCheckin(CheckinRequest(CheckinDeadline.InMinutes(60u), 0u, "kotlin check-in", null))
            checkEq(ci.serverTimer?.state, ServerTimerState.ARMED, "server timer armed")
            checkEq(ci.serverTimer?.firesAtMs, ci.firesAtMs, "fires at deadline + grace")
            assertThrows<MatrixException.Other>("no sign-out while held") { a.matrixLogout() }
            checkEq(a.checkIn().serverTimer?.state, ServerTimerState.CANCELLED, "cancelled on the server")
            a.setHoldPin("1357".toByteArray())
            val h = a.holdStart(HoldRequest(60u, null, "kotlin hold"))
            checkEq(h.serverTimer?.state, ServerTimerState.ARMED, "hold armed")
            checkEq(a.holdKeepAlive().serverTimer?.state, ServerTimerState.ARMED, "restarted")
            a.holdRelease()
            checkEq(a.holdConfirm("1357".toByteArray()).serverTimer?.state, ServerTimerState.CANCELLED, "hold cancelled")
            check(a.matrixLogout(), "signed out on the server")
            assertThrows<MatrixException.NotSignedIn>("signed out") { a.matrixLogout() }
        }
    }
}
