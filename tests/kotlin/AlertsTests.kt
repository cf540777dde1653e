// The panic button through the Kotlin bindings: SmsSender and AlertObserver
// implemented in Kotlin, a webhook receiver on 127.0.0.1 (the JDK's HttpServer).
package org.parasol.tests

import com.sun.net.httpserver.HttpServer
import org.parasol.core.*
import org.parasol.tests.Harness.assertThrows
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test
import java.net.InetSocketAddress
import java.util.Collections

class KtReceiver(port: Int = 0) : AutoCloseable {
    val keys: MutableList<String> = Collections.synchronizedList(mutableListOf())
    val bodies: MutableList<String> = Collections.synchronizedList(mutableListOf())
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", port), 0).apply {
        createContext("/") { ex ->
            keys.add(ex.requestHeaders.getFirst("Idempotency-Key") ?: "")
            bodies.add(ex.requestBody.readBytes().toString(Charsets.UTF_8))
            ex.sendResponseHeaders(200, 2)
            ex.responseBody.use { it.write("ok".toByteArray()) }
        }
        start()
    }
    val url get() = "http://127.0.0.1:${server.address.port}/hook"
    override fun close() = server.stop(0)
}

class KtObserver : AlertObserver {
    val events: MutableList<AlertEvent> = Collections.synchronizedList(mutableListOf())
    override fun onEvent(event: AlertEvent) {
        events.add(event)
    }
}

class KtSms(private val outcome: SmsOutcome?) : SmsSender {
    val requests: MutableList<SmsRequest> = Collections.synchronizedList(mutableListOf())
    override fun sendSms(request: SmsRequest): SmsOutcome {
        requests.add(request)
        return outcome ?: throw ParasolException.Platform("no service")
    }
}

fun loopbackConfig(dir: java.io.File) = ParasolConfig(
    dataDir = dir.absolutePath,
    timeoutSeconds = 2u,
    extraCaPem = null,
    allowInsecureLoopback = true,
    extraTrustedPackKeys = emptyList(),
)

val allTriggers = ContactTriggers(button = true, missedCheckIn = true, duress = true)

fun contactInput(name: String, phone: String? = null, webhook: String? = null) = TrustedContactInput(
    name = name, language = "en", phone = phone, webhookUrl = webhook, pushUrl = null,
    pushToken = null, triggers = allTriggers,
)

fun fast(a: Alerts) {
    a.setSettings(a.settings().copy(retryBaseMs = 10uL, retryCapMs = 20uL))
}

