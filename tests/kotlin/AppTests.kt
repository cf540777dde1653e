// The headless app through the Kotlin bindings: the journeys of issue 11 with
// a fake effect executor (what a phone would do with each effect), against a
// webhook receiver on 127.0.0.1. The real clock runs: waits are short and bounded.
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test

val ANDROID_CAPS = AppCapabilities(silentSms = true, smsComposer = true, exactWakeups = true, launcherDisguise = true)
val IOS_CAPS = AppCapabilities(silentSms = false, smsComposer = true, exactWakeups = false, launcherDisguise = false)

/** Performs effects as a phone would, and records them. */
class FakePhone(val app: App) {
    val seen = mutableListOf<AppEffect>()
    val answers = mutableMapOf<Permission, PermissionStatus>()
    var online = true
    var networkJob: Long? = null
    var timer: Long? = null
    val scheduled = mutableMapOf<String, AppEffect.Notify>()
    val composers = mutableListOf<String>()
    val radio = mutableListOf<String>()
    val opened = mutableListOf<String>()

    /** Sends an event and performs what follows; returns the first event's effects. */
    fun send(event: AppEvent): List<AppEffect> {
        val queue = ArrayDeque(listOf(event))
        var first: List<AppEffect>? = null
        repeat(100) {
            val e = queue.removeFirstOrNull() ?: return first ?: emptyList()
            val fx = app.update(e)
            if (first == null) first = fx
            for (f in fx) {
                seen += f
                perform(f)?.let { queue.addLast(it) }
            }
        }
        throw AssertionError("effects never settle")
    }

    private fun perform(f: AppEffect): AppEvent? = when (f) {
        is AppEffect.RequestPermission ->
            AppEvent.PermissionResult(PermissionState(f.permission, answers[f.permission] ?: PermissionStatus.GRANTED))
        is AppEffect.SendSms -> { radio += f.deliveryId; AppEvent.SmsResult(f.deliveryId, SmsSendResult.Sent) }
        is AppEffect.ComposeSms -> { composers += f.deliveryId; null }
        is AppEffect.GetLocation -> AppEvent.LocationResult(AlertLocation(52.37, 4.89, 20.0, null))
        is AppEffect.ScheduleWakeup ->
            if (f.needsNetwork) {
                if (networkJob == null) networkJob = f.atMs
                if (online && f.atMs <= System.currentTimeMillis()) { networkJob = null; AppEvent.WokeUp(true) } else null
            } else {
                timer = f.atMs
                if (f.atMs <= System.currentTimeMillis()) { timer = null; AppEvent.WokeUp(false) } else null
            }
        is AppEffect.CancelWakeup -> { if (f.needsNetwork) networkJob = null else timer = null; null }
        is AppEffect.Notify -> { scheduled[f.id] = f; null }
        is AppEffect.CancelNotifications -> { scheduled.values.removeAll { it.slot == f.slot }; null }
        is AppEffect.OpenUri -> { opened += f.uri; null }
        else -> null
    }

    fun body(): ScreenBody = app.view().body

    fun alert(): AlertScreen {
        send(AppEvent.Navigate(Screen.ALERT))
        return (body() as ScreenBody.Alert).view
    }
}

fun newPhone(caps: AppCapabilities, dir: java.io.File = tempDir()): Pair<Parasol, FakePhone> {
    val p = Parasol.open(loopbackConfig(dir), null)
    val phone = FakePhone(App(p, caps))
    phone.send(AppEvent.Started(Permission.values().map { PermissionState(it, PermissionStatus.UNKNOWN) }))
    return p to phone
}

fun FakePhone.addContact(name: String, phone: String = "", webhook: String = "") {
    send(AppEvent.AddContact(ContactForm(" $name ", phone, webhook, "", allTriggers, "", "")))
    checkEq(app.view().notice, Notice.SAVED, "contact saved")
}

