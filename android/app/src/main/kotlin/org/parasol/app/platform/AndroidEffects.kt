package org.parasol.app.platform

import org.parasol.app.ParasolApplication
import org.parasol.core.AppEvent
import org.parasol.core.NotificationSlot
import org.parasol.core.NotifyReason
import org.parasol.core.Permission
import org.parasol.core.PermissionState
import org.parasol.core.SmsSendResult
import org.parasol.shared.EffectExecutor

/**
 * Each effect on Android. Effects that need the screen (dialogs, composer,
 * window flags, share, leave) go to the activity on screen; without one,
 * a permission request is answered with the current status.
 */
class AndroidEffects(private val app: ParasolApplication) : EffectExecutor {
    private fun ui(block: (org.parasol.app.MainActivity) -> Unit): Boolean {
        val a = app.activity ?: return false
        a.runOnUiThread { block(a) }
        return true
    }

    override fun requestPermission(permission: Permission, openSettings: Boolean) {
        if (!ui { it.requestPermission(permission, openSettings) }) {
            app.host.send(AppEvent.PermissionResult(PermissionState(permission, Permissions.status(app, null, permission))))
        }
    }

    override fun sendSms(deliveryId: String, phone: String, text: String) = Sms.send(app, deliveryId, phone, text)

    override fun composeSms(deliveryId: String, phone: String, text: String) {
        // Without a screen no composer can open: say so (the message is never
        // shown anywhere else, and the core keeps it for the user's tap).
        if (!ui { it.compose(deliveryId, phone, text) }) {
            app.host.send(AppEvent.SmsResult(deliveryId, SmsSendResult.Failed("app not on screen")))
        }
    }

    override fun getLocation(timeoutMs: Long) = OneFix.request(app, timeoutMs)

    override fun scheduleWakeup(atMs: Long, needsNetwork: Boolean) = Wakeups.schedule(app, atMs, needsNetwork)

    override fun cancelWakeup(needsNetwork: Boolean) = Wakeups.cancel(app, needsNetwork)

    override fun notify(id: String, slot: NotificationSlot, reason: NotifyReason, atMs: Long?) =
        Notifications.schedule(app, slot, reason, atMs)

    override fun cancelNotifications(slot: NotificationSlot) = Notifications.cancel(app, slot)

    override fun openUri(uri: String) { ui { it.open(uri) } }

    override fun setScreenSecurity(secure: Boolean) { ui { it.setSecure(secure) } }

    override fun setLauncherDisguise(disguised: Boolean) = Disguise.set(app, disguised)

    override fun shareFile(path: String) { if (!ui { it.saveFile(path) }) java.io.File(path).delete() }

    override fun quickExit(coverUri: String) { ui { it.quickExit() } }
}
