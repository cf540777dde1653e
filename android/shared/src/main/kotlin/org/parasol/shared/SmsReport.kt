// Reading an SMS status report (the radio's "delivered" broadcast) without
// android.*: the app passes `SmsMessage.getStatus()` and the `format` extra.
package org.parasol.shared

/** What a status report says about one message. */
enum class DeliveryOutcome {
    /** The recipient's phone has it. */
    RECEIVED,

    /** The network is still trying: another report follows. */
    PENDING,

    /** The network gave up: not received. */
    FAILED,
}

/**
 * The outcome of a status report. GSM/UMTS/LTE (`3gpp`, TS 23.040 TP-Status):
 * 0x00-0x1F done, 0x20-0x3F still trying, 0x40 and above failed. CDMA
 * (`3gpp2`): Android's `getStatus()` carries the error class in bits 24-25
 * (0 none, 2 temporary, 3 permanent). Anything else is not "received".
 */
fun deliveryOutcome(format: String?, status: Int): DeliveryOutcome =
    if (format == "3gpp2") {
        when ((status ushr 24) and 0x03) {
            0 -> DeliveryOutcome.RECEIVED
            2 -> DeliveryOutcome.PENDING
            else -> DeliveryOutcome.FAILED
        }
    } else {
        when (status) {
            in 0x00..0x1F -> DeliveryOutcome.RECEIVED
            in 0x20..0x3F -> DeliveryOutcome.PENDING
            else -> DeliveryOutcome.FAILED
        }
    }
