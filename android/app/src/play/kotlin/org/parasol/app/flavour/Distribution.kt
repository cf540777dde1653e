package org.parasol.app.flavour

/**
 * What the Google Play build may do (android/README.md, "Store policy").
 *
 * The `direct` flavour declares the same names with its own values; the shell
 * reads them instead of deciding anything itself.
 */
object Distribution {
    /** Build name, for diagnostics only. */
    const val NAME: String = "play"

    /**
     * Whether an SMS can leave without the user: the core's `silent_sms`
     * capability. False here: without SEND_SMS every SMS needs the user's tap,
     * so the core routes silent (duress) alerts to other channels.
     */
    const val SILENT_SMS: Boolean = false

    /**
     * Whether SMS alerts open the messaging app's composer
     * (`Intent.ACTION_SENDTO`, `smsto:<number>`, text in `sms_body`) and wait
     * for the user to send, instead of `SmsManager`.
     */
    const val SMS_VIA_COMPOSER: Boolean = true
}
