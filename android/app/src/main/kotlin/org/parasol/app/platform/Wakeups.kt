package org.parasol.app.platform

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import org.parasol.app.ParasolApplication
import org.parasol.shared.WakeupScheduler

/**
 * Applies the core's `next_wakeup_ms` (via [org.parasol.shared.WakeupCoordinator]):
 * one exact alarm for countdowns, check-ins and retries (fires in Doze), and a
 * network-constrained WorkManager job that flushes the outbox when the
 * connection comes back.
 */
class AndroidWakeupScheduler(private val context: Context) : WakeupScheduler {
    private val alarms = context.getSystemService(AlarmManager::class.java)

    override fun setAlarm(atMs: Long) {
        val pi = alarmIntent()
        val exact = Build.VERSION.SDK_INT < 31 || alarms.canScheduleExactAlarms()
        if (exact) alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atMs, pi)
        else alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atMs, pi)
    }

    override fun cancelAlarm() = alarms.cancel(alarmIntent())

    override fun setFlushWhenOnline(enabled: Boolean) {
        val wm = WorkManager.getInstance(context)
        if (!enabled) {
            wm.cancelUniqueWork(WORK_NAME)
            return
        }
        val request = OneTimeWorkRequestBuilder<OutboxWorker>()
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
            .build()
        wm.enqueueUniqueWork(WORK_NAME, ExistingWorkPolicy.KEEP, request)
    }

    private fun alarmIntent(): PendingIntent = PendingIntent.getBroadcast(
        context, 0,
        Intent(context, WakeupReceiver::class.java).setAction(ACTION_WAKE),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
    )

    companion object {
        const val ACTION_WAKE = "org.parasol.app.WAKE"
        const val WORK_NAME = "outbox"
    }
}

/** The alarm (and boot/update): runs the core's due work, then reschedules. */
class WakeupReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val pending = goAsync()
        val app = context.applicationContext as ParasolApplication
        app.launchBackground {
            try {
                app.wakeups().onWake()
            } finally {
                pending.finish()
            }
        }
    }
}

/** Runs when the network is back: flush, then reschedule. */
class OutboxWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val app = applicationContext as ParasolApplication
        return runCatching { app.wakeups().onWake() }
            .fold(onSuccess = { Result.success() }, onFailure = { Result.retry() })
    }
}
