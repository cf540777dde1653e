// The panic screen's state: press-and-hold, the visible countdown with cancel,
// per-contact delivery status and "I'm safe". The core decides everything
// (when it fires, what is sent, what is retried); this renders it.
package org.parasol.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.parasol.core.AlertEvent
import org.parasol.core.AlertLocation
import org.parasol.core.AlertMode
import org.parasol.core.AlertReason
import org.parasol.core.AlertState
import org.parasol.core.AlertStatus
import org.parasol.core.MessageKind
import org.parasol.core.SmsReport
import org.parasol.core.TriggerRequest

/** What the panic screen shows. */
sealed interface PanicState {
    /** Nothing running: the hold-to-alert button. */
    data object Idle : PanicState

    /** Counting down: a big number and "Cancel". Cancelling sends nothing. */
    data class CountingDown(val alertId: String, val firesAtMs: Long, val secondsLeft: Int) : PanicState

    /** Fired: who has been reached, and "I'm safe". */
    data class Active(
        val alertId: String,
        val rows: List<ContactDeliveryRow>,
        val summary: DeliverySummary,
        val hasLocation: Boolean,
    ) : PanicState

    /** Finished: cancelled in time ([sentSomething] false) or resolved with "I'm safe". */
    data class Ended(val alertId: String, val sentSomething: Boolean, val safeRows: List<ContactDeliveryRow>) : PanicState
}

/**
 * Drives the panic screen.
 *
 * @param countdownSeconds seconds between the hold completing and the alert
 *   firing (0: at once). The core enforces its own limits (1 to 600).
 * @param holdMs how long the button must be held (prevents pocket presses).
 */
