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

/**
 * Local notifications with neutral text. One notification id per slot (a
 * later one replaces it, `setOnlyAlertOnce` so it does not sound twice). A
 * timed one is an alarm per (slot, reason) whose receiver posts it, so
 * nothing about it is written to the app's storage.
 */
object Notifications {
    const val CHANNEL = "reminders"
    const val EXTRA_REASON = "reason"

    fun createChannel(context: Context) {
        context.getSystemService(NotificationManager::class.java).createNotificationChannel(
            NotificationChannel(CHANNEL, context.getString(R.string.notification_channel), NotificationManager.IMPORTANCE_HIGH),
        )
    }

    private fun code(slot: NotificationSlot, reason: NotifyReason) = 100 + slot.ordinal * 10 + reason.ordinal

    private fun timed(context: Context, slot: NotificationSlot, reason: NotifyReason) = PendingIntent.getBroadcast(
        context, code(slot, reason),
        Intent(context, NotificationReceiver::class.java).putExtra("slot", slot.name).putExtra(EXTRA_REASON, reason.name),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
    )

    fun schedule(context: Context, slot: NotificationSlot, reason: NotifyReason, atMs: Long?) {
        if (atMs == null || atMs <= System.currentTimeMillis()) post(context, slot, reason)
        else Wakeups.exactOrNot(context, atMs, timed(context, slot, reason))
    }

    fun cancel(context: Context, slot: NotificationSlot) {
        val alarms = context.getSystemService(android.app.AlarmManager::class.java)
        NotifyReason.values().forEach { alarms.cancel(timed(context, slot, it)) }
        NotificationManagerCompat.from(context).cancel(slot.ordinal + 1)
    }

    fun post(context: Context, slot: NotificationSlot, reason: NotifyReason) {
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