fun alertsTests() {
    test("alerts: the same object, contacts round trip, typed errors") {
        Parasol.open(loopbackConfig(tempDir()), null).use { p ->
            val a = p.alerts()
            check(a === p.alerts() || a.contacts() == p.alerts().contacts(), "same engine")
            a.setSenderName("Ana")
            checkEq(a.senderName(), "Ana", "sender name")
            val c = a.addContact(contactInput("Mira", phone = "+31 6 12345678").copy(
                pushUrl = "https://ntfy.sh/parasol-kt", pushToken = "tk",
                triggers = ContactTriggers(button = true, missedCheckIn = false, duress = false)))
            checkEq(c.phone, "+31612345678", "E.164")
            check(c.hasPushToken, "token stored")
            check(c.createdAtMs > 0, "created")
            val u = a.updateContact(c.id, contactInput("Mira K", phone = "+31612345678"))
            checkEq(u.name, "Mira K", "updated")
            checkEq(a.contact(c.id), u, "contact()")
            checkEq(a.contacts().size, 1, "one contact")
            for (bad in listOf("+31 6 CALLME", "*#06#", "+31612345678#", "+31\u200B612345678")) {
                assertThrows<ParasolException.InvalidInput>(bad) { a.addContact(contactInput("x", phone = bad)) }
            }
            assertThrows<ParasolException.InvalidInput>("http") {
                a.addContact(contactInput("x", webhook = "http://example.org/hook"))
            }
            assertThrows<ParasolException.InvalidInput>("huge note") {
                a.trigger(TriggerRequest(AlertMode.Immediate, AlertReason.BUTTON, null, "x".repeat(100_000)))
            }
            assertThrows<ParasolException.InvalidInput>("settings") {
                a.setSettings(a.settings().copy(parallelism = 0u))
            }
            a.removeContact(c.id)
            assertThrows<ParasolException.NotFound>("removed") { a.removeContact(c.id) }
            assertThrows<ParasolException.NotFound>("no contacts") { a.triggerDuress() }
        }
    }
    test("alerts: trigger, webhook delivered, SMS needs user action, I'm safe") {
        KtReceiver().use { rx ->
            Parasol.open(loopbackConfig(tempDir()), null).use { p ->
                val a = p.alerts()
                fast(a)
                val obs = KtObserver()
                val sms = KtSms(SmsOutcome.NEEDS_USER_ACTION)
                a.setObserver(obs)
                a.setSmsSender(sms)
                val c = a.addContact(contactInput("Both", phone = "+46701234567", webhook = rx.url))
                val t = a.testContact(c.id)
                checkEq(t.map { it.kind }.toSet(), setOf(MessageKind.TEST), "test kind")
                val alert = a.trigger(TriggerRequest(
                    mode = AlertMode.Immediate, reason = AlertReason.BUTTON,
                    location = AlertLocation(52.37, 4.89, 10.0, null), note = "room 12"))
                checkEq(alert.state, AlertState.FIRED, "fired")
                checkEq(alert.mode, AlertMode.Immediate, "mode")
                check(alert.hasLocation, "location")
                checkEq(alert.deliveries.map { it.channel }.toSet(), setOf(DeliveryChannel.SMS, DeliveryChannel.WEBHOOK), "channels")
                val r = a.flushOutbox()
                checkEq(r.delivered, 2u, "test + alert webhooks delivered")
                checkEq(r.needsUserAction, 2u, "two SMS need the user")
                checkEq(r.pending, 0uL, "nothing pending")
                checkEq(r.nextWakeupMs, null, "no wake-up")
                val st = a.alertStatus(alert.id)
                val smsD = st.deliveries.first { it.channel == DeliveryChannel.SMS }
                checkEq(smsD.state, DeliveryState.NEEDS_USER_ACTION, "needs user action")
                check(sms.requests.any { it.deliveryId == smsD.id && it.text.contains("openstreetmap") && !it.silent }, "sms request")
                checkEq(a.reportSms(smsD.id, SmsReport.Sent).state, DeliveryState.SENT, "sent")
                checkEq(a.reportSms(smsD.id, SmsReport.Delivered).state, DeliveryState.DELIVERED, "delivered")
                checkEq(a.delivery(smsD.id).attempts, 1u, "attempts")
                val web = st.deliveries.first { it.channel == DeliveryChannel.WEBHOOK }
                checkEq(web.state, DeliveryState.DELIVERED, "webhook delivered")
                check(rx.keys.contains(web.idempotencyKey), "Idempotency-Key sent")
                val resolved = a.resolve(alert.id)
                checkEq(resolved.state, AlertState.RESOLVED, "resolved")
                check(resolved.deliveries.any { it.kind == MessageKind.SAFE }, "safe follow-up")
                a.tick()
                check(rx.bodies.any { it.contains("\"type\":\"safe\"") }, "safe reached the receiver")
                checkEq(a.activeAlerts().size, 0, "no active alerts")
                checkEq(a.recentAlerts(10u).size, 1, "recent")
                val kinds = obs.events.map { it::class.simpleName }.toSet()
                check(kinds.containsAll(listOf("Fired", "Delivery", "Resolved")), "events: $kinds")
                check(obs.events.any { it is AlertEvent.Delivery && it.delivery.state == DeliveryState.NEEDS_USER_ACTION }, "needs-user-action event")
            }
        }
    }
    test("alerts: countdown cancel sends nothing; throwing SMS sender retries; location") {
        Parasol.open(loopbackConfig(tempDir()), null).use { p ->
            val a = p.alerts()
            fast(a)
            val obs = KtObserver()
            a.setObserver(obs)
            a.setSmsSender(KtSms(null))
            a.addContact(contactInput("Sms", phone = "+48512345678"))
            val c = a.trigger(TriggerRequest(AlertMode.Countdown(30u), AlertReason.BUTTON, null, null))
            checkEq(c.state, AlertState.COUNTDOWN, "countdown")
            checkEq(a.nextWakeupMs(), c.firesAtMs, "wake-up at the countdown")
            checkEq(a.cancel(c.id).state, AlertState.CANCELLED, "cancelled")
            check(obs.events[0] is AlertEvent.CountdownStarted && obs.events[1] is AlertEvent.CountdownCancelled, "events")
            checkEq(a.flushOutbox().attempted, 0u, "nothing sent")
            val d = a.triggerDuress()
            checkEq(d.reason, AlertReason.DURESS, "duress")
            checkEq(d.mode, AlertMode.Silent, "silent")
            checkEq(a.flushOutbox().retrying, 1u, "retrying")
            val del = a.alertStatus(d.id).deliveries[0]
            checkEq(del.state, DeliveryState.QUEUED, "queued again")
            check(del.lastError!!.contains("no service"), "reason kept: ${del.lastError}")
            check(del.nextAttemptAtMs != null, "next attempt")
            val f = a.updateLocation(d.id, AlertLocation(1.0, 2.0, null, 1_700_000_000_000))
            checkEq(f.queued.size, 1, "location follow-up")
            check(a.updateLocation(d.id, AlertLocation(1.0, 2.0, null, null)).deferredUntilMs != null, "rate limited")
            checkEq(a.reportSms(del.id, SmsReport.Failed("x")).state, DeliveryState.QUEUED, "failed report on queued changes nothing")
            assertThrows<ParasolException.InvalidInput>("cancel fired") { a.cancel(d.id) }
            assertThrows<ParasolException.NotFound>("unknown") { a.alertStatus("nope") }
            // Every enum value is reachable from Kotlin.
            checkEq(DeliveryState.values().size, 7, "delivery states")
            checkEq(AlertState.values().size, 4, "alert states")
            checkEq(CheckinState.values().size, 4, "checkin states")
            checkEq(MessageKind.values().toSet(), setOf(MessageKind.ALERT, MessageKind.LOCATION, MessageKind.SAFE, MessageKind.TEST), "kinds")
            checkEq(DeliveryChannel.values().size, 4, "channels")
            checkEq(AlertReason.values().toSet(), setOf(AlertReason.BUTTON, AlertReason.MISSED_CHECK_IN, AlertReason.DURESS), "reasons")
            checkEq(SmsOutcome.values().toSet(), setOf(SmsOutcome.SENT, SmsOutcome.NEEDS_USER_ACTION, SmsOutcome.AWAITING_REPORT, SmsOutcome.CANNOT_SEND), "outcomes")
        }
    }
    test("alerts: check-in start, extend, done, cancel") {
        Parasol.open(loopbackConfig(tempDir()), null).use { p ->
            val a = p.alerts()
            checkEq(a.checkin(), null, "none yet")
            a.addContact(contactInput("A", phone = "+31612345678"))
            val s = a.startCheckin(CheckinRequest(CheckinDeadline.InMinutes(60u), 2u, "client"))
            checkEq(s.state, CheckinState.ACTIVE, "active")
            checkEq(s.firesAtMs - s.deadlineMs, 120_000L, "grace")
            checkEq(s.note, "client", "note")
            checkEq(a.nextWakeupMs(), s.firesAtMs, "wake-up")
            checkEq(a.extendCheckin(30u).deadlineMs, s.deadlineMs + 1_800_000L, "extended")
            checkEq(a.checkIn().state, CheckinState.DONE, "done")
            a.startCheckin(CheckinRequest(CheckinDeadline.At(s.deadlineMs + 3_600_000L), null, null))
            checkEq(a.cancelCheckin().state, CheckinState.CANCELLED, "cancelled")
            checkEq(a.checkin()?.state, CheckinState.CANCELLED, "last check-in")
            assertThrows<ParasolException.NotFound>("nothing running") { a.checkIn() }
            assertThrows<ParasolException.InvalidInput>("past") {
                a.startCheckin(CheckinRequest(CheckinDeadline.At(0L), null, null))
            }
        }
    }
}
