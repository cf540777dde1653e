// Status reports as the radio delivers them: never "received" unless they say so.
package org.parasol.shared.checks

import org.parasol.shared.DeliveryOutcome
import org.parasol.shared.deliveryOutcome

fun smsReportChecks() {
    Harness.test("sms report: GSM TP-Status ranges (TS 23.040)") {
        checkEq(deliveryOutcome("3gpp", 0x00), DeliveryOutcome.RECEIVED, "received by the SME")
        checkEq(deliveryOutcome("3gpp", 0x02), DeliveryOutcome.RECEIVED, "replaced by the SC")
        checkEq(deliveryOutcome("3gpp", 0x20), DeliveryOutcome.PENDING, "congestion, still trying")
        checkEq(deliveryOutcome("3gpp", 0x3F), DeliveryOutcome.PENDING, "last still-trying code")
        checkEq(deliveryOutcome("3gpp", 0x40), DeliveryOutcome.FAILED, "permanent error")
        checkEq(deliveryOutcome("3gpp", 0x62), DeliveryOutcome.FAILED, "temporary error, no more trying")
        checkEq(deliveryOutcome(null, 0x41), DeliveryOutcome.FAILED, "no format: read as GSM")
        checkEq(deliveryOutcome("3gpp", -1), DeliveryOutcome.FAILED, "nonsense is not received")
    }
    Harness.test("sms report: CDMA error class in bits 24-25") {
        checkEq(deliveryOutcome("3gpp2", 0), DeliveryOutcome.RECEIVED, "no error")
        checkEq(deliveryOutcome("3gpp2", (2 shl 8 or 4) shl 16), DeliveryOutcome.PENDING, "temporary")
        checkEq(deliveryOutcome("3gpp2", (3 shl 8 or 1) shl 16), DeliveryOutcome.FAILED, "permanent")
        checkEq(deliveryOutcome("3gpp2", 0x40), DeliveryOutcome.RECEIVED, "GSM codes mean nothing in CDMA's low bits")
    }
}