class PanicPresenter(
    private val alerts: AlertsClient,
    private val clock: Clock = Clock.System,
    private val location: LastKnownLocation = LastKnownLocation.None,
    val countdownSeconds: Int = 10,
    val holdMs: Long = 1500,
) {
    private val _state = MutableStateFlow<PanicState>(PanicState.Idle)
    private val _hold = MutableStateFlow(0f)
    private val _error = MutableStateFlow<UiError?>(null)
    private var holdStartedAt: Long? = null

    /** The screen state. */
    val state: StateFlow<PanicState> = _state.asStateFlow()

    /** Progress of the press-and-hold, 0 to 1 (drawn as a ring round the button). */
    val holdProgress: StateFlow<Float> = _hold.asStateFlow()

    /** The last failure, if any (cleared by the next action). */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /** The finger went down on the button. */
    fun pressStart() {
        if (_state.value !is PanicState.Idle && _state.value !is PanicState.Ended) return
        holdStartedAt = clock.nowMs()
        _hold.value = 0f
    }

    /**
     * Called every frame while held. Returns true once, when the hold is
     * complete: then call [trigger].
     */
    fun pressUpdate(): Boolean {
        val start = holdStartedAt ?: return false
        val p = ((clock.nowMs() - start).toFloat() / holdMs).coerceIn(0f, 1f)
        _hold.value = p
        if (p >= 1f) {
            holdStartedAt = null
            return true
        }
        return false
    }

    /** The finger lifted (before completion this does nothing). */
    fun pressEnd() {
        holdStartedAt = null
        _hold.value = 0f
    }

    /** Shows an alert that is already running (app reopened). Silent alerts stay hidden. */
    suspend fun load() {
        attempt { alerts.activeAlerts() }.onSuccess { list ->
            val shown = list.lastOrNull { it.mode != AlertMode.Silent }
            _state.value = if (shown != null) render(shown) else PanicState.Idle
        }.onFailure { _error.value = it.toUiError() }
    }

    /**
     * Raises the alert with the last known location (never waits for a fix),
     * then sends what is due. Does nothing if one is already running.
     */
    suspend fun trigger(note: String? = null) {
        if (_state.value is PanicState.CountingDown || _state.value is PanicState.Active) return
        _error.value = null
        val mode = if (countdownSeconds <= 0) AlertMode.Immediate else AlertMode.Countdown(countdownSeconds.toUInt())
        attempt {
            val status = alerts.trigger(TriggerRequest(mode, AlertReason.BUTTON, location.lastKnown(), note))
            _state.value = render(status)
            if (status.state == AlertState.FIRED) flushAndRefresh(status.id)
        }.onFailure { _error.value = it.toUiError() }
    }

    /** Cancels the countdown: nothing is sent. */
    suspend fun cancel() {
        val s = _state.value as? PanicState.CountingDown ?: return
        attempt { alerts.cancel(s.alertId) }
            .onSuccess { _state.value = render(it) }
            .onFailure { refreshOr(it, s.alertId) }
    }

    /** "I'm safe": closes the alert; contacts already reached are told. */
    suspend fun imSafe() {
        val id = when (val s = _state.value) {
            is PanicState.Active -> s.alertId
            is PanicState.CountingDown -> s.alertId
            else -> return
        }
        attempt {
            val st = alerts.resolve(id)
            _state.value = render(st)
            alerts.flushOutbox()
            _state.value = render(alerts.alertStatus(id))
        }.onFailure { _error.value = it.toUiError() }
    }

    /**
     * Called about four times a second while the screen is visible: updates
     * the countdown and, once it is due, lets the core fire it.
     */
    suspend fun onClockTick() {
        val s = _state.value as? PanicState.CountingDown ?: return
        val left = secondsLeft(s.firesAtMs)
        if (left > 0) {
            if (left != s.secondsLeft) _state.value = s.copy(secondsLeft = left)
            return
        }
        attempt { alerts.tick() }.onFailure { _error.value = it.toUiError() }
        refresh(s.alertId)
        val now = _state.value
        if (now is PanicState.Active) flushAndRefresh(now.alertId)
    }

    /** A fresh fix arrived: the core sends a follow-up (rate-limited). */
    suspend fun onLocationFix(fix: AlertLocation) {
        val id = (_state.value as? PanicState.Active)?.alertId ?: return
        attempt { alerts.updateLocation(id, fix); alerts.flushOutbox() }
            .onFailure { _error.value = it.toUiError() }
        refresh(id)
    }

    /** The user came back from the SMS composer (iOS) or a report arrived. */
    suspend fun reportSms(deliveryId: String, sent: Boolean) {
        val report = if (sent) SmsReport.Sent else SmsReport.Failed("not sent by the user")
        attempt { alerts.reportSms(deliveryId, report) }.onFailure { _error.value = it.toUiError() }
        currentAlertId()?.let { refresh(it) }
    }

    /** A core event: refresh if it concerns the alert on screen. */
    suspend fun onEvent(event: AlertEvent) {
        val id = currentAlertId()
        when (event) {
            is AlertEvent.Fired -> if (!event.silent && (id == null || id == event.alertId)) refresh(event.alertId)
            is AlertEvent.Delivery -> if (id != null && event.delivery.alertId == id) refresh(id)
            is AlertEvent.CountdownStarted, is AlertEvent.CountdownCancelled, is AlertEvent.Resolved ->
                if (id != null) refresh(id)
        }
    }

    /** Back to the button after an ended alert. */
    fun dismiss() {
        if (_state.value is PanicState.Ended) _state.value = PanicState.Idle
    }

    private fun currentAlertId(): String? = when (val s = _state.value) {
        is PanicState.CountingDown -> s.alertId
        is PanicState.Active -> s.alertId
        is PanicState.Ended -> s.alertId
        PanicState.Idle -> null
    }

    private fun secondsLeft(firesAtMs: Long): Int {
        val ms = firesAtMs - clock.nowMs()
        return if (ms <= 0) 0 else ((ms + 999) / 1000).toInt()
    }

    private suspend fun flushAndRefresh(id: String) {
        attempt { alerts.flushOutbox() }.onFailure { _error.value = it.toUiError() }
        refresh(id)
    }

    private suspend fun refresh(id: String) {
        attempt { alerts.alertStatus(id) }
            .onSuccess { _state.value = render(it) }
            .onFailure { _error.value = it.toUiError() }
    }

    private suspend fun refreshOr(t: Throwable, id: String) {
        _error.value = t.toUiError()
        refresh(id)
    }

    private suspend fun render(a: AlertStatus): PanicState = when (a.state) {
        AlertState.COUNTDOWN -> PanicState.CountingDown(a.id, a.firesAtMs ?: clock.nowMs(), secondsLeft(a.firesAtMs ?: 0))
        AlertState.FIRED -> {
            val rows = deliveryRows(a.deliveries, contacts())
            PanicState.Active(a.id, rows, summarize(rows), a.hasLocation)
        }
        AlertState.CANCELLED -> PanicState.Ended(a.id, sentSomething = false, safeRows = emptyList())
        AlertState.RESOLVED -> PanicState.Ended(
            a.id,
            sentSomething = a.firedAtMs != null,
            safeRows = deliveryRows(a.deliveries, contacts(), MessageKind.SAFE),
        )
    }

    private suspend fun contacts() = attempt { alerts.contacts() }.getOrDefault(emptyList())
}
