// AppHost on the JVM: the real core behind it, a recording executor in front.
package org.parasol.shared.checks

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import org.parasol.core.AppCapabilities
import org.parasol.core.AppEffect
import org.parasol.core.AppEvent
import org.parasol.core.AlertScreen
import org.parasol.core.ContactForm
import org.parasol.core.ContactTriggers
import org.parasol.core.NotesScreen
import org.parasol.core.NotificationSlot
import org.parasol.core.NotifyReason
import org.parasol.core.Parasol
import org.parasol.core.ParasolConfig
import org.parasol.core.Permission
import org.parasol.core.PermissionState
import org.parasol.core.PermissionStatus
import org.parasol.core.Screen
import org.parasol.core.ScreenBody
import org.parasol.shared.AppHost
import org.parasol.shared.EffectExecutor
import org.parasol.shared.passphraseBytes
import java.io.File
import java.util.Collections

/** Records every effect; answers permission requests with "granted". */
class RecordingExecutor : EffectExecutor {
    lateinit var host: AppHost
    val calls: MutableList<String> = Collections.synchronizedList(mutableListOf())
    override fun requestPermission(permission: Permission, openSettings: Boolean) {
        calls += "permission $permission"
        host.send(AppEvent.PermissionResult(PermissionState(permission, PermissionStatus.GRANTED)))
    }
    override fun sendSms(deliveryId: String, phone: String, text: String) { calls += "sms" }
    override fun composeSms(deliveryId: String, phone: String, text: String) { calls += "composer" }
    override fun getLocation(timeoutMs: Long) {
        calls += "location"
        host.send(AppEvent.LocationResult(null))
    }
    override fun scheduleWakeup(atMs: Long, needsNetwork: Boolean) { calls += "wakeup $needsNetwork $atMs" }
    override fun cancelWakeup(needsNetwork: Boolean) { calls += "cancel-wakeup $needsNetwork" }
    override fun notify(id: String, slot: NotificationSlot, reason: NotifyReason, atMs: Long?) { calls += "notify $reason $atMs" }
    override fun cancelNotifications(slot: NotificationSlot) { calls += "cancel-notifications $slot" }
    override fun openUri(uri: String) { calls += "open $uri" }
    override fun setScreenSecurity(secure: Boolean) { calls += "secure $secure" }
    override fun setLauncherDisguise(disguised: Boolean) { calls += "disguise $disguised" }
    override fun shareFile(path: String) { calls += "share" }
    override fun quickExit(coverUri: String) { calls += "quick-exit" }
}

val PHONE = AppCapabilities(silentSms = true, smsComposer = true, exactWakeups = true, launcherDisguise = true)

fun host(dir: File, scope: CoroutineScope, failOpens: Int = 0): Pair<AppHost, RecordingExecutor> {
    val x = RecordingExecutor()
    var failures = failOpens
    val h = AppHost(
        openProfile = {
            // A Keystore refusal, as Android throws it (not a ParasolException).
            if (failures-- > 0) throw IllegalStateException("keystore unavailable")
            Parasol.open(ParasolConfig(dir.absolutePath, 2u, null, true, emptyList()), null)
        },
        capabilities = PHONE,
        executor = x,
        permissions = { Permission.values().map { PermissionState(it, PermissionStatus.UNKNOWN) } },
        scope = scope,
    )
    x.host = h
    return h to x
}

