// The closed set of platform effects the core asks for, one method each.
// The app implements them (android.*); the JVM checks fake them. Results go
// back to the core as events through AppHost.send.
package org.parasol.shared

import org.parasol.core.AppEffect
import org.parasol.core.NotificationSlot
import org.parasol.core.NotifyReason
import org.parasol.core.Permission

/** What the phone does for the core. Every method returns quickly (hand long work to the OS). */
interface EffectExecutor {
    /** Ask for [permission] (dialog), or open the app's system settings; reply `PermissionResult`. */
    fun requestPermission(permission: Permission, openSettings: Boolean)

    /** Send an SMS with nothing on screen; reply `SmsResult` (sent, delivered or failed). */
    fun sendSms(deliveryId: String, phone: String, text: String)

    /** Show an SMS in a composer the user sends from; reply `SmsResult` (sent or cancelled). */
    fun composeSms(deliveryId: String, phone: String, text: String)

    /** One location fix within [timeoutMs]; reply `LocationResult` (null: none). */
    fun getLocation(timeoutMs: Long)

    /** Wake the app at [atMs] with `WokeUp` (the timer slot, or the network job slot). */
    fun scheduleWakeup(atMs: Long, needsNetwork: Boolean)

    /** Remove the wake-up of that slot. */
    fun cancelWakeup(needsNetwork: Boolean)

    /** Show a notification at [atMs] (now when null), scheduled by [id], shown in [slot]. */
    fun notify(id: String, slot: NotificationSlot, reason: NotifyReason, atMs: Long?)

    /** Remove every notification of [slot], pending or shown. */
    fun cancelNotifications(slot: NotificationSlot)

    /** Open a URI the core built and checked. */
    fun openUri(uri: String)

    /** Block (or allow) screenshots, recording and the recents preview. */
    fun setScreenSecurity(secure: Boolean)

    /** Switch the launcher entry. */
    fun setLauncherDisguise(disguised: Boolean)

    /** Offer a file to the user, then delete it. */
    fun shareFile(path: String)

    /** Leave at once. */
    fun quickExit(coverUri: String)
}

/** Routes one effect to its method. `Restart` and wake-ups due now are the host's. */
fun EffectExecutor.perform(e: AppEffect) {
    when (e) {
        is AppEffect.RequestPermission -> requestPermission(e.permission, e.openSettings)
        is AppEffect.SendSms -> sendSms(e.deliveryId, e.phone, e.text)
        is AppEffect.ComposeSms -> composeSms(e.deliveryId, e.phone, e.text)
        is AppEffect.GetLocation -> getLocation(e.timeoutMs.toLong())
        is AppEffect.ScheduleWakeup -> scheduleWakeup(e.atMs, e.needsNetwork)
        is AppEffect.CancelWakeup -> cancelWakeup(e.needsNetwork)
        is AppEffect.Notify -> notify(e.id, e.slot, e.reason, e.atMs)
        is AppEffect.CancelNotifications -> cancelNotifications(e.slot)
        is AppEffect.OpenUri -> openUri(e.uri)
        is AppEffect.SetScreenSecurity -> setScreenSecurity(e.secure)
        is AppEffect.SetLauncherDisguise -> setLauncherDisguise(e.disguised)
        is AppEffect.ShareFile -> shareFile(e.path)
        is AppEffect.QuickExit -> quickExit(e.coverUri)
        AppEffect.Restart -> Unit
    }
}
