package org.parasol.app.platform

import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import org.parasol.app.MainActivity
import org.parasol.app.R
import org.parasol.core.NotificationSlot
import org.parasol.core.NotifyReason
import java.util.concurrent.ConcurrentHashMap

/**
 * Local notifications with neutral text, few of them: one notification id
 * per slot (a later one replaces it, `setOnlyAlertOnce` so it does not sound
 * twice; retries never post anything of their own). The header Android
 * shows is the application label, which is the neutral disguise name
 * (manifest). A timed one is an alarm per (slot, reason) whose receiver
 * posts it, so nothing about it is written to the app's storage; the ones
 * this process armed are remembered in memory only, to be re-armed exact
 * when the user allows exact alarms ([rearm]).
 */
object Notifications {
    const val CHANNEL = "reminders"
    /** Silent, minimal: only for the short job notification below API 31. */
    const val QUIET_CHANNEL = "background"
    const val EXTRA_REASON = "reason"
    /** The id of the job notification (slot notifications use 1..n). */
    const val WORK_ID = 99

    private val armed = ConcurrentHashMap<Int, Long>()

    fun createChannels(context: Context) {
        context.getSystemService(NotificationManager::class.java).createNotificationChannels(listOf(
            NotificationChannel(CHANNEL, context.getString(R.string.notification_channel), NotificationManager.IMPORTANCE_HIGH),
            NotificationChannel(QUIET_CHANNEL, context.getString(R.string.platform_quiet_channel), NotificationManager.IMPORTANCE_MIN)
                .apply { setShowBadge(false) },
        ))
    }

    private fun code(slot: NotificationSlot, reason: NotifyReason) = 100 + slot.ordinal * 10 + reason.ordinal

    private fun timed(context: Context, slot: NotificationSlot, reason: NotifyReason) = PendingIntent.getBroadcast(
        context, code(slot, reason),
        Intent(context, NotificationReceiver::class.java).putExtra("slot", slot.name).putExtra(EXTRA_REASON, reason.name),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
    )

    fun schedule(context: Context, slot: NotificationSlot, reason: NotifyReason, atMs: Long?) {
        if (atMs == null || atMs <= System.currentTimeMillis()) {
            post(context, slot, reason)
        } else {
            armed[code(slot, reason)] = atMs
            Wakeups.exactOrNot(context, atMs, timed(context, slot, reason))
        }
    }

    fun cancel(context: Context, slot: NotificationSlot) {
        val alarms = context.getSystemService(android.app.AlarmManager::class.java)
        NotifyReason.values().forEach {
            armed.remove(code(slot, it))
            alarms.cancel(timed(context, slot, it))
        }
        NotificationManagerCompat.from(context).cancel(slot.ordinal + 1)
    }

    /** Arms again (exact, if now allowed) the timed notifications this process set. */
    fun rearm(context: Context) {
        val now = System.currentTimeMillis()
        for (slot in NotificationSlot.values()) for (reason in NotifyReason.values()) {
            val at = armed[code(slot, reason)] ?: continue
            if (at > now) Wakeups.exactOrNot(context, at, timed(context, slot, reason)) else armed.remove(code(slot, reason))
        }
    }

    fun post(context: Context, slot: NotificationSlot, reason: NotifyReason) {
        armed.remove(code(slot, reason))
        val nm = NotificationManagerCompat.from(context)
        if (!nm.areNotificationsEnabled()) return
        val open = PendingIntent.getActivity(
            context, code(slot, reason),
            Intent(context, MainActivity::class.java).putExtra(EXTRA_REASON, reason.name)
                .addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val title = when (reason) {
            NotifyReason.CHECKIN_DEADLINE -> R.string.notification_checkin
            NotifyReason.CHECKIN_GRACE -> R.string.notification_checkin_now
            NotifyReason.SMS_WAITING -> R.string.notification_waiting
        }
        val n = NotificationCompat.Builder(context, CHANNEL)
            .setSmallIcon(R.drawable.ic_notes_foreground)
            .setContentTitle(context.getString(title))
            .setContentText(context.getString(R.string.notification_checkin_text))
            .setOnlyAlertOnce(true)
            .setAutoCancel(true)
            .setVisibility(NotificationCompat.VISIBILITY_PRIVATE)
            .setContentIntent(open)
            .build()
        try { nm.notify(slot.ordinal + 1, n) } catch (_: SecurityException) { }
    }
}

/** A timed notification came due. */
class NotificationReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val slot = intent.getStringExtra("slot")?.let { runCatching { NotificationSlot.valueOf(it) }.getOrNull() } ?: return
        val reason = intent.getStringExtra(Notifications.EXTRA_REASON)
            ?.let { runCatching { NotifyReason.valueOf(it) }.getOrNull() } ?: return
        Notifications.post(context, slot, reason)
    }
}
