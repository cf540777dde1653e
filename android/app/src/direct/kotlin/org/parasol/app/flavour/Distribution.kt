package org.parasol.app.flavour

/**
 * What the sideload / F-Droid build may do (android/README.md, "Store policy").
 *
 * The `play` flavour declares the same names with its own values; the shell
 * reads them instead of deciding anything itself.
 */
object Distribution {
    /** Build name, for diagnostics only. */
    const val NAME: String = "direct"

    /**
     * Whether an SMS can leave without the user: the core's `silent_sms`
     * capability. True here: SEND_SMS is declared and `SmsManager` sends.
     */
    const val SILENT_SMS: Boolean = true

    /** False: SMS alerts go out through `SmsManager` with sent/delivered reports. */
    const val SMS_VIA_COMPOSER: Boolean = false
}
