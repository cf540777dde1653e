// The panic and check-in presenters driving the real core: countdown and
// cancel, delivery rows from a real flush, "I'm safe", silent alerts hidden,
// location follow-ups, press-and-hold, check-in timer and wake-up planning.
package org.parasol.shared.checks

import com.sun.net.httpserver.HttpServer
import kotlinx.coroutines.delay
import org.parasol.core.AlertLocation
import org.parasol.core.CheckinState
import org.parasol.core.ContactTriggers
import org.parasol.core.DeliveryChannel
import org.parasol.core.MessageKind
import org.parasol.core.SmsOutcome
import org.parasol.core.SmsRequest
import org.parasol.core.SmsSender
import org.parasol.core.TrustedContactInput
import org.parasol.shared.CheckinPresenter
import org.parasol.shared.CheckinUiState
import org.parasol.shared.Clock
import org.parasol.shared.ContactForm
import org.parasol.shared.ContactsPresenter
import org.parasol.shared.DeliveryLabel
import org.parasol.shared.LastKnownLocation
import org.parasol.shared.PanicPresenter
import org.parasol.shared.PanicState
import org.parasol.shared.UiError
import org.parasol.shared.WakeupCoordinator
import org.parasol.shared.WakeupPlan
import org.parasol.shared.WakeupPlanner
import org.parasol.shared.WakeupScheduler
import org.parasol.shared.formatRemaining
import org.parasol.shared.checks.Harness.test
import java.net.InetSocketAddress
import java.util.Collections

/** A webhook receiver on 127.0.0.1 that answers 200. */
class Receiver : AutoCloseable {
    val bodies: MutableList<String> = Collections.synchronizedList(mutableListOf())
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
        createContext("/") { ex ->
            bodies.add(ex.requestBody.readBytes().toString(Charsets.UTF_8))
            ex.sendResponseHeaders(200, 2)
            ex.responseBody.use { it.write("ok".toByteArray()) }
        }
        start()
    }
    val url get() = "http://127.0.0.1:${server.address.port}/hook"
    override fun close() = server.stop(0)
}

/** An Android-style sender: hands the SMS over and says Sent. */
class RecordingSms : SmsSender {
    val requests: MutableList<SmsRequest> = Collections.synchronizedList(mutableListOf())
    override fun sendSms(request: SmsRequest): SmsOutcome {
        requests.add(request)
        return SmsOutcome.SENT
    }
}

class RecordingScheduler : WakeupScheduler {
    var alarmAt: Long? = null
    var cancelled = 0
    var onlineJob = false
    override fun setAlarm(atMs: Long) { alarmAt = atMs }
    override fun cancelAlarm() { alarmAt = null; cancelled++ }
    override fun setFlushWhenOnline(enabled: Boolean) { onlineJob = enabled }
}

val every = ContactTriggers(button = true, missedCheckIn = true, duress = true)

