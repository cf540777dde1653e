// How a delivery's state reads on the panic screen: one calm label per state,
// one row per contact. The words live in the app's string resources.
package org.parasol.shared

import org.parasol.core.DeliveryChannel
import org.parasol.core.DeliveryState
import org.parasol.core.DeliveryStatus
import org.parasol.core.MessageKind
import org.parasol.core.TrustedContact

/** The label of a delivery (each maps to one string resource). */
enum class DeliveryLabel {
    /** Queued, not tried yet. */
    WAITING,
    /** Tried, will try again (no signal, server down). */
    RETRYING,
    /** Being sent now. */
    SENDING,
    /** Left the phone. */
    SENT,
    /** Confirmed received. */
    DELIVERED,
    /** The user must tap send (iOS composer). */
    TAP_TO_SEND,
    /** Given up. */
    NOT_SENT,
    /** Not needed any more (resolved first). */
    NOT_NEEDED,
    ;

    /** How far along this is; a contact shows its best channel. */
    internal val rank: Int get() = when (this) {
        DELIVERED -> 7
        SENT -> 6
        TAP_TO_SEND -> 5
        SENDING -> 4
        RETRYING -> 3
        WAITING -> 2
        NOT_NEEDED -> 1
        NOT_SENT -> 0
    }
}

/** The label for one delivery. */
fun DeliveryStatus.label(): DeliveryLabel = when (state) {
    DeliveryState.QUEUED -> if (attempts > 0u) DeliveryLabel.RETRYING else DeliveryLabel.WAITING
    DeliveryState.SENDING -> DeliveryLabel.SENDING
    DeliveryState.SENT -> DeliveryLabel.SENT
    DeliveryState.DELIVERED -> DeliveryLabel.DELIVERED
    DeliveryState.NEEDS_USER_ACTION -> DeliveryLabel.TAP_TO_SEND
    DeliveryState.FAILED -> DeliveryLabel.NOT_SENT
    DeliveryState.CANCELLED -> DeliveryLabel.NOT_NEEDED
}

/** One channel of a contact's row. */
data class ChannelStatus(
    /** SMS, webhook or push. */
    val channel: DeliveryChannel,
    /** Its label. */
    val label: DeliveryLabel,
    /** The delivery (for `report_sms` after the composer). */
    val deliveryId: String,
)

/** One row on the panic screen: a contact and how the alert reached them. */
data class ContactDeliveryRow(
    /** The contact id. */
    val contactId: String,
    /** The contact's name (or null if the contact was removed since). */
    val contactName: String?,
    /** The best label across the contact's channels. */
    val label: DeliveryLabel,
    /** Every channel. */
    val channels: List<ChannelStatus>,
) {
    /** Whether the user must act (open the SMS composer) for this contact. */
    val needsUserAction: Boolean get() = channels.any { it.label == DeliveryLabel.TAP_TO_SEND }
}

/** A one-line summary: "2 of 3 reached". */
data class DeliverySummary(
    /** Contacts reached (delivered or sent). */
    val reached: Int,
    /** Contacts with an alert. */
    val total: Int,
    /** Contacts whose message waits for the user. */
    val waitingForUser: Int,
)

/**
 * Builds per-contact rows from an alert's deliveries, for messages of [kind]
 * (the alert itself by default; "I'm safe" after resolving), in the order
 * the core queued them.
 */
fun deliveryRows(
    deliveries: List<DeliveryStatus>,
    contacts: List<TrustedContact>,
    kind: MessageKind = MessageKind.ALERT,
): List<ContactDeliveryRow> {
    val names = contacts.associate { it.id to it.name }
    return deliveries
        .filter { it.kind == kind }
        .groupBy { it.contactId }
        .map { (contactId, ds) ->
            // The newest delivery per channel (location follow-ups are separate kinds).
            val channels = ds.groupBy { it.channel }
                .map { (ch, list) -> list.maxBy { it.createdAtMs }.let { ChannelStatus(ch, it.label(), it.id) } }
            ContactDeliveryRow(contactId, names[contactId], channels.maxBy { it.label.rank }.label, channels)
        }
}

/** Summarises rows for the screen's headline. */
fun summarize(rows: List<ContactDeliveryRow>) = DeliverySummary(
    reached = rows.count { it.label == DeliveryLabel.DELIVERED || it.label == DeliveryLabel.SENT },
    total = rows.size,
    waitingForUser = rows.count { it.needsUserAction },
)
