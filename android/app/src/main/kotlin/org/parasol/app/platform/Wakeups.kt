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
import org.parasol.core.AppEvent
import java.util.concurrent.TimeUnit

/**
 * The two wake-up slots. The timer: one exact alarm (`setExactAndAllowWhileIdle`,
 * fires in Doze; inexact if exact alarms are not allowed), replaced by the
 * next. The network job: one WorkManager request with a CONNECTED constraint,
 * enqueued with KEEP so an existing job is never reset; only the core cancels it.
 */
object Wakeups {
    private const val ACTION_WAKE = "org.parasol.app.WAKE"
    private const val NETWORK_JOB = "network"

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
            WorkManager.getInstance(context).enqueueUniqueWork(NETWORK_JOB, ExistingWorkPolicy.KEEP, request)
        } else {
            exactOrNot(context, atMs, alarm(context))
        }
    }

    fun cancel(context: Context, needsNetwork: Boolean) {
        if (needsNetwork) WorkManager.getInstance(context).cancelUniqueWork(NETWORK_JOB)
        else context.getSystemService(AlarmManager::class.java).cancel(alarm(context))
    }

    /** An exact alarm if allowed (API 31+ asks), else the closest the system gives. */
    fun exactOrNot(context: Context, atMs: Long, pi: PendingIntent) {
        val alarms = context.getSystemService(AlarmManager::class.java)
        if (Build.VERSION.SDK_INT < 31 || alarms.canScheduleExactAlarms()) {
            alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atMs, pi)
        } else {
            alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, atMs, pi)
        }
    }
}

/** The timer alarm, and boot (alarms do not survive a reboot): a wake-up. */
class WakeupReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val pending = goAsync()
        (context.applicationContext as ParasolApplication)
            .dispatchInBackground(AppEvent.WokeUp(false)) { pending.finish() }
    }
}

/** The network job: runs once the network is up. */
class NetworkWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        (applicationContext as ParasolApplication).host.dispatch(AppEvent.WokeUp(true))
        return Result.success()
    }
}
