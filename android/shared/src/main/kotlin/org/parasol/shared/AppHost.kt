// The core's App on Android, off the main thread: events in, effects out to
// an EffectExecutor, the view as a StateFlow. No decisions here: the timer
// only honours the view's refresh_in_ms, a wake-up due now runs at once, and
// Restart reopens the profile. A profile that cannot be opened (Keystore or
// database error) never crashes the app and is never remembered: `openFailed`
// says so, and the next event (or `retry`) tries again.
package org.parasol.shared

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.parasol.core.App
import org.parasol.core.AppCapabilities
import org.parasol.core.AppEffect
import org.parasol.core.AppEvent
import org.parasol.core.AppView
import org.parasol.core.Parasol
import org.parasol.core.ParasolException
import org.parasol.core.PermissionState
import org.parasol.core.uniffiEnsureInitialized

/**
 * @param openProfile opens the profile (app-private, no backup, platform key store)
 * @param permissions the current status of every permission (read, never asked)
 */
class AppHost(
    private val openProfile: () -> Parasol,
    private val capabilities: AppCapabilities,
    private val executor: EffectExecutor,
    private val permissions: () -> List<PermissionState>,
    private val scope: CoroutineScope,
    private val io: CoroutineDispatcher = Dispatchers.IO,
    private val nowMs: () -> Long = System::currentTimeMillis,
) : AutoCloseable {
    private val _view = MutableStateFlow<AppView?>(null)
    private val _openFailed = MutableStateFlow(false)
    private var open: Pair<Parasol, App>? = null
    private var started = false
    private var timer: Job? = null

    /** What to render (null until the profile is open). */
    val view: StateFlow<AppView?> = _view.asStateFlow()

    /** True while the profile could not be opened: show an error with a retry. */
    val openFailed: StateFlow<Boolean> = _openFailed.asStateFlow()

    private fun app(): App = synchronized(this) {
        open?.second ?: run {
            uniffiEnsureInitialized()
            val p = openProfile()
            App(p, capabilities).also { open = p to it }
        }
    }

    /** The UI appeared: `Started` the first time for this profile, `Resumed` after. */
    suspend fun start() {
        val first = synchronized(this) { !started.also { started = true } }
        dispatch(if (first) AppEvent.Started(permissions()) else AppEvent.Resumed(permissions()))
    }

    /** The error screen's "try again": opens the profile and starts afresh. */
    fun retry() {
        scope.launch(io) { start() }
    }

    /** From the UI: returns at once. Passphrase bytes in [event] are wiped after use. */
    fun send(event: AppEvent) {
        scope.launch(io) { dispatch(event) }
    }

    /**
     * Handles [event] and performs its effects before returning (receivers,
     * workers). False when the profile could not be opened: nothing ran, and
     * a worker should ask to be run again.
     */
    suspend fun dispatch(event: AppEvent): Boolean = withContext(io) {
        val app = try {
            app()
        } catch (e: Exception) {
            // Keystore, database or library failure: no crash, nothing cached.
            synchronized(this@AppHost) { started = false }
            _openFailed.value = true
            wipePassphrases(event)
            return@withContext false
        }
        _openFailed.value = false
        val effects = try {
            app.update(event)
        } catch (e: ParasolException) {
            emptyList() // an event the core cannot read (a location out of range): dropped
        } finally {
            wipePassphrases(event)
        }
        for (e in effects) perform(e)
        publish()
        true
    }

    private suspend fun perform(e: AppEffect) {
        try {
            when {
                e == AppEffect.Restart -> restart()
                e is AppEffect.ScheduleWakeup && !e.needsNetwork && e.atMs <= nowMs() ->
                    scope.launch(io) { dispatch(AppEvent.WokeUp(false)) }
                else -> executor.perform(e)
            }
        } catch (x: RuntimeException) {
            // One platform refusal (a revoked permission, a missing app) must
            // not cost the effects after it; the core re-plans at the next event.
        }
    }

    private fun publish() {
        val v = synchronized(this) { open?.second }?.view() ?: return
        _view.value = v
        timer?.cancel()
        timer = v.refreshInMs?.let { ms ->
            scope.launch(io) {
                delay(ms.toLong())
                dispatch(AppEvent.TimerElapsed)
            }
        }
    }

    /** After an erase: a fresh profile, started afresh. */
    private suspend fun restart() {
        val old = synchronized(this) { open.also { open = null; started = false } }
        old?.second?.close()
        old?.first?.close()
        start()
    }

    override fun close() {
        timer?.cancel()
        val old = synchronized(this) { open.also { open = null } }
        old?.second?.close()
        old?.first?.close()
    }
}

/** Overwrites the passphrase bytes an event carried (the core has its own, wiped, copy). */
fun wipePassphrases(e: AppEvent) = when (e) {
    is AppEvent.CreateNotes -> wipeAll(e.passphrase, e.confirmation)
    is AppEvent.Unlock -> wipeAll(e.passphrase)
    is AppEvent.ExportNotes -> wipeAll(e.passphrase)
    is AppEvent.SetSecondPassphrase -> wipeAll(e.current, e.passphrase, e.confirmation)
    is AppEvent.ClearSecondPassphrase -> wipeAll(e.current)
    is AppEvent.SetEraseAfterFailures -> wipeAll(e.current)
    else -> Unit
}
