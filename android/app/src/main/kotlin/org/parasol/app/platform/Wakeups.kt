package org.parasol.app.platform

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.ForegroundInfo
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequest
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.OutOfQuotaPolicy
import androidx.work.WorkInfo
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import org.parasol.app.ParasolApplication
import org.parasol.app.R
import org.parasol.core.AppEvent
import java.util.concurrent.TimeUnit

/**
 * The two wake-up slots.
 *
 * - The timer: one exact alarm (`setExactAndAllowWhileIdle`, fires in Doze;
 *   inexact if exact alarms are not allowed), replaced by the next. The
 *   alarm's receiver does no work itself (a receiver has seconds): it hands
 *   the wake-up to an expedited WorkManager job ([TimerWorker]).
 * - The network job ("send when back online"): one WorkManager request with a
 *   CONNECTED constraint under its own unique name. An existing job is KEPT,
 *   never reset or cancelled by a later schedule; only the core's
 *   `CancelWakeup(needsNetwork = true)` removes it. Asked again while it
 *   runs (a delivery failed), the new one is APPENDED so it runs after.
 *
 * Alarms do not survive a reboot, an app update or a change of the
 * exact-alarm permission: [RearmReceiver] wakes the core then, which re-plans.
 */
object Wakeups {
    private const val ACTION_WAKE = "org.parasol.app.WAKE"
    const val NETWORK_JOB = "network"
    const val TIMER_JOB = "timer"

    private fun alarm(context: Context) = PendingIntent.getBroadcast(
        context, 0, Intent(context, WakeupReceiver::class.java).setAction(ACTION_WAKE),
        PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
    )

    fun schedule(context: Context, atMs: Long, needsNetwork: Boolean) {
        if (needsNetwork) {
            val delay = (atMs - System.currentTimeMillis()).coerceAtLeast(0)
            val request = OneTimeWorkRequestBuilder<NetworkWorker>()
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .setInitialDelay(delay, TimeUnit.MILLISECONDS)
                .build()
            enqueueKeepingExisting(context, NETWORK_JOB, request)
        } else {
            exactOrNot(context, atMs, alarm(context))
        }
    }

    fun cancel(context: Context, needsNetwork: Boolean) {
        if (needsNetwork) WorkManager.getInstance(context).cancelUniqueWork(NETWORK_JOB)
        else context.getSystemService(AlarmManager::class.java).cancel(alarm(context))
    }

    /**
     * Enqueues [request] as [name] without ever cancelling or resetting an
     * existing one: KEEP while one waits; APPEND_OR_REPLACE while one runs
     * (KEEP would drop the new request and nothing would be left once the
     * running one ends). Blocks briefly on WorkManager's database: call off
     * the main thread (effects run on the host's IO dispatcher).
     */
    fun enqueueKeepingExisting(context: Context, name: String, request: OneTimeWorkRequest) {
        val wm = WorkManager.getInstance(context)
        val running = try {
            wm.getWorkInfosForUniqueWork(name).get().any { it.state == WorkInfo.State.RUNNING }
        } catch (e: Exception) {
            false
        }
        val policy = if (running) ExistingWorkPolicy.APPEND_OR_REPLACE else ExistingWorkPolicy.KEEP
        wm.enqueueUniqueWork(name, policy, request)
    }

    /**
     * The wake-up, as soon as possible, in a job the system gives minutes to
     * (not a receiver's seconds). Called on the main thread by receivers, so
     * no blocking look-up: always appended (a second run after one in
     * progress is harmless, a dropped one could miss a due alert).
     */
    fun runTimerNow(context: Context) {
        val request = OneTimeWorkRequestBuilder<TimerWorker>()
            .setExpedited(OutOfQuotaPolicy.RUN_AS_NON_EXPEDITED_WORK_REQUEST)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(TIMER_JOB, ExistingWorkPolicy.APPEND_OR_REPLACE, request)
    }

    /** An exact alarm if allowed (API 31+ asks), else the closest the system gives. */
    fun exactOrNot(context: Context, atMs: Long, pi: PendingIntent) {
        val alarms = context.getSystemService(AlarmManager::class.java)
        try {
            if (Build.VERSION.SDK_INT < 31 || alarms.canScheduleExactAlarms()) {
                alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atMs, pi)
                return
            }
        } catch (e: SecurityException) {
            // Revoked between the check and the call: fall through to inexact.
        }
        alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atMs, pi)
    }
}

/** The timer alarm: hands the wake-up to [TimerWorker] at once. */
class WakeupReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        Wakeups.runTimerNow(context)
    }
}

/**
 * After a reboot (alarms are gone), an app update (alarms are gone) and when
 * the user allows exact alarms (API 31+: existing alarms are still inexact):
 * the core is woken and re-plans every alarm and reminder.
 */
class RearmReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        when (intent.action) {
            Intent.ACTION_BOOT_COMPLETED,
            Intent.ACTION_MY_PACKAGE_REPLACED,
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED -> {
                Notifications.rearm(context)
                Wakeups.runTimerNow(context)
            }
        }
    }
}

/**
 * The notification an expedited job shows below API 31, where WorkManager
 * runs it as a short foreground service: neutral, silent, hidden on the lock
 * screen, in the quiet channel. From API 31 expedited jobs are JobScheduler
 * jobs and show nothing (no foreground service type needed).
 */
private fun foregroundInfo(context: Context): ForegroundInfo {
    Notifications.createChannels(context)
    val n = NotificationCompat.Builder(context, Notifications.QUIET_CHANNEL)
        .setSmallIcon(R.drawable.ic_notes_foreground)
        .setContentTitle(context.getString(R.string.platform_working))
        .setPriority(NotificationCompat.PRIORITY_MIN)
        .setVisibility(NotificationCompat.VISIBILITY_SECRET)
        .setSilent(true)
        .setOngoing(true)
        .build()
    return ForegroundInfo(Notifications.WORK_ID, n)
}

/**
 * The timer's work: an expedited job (below API 31 WorkManager runs it as a
 * short foreground service with [foregroundInfo]). A profile that cannot be
 * opened yet (before the first unlock, a Keystore error) is retried.
 */
class TimerWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val ok = (applicationContext as ParasolApplication).host.dispatch(AppEvent.WokeUp(false))
        return if (ok) Result.success() else Result.retry()
    }

    override suspend fun getForegroundInfo(): ForegroundInfo = foregroundInfo(applicationContext)
}

/** The network job: runs once the network is up. */
class NetworkWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val ok = (applicationContext as ParasolApplication).host.dispatch(AppEvent.WokeUp(true))
        return if (ok) Result.success() else Result.retry()
    }

    override suspend fun getForegroundInfo(): ForegroundInfo = foregroundInfo(applicationContext)
}
