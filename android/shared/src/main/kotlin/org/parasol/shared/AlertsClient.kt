// The alert engine off the main thread, with the core's events as a Flow.
package org.parasol.shared

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.withContext
import org.parasol.core.AlertEvent
import org.parasol.core.AlertLocation
import org.parasol.core.AlertObserver
import org.parasol.core.AlertStatus
import org.parasol.core.Alerts
import org.parasol.core.CheckinRequest
import org.parasol.core.CheckinStatus
import org.parasol.core.DeliveryStatus
import org.parasol.core.FlushReport
import org.parasol.core.LocationFollowUp
import org.parasol.core.SmsReport
import org.parasol.core.SmsSender
import org.parasol.core.TriggerRequest
import org.parasol.core.TrustedContact
import org.parasol.core.TrustedContactInput

/**
 * Contacts, alerts, the outbox and the check-in timer. [events] carries the
 * core's state changes (registered as the engine's observer on creation).
 */
class AlertsClient internal constructor(
    private val core: Alerts,
    private val io: CoroutineDispatcher,
) : AutoCloseable {
    private val _events = MutableSharedFlow<AlertEvent>(
        replay = 0,
        extraBufferCapacity = 256,
        onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )

    /** State changes from the core (called on the core's thread; never blocks it). */
    val events: SharedFlow<AlertEvent> = _events.asSharedFlow()

    init {
        core.setObserver(object : AlertObserver {
            override fun onEvent(event: AlertEvent) {
                _events.tryEmit(event)
            }
        })
    }

    private suspend fun <T> call(block: (Alerts) -> T): T = withContext(io) { block(core) }

    /** Registers the platform SMS sender (Android: SmsManager). */
    fun setSmsSender(sender: SmsSender?) = core.setSmsSender(sender)

    /** The name contacts see. */
    suspend fun senderName(): String? = call { it.senderName() }

    /** Sets the name contacts see. */
    suspend fun setSenderName(name: String?) = call { it.setSenderName(name) }

    /** Every trusted contact. */
    suspend fun contacts(): List<TrustedContact> = call { it.contacts() }

    /** Adds a contact (the core validates numbers and URLs). */
    suspend fun addContact(input: TrustedContactInput): TrustedContact = call { it.addContact(input) }

    /** Replaces a contact's details. */
    suspend fun updateContact(id: String, input: TrustedContactInput): TrustedContact =
        call { it.updateContact(id, input) }

    /** Removes a contact. */
    suspend fun removeContact(id: String) = call { it.removeContact(id) }

    /** Queues a test message to a contact. */
    suspend fun testContact(id: String): List<DeliveryStatus> = call { it.testContact(id) }

    /** Triggers an alert; it is on disk when this returns. */
    suspend fun trigger(request: TriggerRequest): AlertStatus = call { it.trigger(request) }

    /** Cancels a countdown: nothing is sent. */
    suspend fun cancel(alertId: String): AlertStatus = call { it.cancel(alertId) }

    /** "I'm safe". */
    suspend fun resolve(alertId: String): AlertStatus = call { it.resolve(alertId) }

    /** A later location for an open alert. */
    suspend fun updateLocation(alertId: String, location: AlertLocation): LocationFollowUp =
        call { it.updateLocation(alertId, location) }

    /** One alert. */
    suspend fun alertStatus(alertId: String): AlertStatus = call { it.alertStatus(alertId) }

    /** Open alerts, oldest first. */
    suspend fun activeAlerts(): List<AlertStatus> = call { it.activeAlerts() }

    /** What became of an SMS (from the sent/delivered intents or the composer). */
    suspend fun reportSms(deliveryId: String, report: SmsReport): DeliveryStatus =
        call { it.reportSms(deliveryId, report) }

    /** Same as [reportSms], blocking: for a BroadcastReceiver's `goAsync` thread. */
    fun reportSmsBlocking(deliveryId: String, report: SmsReport): DeliveryStatus = core.reportSms(deliveryId, report)

    /** Sends everything due. */
    suspend fun flushOutbox(): FlushReport = call { it.flushOutbox() }

    /** Runs due work (countdowns, check-ins, retries). */
    suspend fun tick(): FlushReport = call { it.tick() }

    /** When to call [tick] next (ms since the epoch), or null. */
    suspend fun nextWakeupMs(): Long? = call { it.nextWakeupMs() }

    /** Starts a check-in timer. */
    suspend fun startCheckin(request: CheckinRequest): CheckinStatus = call { it.startCheckin(request) }

    /** Moves the check-in deadline later. */
    suspend fun extendCheckin(minutes: Int): CheckinStatus = call { it.extendCheckin(minutes.toUInt()) }

    /** Checks in. */
    suspend fun checkIn(): CheckinStatus = call { it.checkIn() }

    /** Cancels the check-in. */
    suspend fun cancelCheckin(): CheckinStatus = call { it.cancelCheckin() }

    /** The current or last check-in. */
    suspend fun checkin(): CheckinStatus? = call { it.checkin() }

    /** Unregisters the observer and sender and releases the handle. */
    override fun close() {
        core.setObserver(null)
        core.setSmsSender(null)
        core.close()
    }
}