fun hostChecks() {
    Harness.test("host: a profile that cannot be opened shows the error, is not remembered, and retry opens it") {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        val (h, x) = host(tempDir(), scope, failOpens = 2)
        h.start() // must not throw
        checkEq(h.openFailed.value, true, "error state after the first failure")
        checkEq(h.view.value, null, "nothing rendered")
        checkEq(h.dispatch(AppEvent.WokeUp(false)), false, "a worker learns the open failed")
        check(x.calls.isEmpty(), "no effect without a profile: ${x.calls}")
        h.retry()
        eventually("retry opens the profile") { h.view.value?.screen == Screen.ALERT }
        checkEq(h.openFailed.value, false, "error cleared")
        check(x.calls.contains("secure true"), "a fresh start after the retry: ${x.calls}")
        h.close(); scope.cancel()
    }
    Harness.test("host: starts, secures the screen, renders the alert screen") {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        val (h, x) = host(tempDir(), scope)
        h.start()
        checkEq(h.view.value?.screen, Screen.ALERT, "alert screen")
        check(x.calls.contains("secure true"), "screen security applied: ${x.calls}")
        check(x.calls.contains("cancel-wakeup true"), "a fresh start clears stale jobs")
        // Coming back (rotation, from the background) resumes: the screen stays.
        h.dispatch(AppEvent.Navigate(Screen.CHECKIN))
        h.start()
        checkEq(h.view.value?.screen, Screen.CHECKIN, "resumed, not restarted")
        h.close(); scope.cancel()
    }
    Harness.test("host: the view's clock completes a hold by itself; cancel sends nothing") {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        val (h, x) = host(tempDir(), scope)
        h.start()
        h.dispatch(AppEvent.AddContact(ContactForm("Mira", "+31612345678", "", "",
            ContactTriggers(button = true, missedCheckIn = true, duress = true), "", "")))
        check(x.calls.contains("permission SMS"), "SMS asked for with a phone number: ${x.calls}")
        h.send(AppEvent.HoldStarted)
        eventually("countdown") {
            ((h.view.value?.body as? ScreenBody.Alert)?.view as? AlertScreen.Countdown) != null
        }
        h.dispatch(AppEvent.CancelCountdown)
        val ended = (h.view.value?.body as ScreenBody.Alert).view as AlertScreen.Ended
        checkEq(ended.sentSomething, false, "nothing sent")
        check(x.calls.none { it == "sms" }, "no SMS")
        h.close(); scope.cancel()
    }
    Harness.test("host: a check-in hands two reminders and the alert wake-up to the OS") {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        val (h, x) = host(tempDir(), scope)
        h.start()
        h.dispatch(AppEvent.AddContact(ContactForm("W", "", "https://relay.example.org/hook", "",
            ContactTriggers(button = true, missedCheckIn = true, duress = true), "", "")))
        h.dispatch(AppEvent.StartCheckin(30u))
        val notes = x.calls.filter { it.startsWith("notify") }
        checkEq(notes.size, 2, "two reminders: $notes")
        check(notes[0].startsWith("notify CHECKIN_DEADLINE") && notes[1].startsWith("notify CHECKIN_GRACE"), "$notes")
        val deadline = notes[0].substringAfterLast(' ').toLong()
        check(x.calls.contains("wakeup false ${deadline + 5 * 60_000}"), "alert wake-up after grace: ${x.calls}")
        h.dispatch(AppEvent.CheckIn)
        check(x.calls.contains("cancel-notifications CHECKIN"), "reminders removed")
        h.close(); scope.cancel()
    }
    Harness.test("host: passphrase bytes are wiped after use; an erase reopens a fresh profile") {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        val dir = tempDir()
        val (h, _) = host(dir, scope)
        h.start()
        h.dispatch(AppEvent.Navigate(Screen.NOTES))
        val a = passphraseBytes("a long passphrase 1".toCharArray())
        val b = passphraseBytes("a long passphrase 1".toCharArray())
        h.dispatch(AppEvent.CreateNotes(a, b))
        check(a.all { it == 0.toByte() } && b.all { it == 0.toByte() }, "wiped")
        check((h.view.value?.body as ScreenBody.Notes).view is NotesScreen.Titles, "notes open")
        h.dispatch(AppEvent.Navigate(Screen.SETTINGS))
        h.dispatch(AppEvent.RequestErase)
        h.dispatch(AppEvent.ConfirmErase)
        eventually("fresh profile") {
            val v = h.view.value
            v?.screen == Screen.ALERT
        }
        h.dispatch(AppEvent.Navigate(Screen.NOTES))
        checkEq((h.view.value?.body as ScreenBody.Notes).view, NotesScreen.Setup, "erased: set up again")
        h.close(); scope.cancel()
    }
    Harness.test("host: a wake-up due now runs at once, in the process") {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        val (h, x) = host(tempDir(), scope)
        h.start()
        h.dispatch(AppEvent.AddContact(ContactForm("W", "", "https://127.0.0.1:9/down", "",
            ContactTriggers(button = true, missedCheckIn = true, duress = true), "", "")))
        h.dispatch(AppEvent.Navigate(Screen.CONTACTS))
        val id = (h.view.value!!.body as ScreenBody.Contacts).rows.single().id
        h.dispatch(AppEvent.TestContact(id))
        // The test message is due now: the host ran the wake-up itself (the
        // server refused it), then the retry went to the OS as a later timer
        // and a network job. No wake-up in the past is handed to the OS.
        eventually("retry scheduled") { x.calls.any { it.startsWith("wakeup true") } }
        val now = System.currentTimeMillis()
        check(x.calls.filter { it.startsWith("wakeup false") }.all { it.substringAfterLast(' ').toLong() > now - 1_000 },
            "no past wake-up handed to the OS: ${x.calls}")
        h.close(); scope.cancel()
    }
}