fun appTests() {
    test("app: press and hold, countdown, cancel sends nothing") {
        KtReceiver().use { rx ->
            val (p, phone) = newPhone(ANDROID_CAPS)
            p.use {
                phone.addContact("Mira", webhook = rx.url)
                phone.send(AppEvent.HoldStarted)
                val ready = phone.alert() as AlertScreen.Ready
                checkEq(ready.holdMs, 1500u, "hold duration from the core")
                check(ready.heldMs != null, "holding")
                check(phone.app.view().refreshInMs != null, "the core asks for a clock")
                Thread.sleep(1600)
                phone.send(AppEvent.TimerElapsed)
                val c = phone.alert() as AlertScreen.Countdown
                check(c.secondsLeft in 9u..10u, "countdown ${c.secondsLeft}")
                phone.send(AppEvent.CancelCountdown)
                checkEq((phone.alert() as AlertScreen.Ended).sentSomething, false, "cancelled")
                phone.send(AppEvent.WokeUp(false))
                check(rx.bodies.isEmpty(), "nothing sent")
                phone.send(AppEvent.DismissAlert)
                check(phone.alert() is AlertScreen.Ready, "back to the button")
            }
        }
    }
    test("app: SMS refused and offline: the user is told, the webhook carries it once back online") {
        val port = java.net.ServerSocket(0).use { it.localPort }
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            fast(p.alerts())
            phone.answers[Permission.SMS] = PermissionStatus.DENIED_FOREVER
            phone.addContact("Mira", phone = "+31612345678", webhook = "http://127.0.0.1:$port/hook")
            checkEq((phone.alert() as AlertScreen.Ready).sms, SmsNote.NEEDS_TAP, "told before")
            phone.online = false
            phone.send(AppEvent.TriggerNow)
            Thread.sleep(10_200)
            phone.send(AppEvent.WokeUp(false))
            val sent = phone.alert() as AlertScreen.Sent
            checkEq(sent.sms, SmsNote.NEEDS_TAP, "told after")
            val row = sent.rows.single()
            check(row.needsYou, "the SMS waits for the user")
            checkEq(row.channels.first { it.channel == DeliveryChannel.WEBHOOK }.label, DeliveryLabel.RETRYING, "webhook retrying")
            check(phone.radio.isEmpty(), "no silent SMS without permission")
            checkEq(phone.composers.size, 1, "the composer opened for the alert the user raised")
            check(phone.networkJob != null, "a network job waits")
            // Other events never cancel it while something waits.
            phone.send(AppEvent.StartCheckin(60u))
            phone.send(AppEvent.StopCheckin)
            phone.send(AppEvent.Backgrounded)
            phone.send(AppEvent.SmsResult(phone.composers[0], SmsSendResult.Sent))
            check(phone.networkJob != null, "kept")
            checkEq(phone.seen.count { it == AppEffect.CancelWakeup(true) }, 1, "only the fresh start's cancel")
            KtReceiver(port).use { rx ->
                phone.online = true
                Thread.sleep(100) // past the last retry's backoff (at most 20 ms here)
                phone.send(AppEvent.WokeUp(false))
                checkEq(rx.bodies.size, 1, "delivered once back online")
                checkEq(phone.seen.count { it == AppEffect.CancelWakeup(true) }, 2, "then the job goes")
                checkEq(phone.networkJob, null, "no job left")
            }
        }
    }
    test("app: second passphrase on a phone without silent SMS never opens a composer") {
        KtReceiver().use { rx ->
            val (p, phone) = newPhone(IOS_CAPS)
            p.use {
                phone.addContact("Mira", phone = "+31612345678", webhook = rx.url)
                phone.send(AppEvent.Navigate(Screen.CONTACTS))
                val rows = (phone.body() as ScreenBody.Contacts).rows
                checkEq(rows.single().silent, listOf(DeliveryChannel.WEBHOOK), "silent alert by webhook only")
                val real = "real passphrase one".toByteArray()
                phone.send(AppEvent.CreateNotes(real, real.copyOf()))
                phone.send(AppEvent.SetSecondPassphrase(real.copyOf(), "the other one 22".toByteArray(),
                    "the other one 22".toByteArray(), openDecoy = true, alert = true, erase = false))
                phone.send(AppEvent.Lock)
                phone.send(AppEvent.Navigate(Screen.NOTES))
                phone.send(AppEvent.Unlock("the other one 22".toByteArray()))
                val notes = (phone.body() as ScreenBody.Notes).view
                check(notes is NotesScreen.Titles && notes.entries.isEmpty(), "separate, empty notes")
                check(phone.seen.none { it is AppEffect.ComposeSms }, "no composer")
                check(phone.seen.none { it is AppEffect.Notify }, "no notification")
                check(rx.bodies.size == 1, "the webhook carried it: ${rx.bodies.size}")
                check(phone.alert() is AlertScreen.Ready, "nothing on the alert screen")
            }
        }
    }
    test("app: check-in reminders at the deadline and grace start, tap, check in: nothing sent") {
        KtReceiver().use { rx ->
            val (p, phone) = newPhone(ANDROID_CAPS)
            p.use {
                phone.addContact("Mira", webhook = rx.url)
                val before = System.currentTimeMillis()
                phone.send(AppEvent.StartCheckin(30u))
                val notes = phone.seen.filterIsInstance<AppEffect.Notify>()
                val deadline = notes.first { it.reason == NotifyReason.CHECKIN_DEADLINE }.atMs!!
                val grace = notes.first { it.reason == NotifyReason.CHECKIN_GRACE }.atMs!!
                check(deadline - before in 29 * 60_000L..31 * 60_000L, "deadline in 30 min")
                checkEq(grace, deadline, "grace starts at the deadline")
                checkEq(phone.scheduled.size, 1, "one notification slot id for both")
                checkEq(phone.timer, deadline + 5 * 60_000L, "the alert wake-up at deadline + grace")
                check(phone.seen.contains(AppEffect.RequestPermission(Permission.NOTIFICATIONS, false)), "asks for notifications")
                phone.send(AppEvent.NotificationTapped(NotifyReason.CHECKIN_GRACE))
                checkEq(phone.app.view().screen, Screen.CHECKIN, "the tap opens the check-in")
                val running = (phone.body() as ScreenBody.Checkin).view as CheckinScreen.Running
                checkEq(running.graceEndsMs, deadline + 5 * 60_000L, "grace end")
                phone.send(AppEvent.WokeUp(false))
                phone.send(AppEvent.CheckIn)
                check(phone.scheduled.isEmpty(), "reminders removed")
                checkEq(phone.timer, null, "no wake-up")
                check(rx.bodies.isEmpty(), "nothing sent")
            }
        }
    }
    test("app: an ignored check-in: nothing before deadline + grace") {
        KtReceiver().use { rx ->
            val (p, phone) = newPhone(ANDROID_CAPS)
            p.use {
                phone.addContact("Mira", webhook = rx.url)
                phone.send(AppEvent.StartCheckin(1u))
                val wake = phone.timer!!
                check(wake - System.currentTimeMillis() > 5 * 60_000L, "the alert waits for the end of grace")
                phone.send(AppEvent.WokeUp(false))
                check(rx.bodies.isEmpty(), "an early wake-up sends nothing")
                checkEq(phone.timer, wake, "still planned at the end of grace")
            }
        }
    }
    test("app: the notes list and search (titles only, the index, diacritics ignored)") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            val pass = "a long passphrase 1".toByteArray()
            phone.send(AppEvent.Navigate(Screen.NOTES))
            phone.send(AppEvent.CreateNotes(pass, pass.copyOf()))
            val blank = IncidentDetails(null, null, null, null, null, null, null, null, null, null, null)
            for ((title, body) in listOf("Café visit" to "met at the station", "Tuesday" to "rent paid")) {
                phone.send(AppEvent.NewEntry(EntryKind.NOTE))
                phone.send(AppEvent.SaveEntry(EntryForm(EntryKind.NOTE, title, body, blank)))
            }
            fun titles(): Pair<List<String>, String> {
                val v = (phone.body() as ScreenBody.Notes).view as NotesScreen.Titles
                return v.entries.map { it.title }.sorted() to v.query
            }
            checkEq(titles(), listOf("Café visit", "Tuesday") to "", "every title")
            phone.send(AppEvent.SearchNotes("CAFE"))
            checkEq(titles(), listOf("Café visit") to "CAFE", "found by title, accents ignored")
            phone.send(AppEvent.SearchNotes("rent"))
            checkEq(titles().first, listOf("Tuesday"), "found by text")
            phone.send(AppEvent.Lock)
            phone.send(AppEvent.Unlock(pass.copyOf()))
            checkEq(titles(), listOf("Café visit", "Tuesday") to "", "a lock forgets the search")
        }
    }
    test("app: disguised, the app opens on the notes") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            checkEq(phone.app.view().screen, Screen.ALERT, "not disguised")
            val fx = phone.send(AppEvent.SetDisguise(true))
            check(fx.contains(AppEffect.SetLauncherDisguise(true)), "launcher switched")
            phone.send(AppEvent.Started(emptyList()))
            checkEq(phone.app.view().screen, Screen.NOTES, "notes first")
            checkEq(phone.app.view().tabs.first(), Screen.NOTES, "notes tab first")
            check(phone.app.view().secure, "secure")
            val exit = phone.send(AppEvent.QuickExit)
            check(exit.any { it is AppEffect.QuickExit }, "quick exit")
        }
    }
    test("app: helpline taps open URIs built in the core") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            phone.send(AppEvent.Navigate(Screen.HELPLINES))
            check((phone.body() as ScreenBody.Helplines).view is HelplinesScreen.ChooseCountry, "choose a country")
            phone.send(AppEvent.SelectCountry("NL"))
            val dir = (phone.body() as ScreenBody.Helplines).view as HelplinesScreen.Directory
            val line = dir.groups.flatMap { it.lines }.first { l -> l.channels.any { it.action == TapKind.CALL } }
            val ch = line.channels.first { it.action == TapKind.CALL }
            phone.send(AppEvent.TapChannel(line.id, ch.index))
            check(phone.opened.single().startsWith("tel:"), "tel: ${phone.opened}")
        }
    }
    test("app: the self-check forgets its answers") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            phone.send(AppEvent.SelectCountry("NL"))
            phone.send(AppEvent.Navigate(Screen.RIGHTS))
            phone.send(AppEvent.StartSelfCheck)
            check(((phone.body() as ScreenBody.Rights).view as RightsScreen.SelfCheck).step is SelfCheckStep.Intro, "intro")
            phone.send(AppEvent.StartSelfCheck)
            phone.send(AppEvent.AnswerSelfCheck(true))
            phone.send(AppEvent.Back)
            val q = ((phone.body() as ScreenBody.Rights).view as RightsScreen.SelfCheck).step as SelfCheckStep.Question
            checkEq(q.answer, true, "held while open")
            phone.send(AppEvent.CloseSelfCheck)
            phone.send(AppEvent.StartSelfCheck)
            phone.send(AppEvent.StartSelfCheck)
            val again = ((phone.body() as ScreenBody.Rights).view as RightsScreen.SelfCheck).step as SelfCheckStep.Question
            checkEq(again.answer, null, "forgotten")
        }
    }
    test("app: editing a contact keeps its Matrix ID and code phrase; notices say what they cost") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            phone.send(AppEvent.Navigate(Screen.CONTACTS))
            phone.send(AppEvent.NewContact)
            val empty = (phone.body() as ScreenBody.Contacts).editor!!
            check(empty.codePhraseOffered, "silent SMS phone: code phrase offered")
            checkEq(empty.notices, listOf(SetupNotice.MATRIX, SetupNotice.SILENT_SMS), "form notices")
            phone.send(AppEvent.AddContact(ContactForm("Mira", "+31612345678", "", "", allTriggers, " @mira:example.org ", "Did you water my plants?")))
            val c = phone.body() as ScreenBody.Contacts
            checkEq(c.editor, null, "saved: form closed")
            checkEq(c.notices, listOf(SetupNotice.MATRIX, SetupNotice.SILENT_SMS), "list notices")
            val id = c.rows.single().id
            phone.send(AppEvent.EditContact(id))
            val form = (phone.body() as ScreenBody.Contacts).editor!!.form
            checkEq(form.matrixId, "@mira:example.org", "Matrix ID shown")
            checkEq(form.smsCodePhrase, "Did you water my plants?", "phrase shown")
            phone.send(AppEvent.UpdateContact(id, form.copy(name = "Mira B")))
            val saved = p.alerts().contacts().single()
            checkEq(saved.name, "Mira B", "renamed")
            checkEq(saved.matrixId, "@mira:example.org", "Matrix ID kept")
            checkEq(saved.smsCodePhrase, "Did you water my plants?", "phrase kept")
        }
    }
    test("app: a check-in asks for one fix and says when it lives on the phone only") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            phone.answers[Permission.LOCATION] = PermissionStatus.DENIED
            phone.addContact("Friend", webhook = "https://example.org/hook")
            phone.send(AppEvent.AddContact(ContactForm("Mx", "", "", "", allTriggers, "@mx:example.org", "")))
            phone.send(AppEvent.Navigate(Screen.CHECKIN))
            val quiet = phone.send(AppEvent.StartCheckin(30u))
            check(quiet.none { it is AppEffect.GetLocation }, "location not allowed: no fix asked")
            val running = (phone.body() as ScreenBody.Checkin).view as CheckinScreen.Running
            checkEq(running.phoneOnly, false, "a Matrix contact: the server holds it")
            checkEq(running.serverTimer?.state, ServerTimerState.PENDING, "not signed in: pending")
            phone.send(AppEvent.StopCheckin)
            phone.send(AppEvent.PermissionResult(PermissionState(Permission.LOCATION, PermissionStatus.GRANTED)))
            val fx = phone.send(AppEvent.StartCheckin(30u))
            check(fx.any { it is AppEffect.GetLocation }, "a fix on start")
            check(phone.send(AppEvent.ExtendCheckin(15u)).any { it is AppEffect.GetLocation }, "a fix on extend")
            phone.send(AppEvent.StopCheckin)
        }
        val (p2, phone2) = newPhone(IOS_CAPS)
        p2.use {
            phone2.addContact("Friend", webhook = "https://example.org/hook")
            phone2.send(AppEvent.Navigate(Screen.CHECKIN))
            phone2.send(AppEvent.StartCheckin(30u))
            val running = (phone2.body() as ScreenBody.Checkin).view as CheckinScreen.Running
            check(running.phoneOnly && running.serverTimer == null, "no Matrix contact: phone only")
        }
    }
    test("app: no hold without a Matrix account") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            phone.addContact("Mira", webhook = "https://example.org/hook")
            checkEq((phone.alert() as AlertScreen.Ready).hold, HoldOffer.NoMatrixAccount, "offer")
            phone.send(AppEvent.SetHoldPin("2468".toByteArray()))
            phone.send(AppEvent.StartHold(30u))
            check(phone.alert() is AlertScreen.Ready, "nothing started")
            phone.send(AppEvent.ReleaseHold)
            phone.send(AppEvent.ConfirmHold("2468".toByteArray()))
            checkEq(phone.app.view().notice, Notice.NOT_FOUND, "no hold to end")
        }
    }
    test("app: helplines by need, and the self-check keeps confidential and police lines apart") {
        val (p, phone) = newPhone(ANDROID_CAPS)
        p.use {
            phone.send(AppEvent.SelectCountry("NL"))
            phone.send(AppEvent.Navigate(Screen.HELPLINES))
            val dir = (phone.body() as ScreenBody.Helplines).view as HelplinesScreen.Directory
            checkEq(dir.needs.first().need, HelplineNeed.DANGER, "danger first")
            checkEq(dir.stale, false, "bundled content is current")
            phone.send(AppEvent.Navigate(Screen.RIGHTS))
            phone.send(AppEvent.StartSelfCheck)
            phone.send(AppEvent.StartSelfCheck)
            repeat(50) {
                val step = ((phone.body() as ScreenBody.Rights).view as RightsScreen.SelfCheck).step
                if (step is SelfCheckStep.Question) phone.send(AppEvent.AnswerSelfCheck(true))
            }
            phone.send(AppEvent.FinishSelfCheck)
            val out = ((phone.body() as ScreenBody.Rights).view as RightsScreen.SelfCheck).step as SelfCheckStep.Outcome
            check(out.confidential.isNotEmpty(), "confidential services")
            check(out.confidential.none { HelplineFlag.POLICE in it.flags }, "no police line among them")
        }
    }
    val url = System.getenv("PARASOL_SYNAPSE_URL")
    val user = System.getenv("PARASOL_SYNAPSE_USER")
    val password = System.getenv("PARASOL_SYNAPSE_PASSWORD")
    val friend = System.getenv("PARASOL_SYNAPSE_CONTACT")
    if (url != null && user != null && password != null && friend != null) {
        test("app: a hold on the alert screen, kept alive by the core, ended with the PIN (real Synapse)") {
            val (p, phone) = newPhone(ANDROID_CAPS)
            p.use {
                p.alerts().matrixLogin(url, user, password)
                phone.send(AppEvent.AddContact(ContactForm("Friend", "", "", "", allTriggers, friend, "")))
                checkEq((phone.alert() as AlertScreen.Ready).hold, HoldOffer.NeedsPin, "a PIN first")
                phone.send(AppEvent.SetHoldPin("2468".toByteArray()))
                checkEq((phone.alert() as AlertScreen.Ready).hold, HoldOffer.Ready(30u), "ready")
                val before = System.currentTimeMillis()
                phone.send(AppEvent.StartHold(30u))
                val h = phone.alert() as AlertScreen.Holding
                checkEq(h.state, HoldState.HOLDING, "holding")
                checkEq(h.keepAliveEveryMs, 10_000u, "a third of the delay")
                checkEq(h.serverTimer?.state, ServerTimerState.ARMED, "the homeserver holds it")
                val wake = phone.timer!!
                check(wake - before in 9_000L..11_000L, "the keep-alive wake-up: ${wake - before} ms")
                phone.send(AppEvent.ReleaseHold)
                checkEq((phone.alert() as AlertScreen.Holding).state, HoldState.RELEASED, "let go")
                phone.send(AppEvent.ConfirmHold("0000".toByteArray()))
                checkEq(phone.app.view().notice, Notice.WRONG_PASSPHRASE, "wrong PIN")
                phone.send(AppEvent.ConfirmHold("2468".toByteArray()))
                check(phone.alert() is AlertScreen.Ready, "ended")
                checkEq(p.alerts().hold()?.state, HoldState.DONE, "done, nothing sent")
            }
        }
    }
}
