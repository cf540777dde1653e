// The check-in timer screen: start, extend, "I'm OK", cancel, and the time
// left. The core owns the deadline and fires the alert when it is missed.
package org.parasol.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.parasol.core.CheckinDeadline
import org.parasol.core.CheckinRequest
import org.parasol.core.CheckinState
import org.parasol.core.CheckinStatus

/** What the check-in screen shows. */
sealed interface CheckinUiState {
    /** No timer: choose a duration. */
    data object NotRunning : CheckinUiState

    /**
     * A timer is running. [remainingMs] counts to the deadline; once past it,
     * [inGrace] is true and [graceRemainingMs] counts to the alert.
     */
    data class Running(
        val deadlineMs: Long,
        val firesAtMs: Long,
        val remainingMs: Long,
        val inGrace: Boolean,
        val graceRemainingMs: Long,
        val note: String?,
    ) : CheckinUiState

    /** The last timer ended: checked in, cancelled, or missed (an alert went out). */
    data class Finished(val outcome: CheckinState, val alertId: String?) : CheckinUiState
}

/** Drives the check-in screen. */
class CheckinPresenter(
    private val alerts: AlertsClient,
    private val clock: Clock = Clock.System,
) {
    private val _state = MutableStateFlow<CheckinUiState>(CheckinUiState.NotRunning)
    private val _error = MutableStateFlow<UiError?>(null)
    private var last: CheckinStatus? = null

    /** The screen state. */
    val state: StateFlow<CheckinUiState> = _state.asStateFlow()

    /** The last failure, if any. */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /** Reads the current (or last) check-in from the core. */
    suspend fun load() = run { alerts.checkin() }

    /** Starts a timer of [minutes], with [graceMinutes] (null: the core's default). */
    suspend fun start(minutes: Int, graceMinutes: Int? = null, note: String? = null) = run {
        alerts.startCheckin(CheckinRequest(CheckinDeadline.InMinutes(minutes.toUInt()), graceMinutes?.toUInt(), note))
    }

    /** Starts a timer that ends at [atMs]. */
    suspend fun startUntil(atMs: Long, graceMinutes: Int? = null, note: String? = null) = run {
        alerts.startCheckin(CheckinRequest(CheckinDeadline.At(atMs), graceMinutes?.toUInt(), note))
    }

    /** Adds [minutes] to the deadline. */
    suspend fun extend(minutes: Int) = run { alerts.extendCheckin(minutes) }

    /** "I'm OK". */
    suspend fun checkIn() = run { alerts.checkIn() }

    /** Stops the timer without an alert. */
    suspend fun cancel() = run { alerts.cancelCheckin() }

    /**
     * Called once a second while visible: recomputes the time left and, once
     * the alert is due, lets the core fire it (the OS alarm does the same
     * when the app is closed).
     */
    suspend fun onClockTick() {
        val c = last ?: return
        if (c.state != CheckinState.ACTIVE) return
        if (clock.nowMs() >= c.firesAtMs) {
            run { alerts.tick(); alerts.checkin() }
        } else {
            _state.value = render(c)
        }
    }

    private suspend fun run(block: suspend () -> CheckinStatus?) {
        _error.value = null
        attempt(block)
            .onSuccess { last = it; _state.value = render(it) }
            .onFailure { _error.value = it.toUiError() }
    }

    private fun render(c: CheckinStatus?): CheckinUiState {
        if (c == null) return CheckinUiState.NotRunning
        if (c.state != CheckinState.ACTIVE) return CheckinUiState.Finished(c.state, c.alertId)
        val now = clock.nowMs()
        return CheckinUiState.Running(
            deadlineMs = c.deadlineMs,
            firesAtMs = c.firesAtMs,
            remainingMs = (c.deadlineMs - now).coerceAtLeast(0),
            inGrace = now >= c.deadlineMs,
            graceRemainingMs = (c.firesAtMs - now).coerceAtLeast(0),
            note = c.note,
        )
    }
}

/** "1:05:09" or "4:09": time left, rounded up to the second (never shows 0:00 early). */
fun formatRemaining(ms: Long): String {
    val total = ((ms.coerceAtLeast(0) + 999) / 1000)
    val h = total / 3600
    val m = (total % 3600) / 60
    val s = total % 60
    return if (h > 0) "%d:%02d:%02d".format(h, m, s) else "%d:%02d".format(m, s)
}
