package org.parasol.app

import android.app.Application
import android.app.NotificationChannel
import android.app.NotificationManager
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.launch
import org.parasol.app.platform.AndroidKeyStore
import org.parasol.app.platform.AndroidLocation
import org.parasol.app.platform.AndroidSmsSender
import org.parasol.app.platform.AndroidWakeupScheduler
import org.parasol.core.AlertEvent
import org.parasol.shared.AlertsClient
import org.parasol.shared.ParasolClient
import org.parasol.shared.WakeupCoordinator
import java.io.File

/**
 * Owns the open profile and the platform services. The profile lives in
 * `noBackupFilesDir` (never backed up, never on external storage).
 */
class ParasolApplication : Application() {
    /** Work that must finish even if no screen is open (receivers, workers). */
    val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val location by lazy { AndroidLocation(this) }
    private var client: Deferred<ParasolClient>? = null
    @Volatile private var coordinator: WakeupCoordinator? = null

    override fun onCreate() {
        super.onCreate()
        getSystemService(NotificationManager::class.java).createNotificationChannel(
            NotificationChannel(CHANNEL, getString(R.string.notification_channel), NotificationManager.IMPORTANCE_DEFAULT),
        )
        appScope.launch { runCatching { wakeups().reschedule() } }
    }

    private fun dataDir() = File(noBackupFilesDir, "profile").absolutePath

    /** The profile, opened once (off the main thread). */
    suspend fun parasol(): ParasolClient = synchronized(this) {
        client ?: appScope.async { open() }.also { client = it }
    }.await()

    private suspend fun open(): ParasolClient {
        val c = ParasolClient.open(dataDir(), AndroidKeyStore(this))
        val alerts = c.alerts()
        alerts.setSmsSender(AndroidSmsSender(this))
        // Any change may move the next wake-up.
        alerts.events.onEach { e ->
            if (e !is AlertEvent.Delivery) runCatching { wakeups().reschedule() }
        }.launchIn(appScope)
        return c
    }

    /** The alert engine. */
    suspend fun alerts(): AlertsClient = parasol().alerts()

    /** The scheduler bridge. */
    suspend fun wakeups(): WakeupCoordinator =
        coordinator ?: WakeupCoordinator(alerts(), AndroidWakeupScheduler(this)).also { coordinator = it }

    /** Reschedules after an action. */
    suspend fun reschedule() { runCatching { wakeups().reschedule() } }

    /** After a wipe: close the old profile; the next call opens a fresh, empty one. */
    fun reopenAfterWipe() {
        val old = synchronized(this) { client.also { client = null; coordinator = null } }
        appScope.launch { runCatching { old?.await()?.close() } }
    }

    /** Runs [block] in the app scope (for receivers using goAsync). */
    fun launchBackground(block: suspend () -> Unit) {
        appScope.launch { runCatching { block() } }
    }

    companion object {
        const val CHANNEL = "reminders"
    }
}