fun panicChecks() {
    test("panic: countdown is visible, cancel sends nothing") {
        Receiver().use { rx ->
            withClient { p ->
                val a = p.alerts()
                a.addContact(TrustedContactInput("Mira", "en", null, rx.url, null, null, every))
                val panic = PanicPresenter(a, countdownSeconds = 30)
                panic.trigger()
                val s = panic.state.value
                check(s is PanicState.CountingDown, "counting down: $s")
                s as PanicState.CountingDown
                check(s.secondsLeft in 29..30, "seconds left ${s.secondsLeft}")
                panic.onClockTick()
                check(panic.state.value is PanicState.CountingDown, "still counting after a tick")
                panic.cancel()
                checkEq(panic.state.value, PanicState.Ended(s.alertId, sentSomething = false, safeRows = emptyList()), "ended, nothing sent")
                checkEq(a.flushOutbox().attempted, 0u, "nothing to send")
                checkEq(rx.bodies.size, 0, "receiver got nothing")
                panic.dismiss()
                checkEq(panic.state.value, PanicState.Idle, "back to the button")
            }
        }
    }
    test("panic: countdown fires through onClockTick; rows per contact; I'm safe tells them") {
        Receiver().use { rx ->
            withClient { p ->
                val a = p.alerts()
                val sms = RecordingSms()
                a.setSmsSender(sms)
                val web = a.addContact(TrustedContactInput("Web friend", "en", null, rx.url, null, null, every))
                val phone = a.addContact(TrustedContactInput("Sms friend", "en", "+31612345678", null, null, null, every))
                val panic = PanicPresenter(a, countdownSeconds = 1)
                panic.trigger()
                check(panic.state.value is PanicState.CountingDown, "counting down")
                delay(1300)
                panic.onClockTick()
                val s = panic.state.value
                check(s is PanicState.Active, "fired: $s")
                s as PanicState.Active
                val byName = s.rows.associateBy { it.contactName }
                checkEq(byName["Web friend"]?.label, DeliveryLabel.DELIVERED, "webhook delivered")
                checkEq(byName["Sms friend"]?.label, DeliveryLabel.SENT, "SMS handed over")
                checkEq(byName["Sms friend"]?.channels?.single()?.channel, DeliveryChannel.SMS, "sms channel")
                checkEq(s.summary.reached, 2, "both reached")
                checkEq(s.summary.total, 2, "two contacts")
                check(sms.requests.any { it.phone == "+31612345678" && !it.silent }, "SMS asked of the platform")
                // The Android sent/delivered intents report back.
                val smsId = byName["Sms friend"]!!.channels.single().deliveryId
                panic.reportSms(smsId, sent = true)
                val d = a.reportSms(smsId, org.parasol.core.SmsReport.Delivered)
                panic.onEvent(org.parasol.core.AlertEvent.Delivery(d))
                checkEq((panic.state.value as PanicState.Active).rows.first { it.contactId == phone.id }.label,
                    DeliveryLabel.DELIVERED, "delivery report shown")
                panic.imSafe()
                val e = panic.state.value
                check(e is PanicState.Ended && e.sentSomething, "resolved: $e")
                e as PanicState.Ended
                checkEq(e.safeRows.map { it.contactId }.toSet(), setOf(web.id, phone.id), "both told I'm safe")
                check(rx.bodies.any { it.contains("\"type\":\"safe\"") }, "safe message reached the webhook")
            }
        }
    }
    test("panic: a silent duress alert is never shown; the first alert never waits for a fix") {
        withClient { p ->
            val a = p.alerts()
            a.addContact(TrustedContactInput("Down", "en", null, "http://127.0.0.1:9/down", null, null, every))
            p.call { it.alerts().triggerDuress() }
            val panic = PanicPresenter(a, countdownSeconds = 0, location = LastKnownLocation.None)
            panic.load()
            checkEq(panic.state.value, PanicState.Idle, "silent alert hidden")
            val started = System.nanoTime()
            panic.trigger()
            val s = panic.state.value
            check(s is PanicState.Active, "immediate alert: $s")
            s as PanicState.Active
            check(!s.hasLocation, "no fix yet")
            checkEq(s.rows.single().label, DeliveryLabel.RETRYING, "refused webhook is retried")
            check((System.nanoTime() - started) / 1_000_000 < 10_000, "did not wait")
            panic.onLocationFix(AlertLocation(52.37, 4.89, 15.0, null))
            val st = a.alertStatus(s.alertId)
            check(st.hasLocation, "location recorded")
            check(st.deliveries.any { it.kind == MessageKind.LOCATION }, "location follow-up queued")
        }
    }
    test("panic: press-and-hold needs the full hold") {
        withClient { p ->
            val clock = FakeClock(0)
            val panic = PanicPresenter(p.alerts(), clock = clock, holdMs = 1500)
            panic.pressStart()
            clock.now = 700
            checkEq(panic.pressUpdate(), false, "not yet")
            check(panic.holdProgress.value in 0.46f..0.47f, "progress ${panic.holdProgress.value}")
            panic.pressEnd()
            checkEq(panic.holdProgress.value, 0f, "released early: reset")
            clock.now = 1000
            panic.pressStart()
            clock.now = 2500
            checkEq(panic.pressUpdate(), true, "complete")
            checkEq(panic.pressUpdate(), false, "fires once")
        }
    }
    test("check-in: start, extend, I'm OK; a missed one fires an alert") {
        withClient { p ->
            val a = p.alerts()
            a.addContact(TrustedContactInput("Friend", "en", "+46701234567", null, null, null, every))
            val ci = CheckinPresenter(a)
            ci.load()
            checkEq(ci.state.value, CheckinUiState.NotRunning, "nothing yet")
            ci.start(60, graceMinutes = 2, note = "client")
            val r = ci.state.value as CheckinUiState.Running
            check(r.remainingMs in 59 * 60_000L..60 * 60_000L, "an hour left: ${r.remainingMs}")
            checkEq(r.firesAtMs - r.deadlineMs, 120_000L, "grace")
            check(!r.inGrace, "not in grace")
            ci.extend(30)
            checkEq((ci.state.value as CheckinUiState.Running).deadlineMs, r.deadlineMs + 1_800_000L, "extended")
            ci.checkIn()
            checkEq(ci.state.value, CheckinUiState.Finished(CheckinState.DONE, null), "done")
            ci.startUntil(System.currentTimeMillis() + 1_000, graceMinutes = 0)
            check(ci.state.value is CheckinUiState.Running, "running: ${ci.state.value} ${ci.error.value}")
            delay(1300)
            ci.onClockTick()
            val f = ci.state.value
            check(f is CheckinUiState.Finished && f.outcome == CheckinState.MISSED && f.alertId != null, "missed: $f")
            checkEq(formatRemaining(3_909_001), "1:05:10", "h:mm:ss rounds up")
            checkEq(formatRemaining(249_000), "4:09", "m:ss")
            checkEq(formatRemaining(-5), "0:00", "never negative")
        }
    }
    test("wake-ups: the core's schedule becomes alarm and network job") {
        checkEq(WakeupPlanner.plan(null, 0, 1000), WakeupPlan(false, null, false), "nothing")
        checkEq(WakeupPlanner.plan(900, 0, 1000), WakeupPlan(true, null, false), "overdue: now")
        checkEq(WakeupPlanner.plan(5000, 2, 1000), WakeupPlan(false, 5000, true), "later, pending")
        withClient { p ->
            val a = p.alerts()
            a.addContact(TrustedContactInput("Down", "en", null, "http://127.0.0.1:9/down", null, null, every))
            val sched = RecordingScheduler()
            val wake = WakeupCoordinator(a, sched)
            val panic = PanicPresenter(a, countdownSeconds = 120)
            panic.trigger()
            val s = panic.state.value as PanicState.CountingDown
            wake.reschedule()
            checkEq(sched.alarmAt, s.firesAtMs, "alarm at the countdown")
            panic.cancel()
            wake.reschedule()
            checkEq(sched.alarmAt, null, "alarm cancelled")
            check(sched.cancelled >= 1, "cancel called")
            val ci = CheckinPresenter(a)
            ci.startUntil(System.currentTimeMillis() + 800, graceMinutes = 0)
            delay(1000)
            val plan = wake.onWake() // the alarm: fires the missed check-in, the refused webhook is retried
            checkEq(plan.flushWhenOnline, true, "pending delivery: flush when online")
            check(sched.onlineJob, "job registered")
            check(sched.alarmAt != null && sched.alarmAt!! > System.currentTimeMillis() - 1000, "retry alarm set")
        }
    }
    test("contacts: the core refuses bad numbers, normalises good ones") {
        withClient { p ->
            val c = ContactsPresenter(p.alerts())
            checkEq(c.add(ContactForm("X", phone = "+31 6 CALLME")), null, "refused")
            checkEq(c.error.value, UiError.INVALID_INPUT, "invalid input shown")
            val ok = c.add(ContactForm("Ana", phone = "+31 6 12345678"))
            checkEq(ok?.phone, "+31612345678", "E.164")
            checkEq(c.error.value, null, "error cleared")
            checkEq(c.contacts.value.map { it.name }, listOf("Ana"), "listed")
            c.remove(ok!!.id)
            checkEq(c.contacts.value.size, 0, "removed")
        }
    }
}
