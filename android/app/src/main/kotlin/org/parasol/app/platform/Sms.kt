package org.parasol.app.platform

import android.app.Activity
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build
import android.telephony.SmsManager
import android.telephony.SmsMessage
import org.parasol.app.ParasolApplication
import org.parasol.core.AppEvent
import org.parasol.core.SmsSendResult
import org.parasol.shared.DeliveryOutcome
import org.parasol.shared.deliveryOutcome

/**
 * Silent SMS with SmsManager (API 26+; `getSystemService(SmsManager)` from 31).
 * The sent/delivered PendingIntents report through [SmsStatusReceiver]; a
 * refusal (no permission, no SIM) is reported at once as failed, and the
 * core decides what happens next. Never logs numbers or text.
 *
 * The delivery report's PendingIntent is explicit and MUTABLE: the radio
 * fills in the status report (`pdu`, `format` extras), which an immutable
 * intent would drop, and its result code is RESULT_OK whatever the report
 * says. The "sent" one stays immutable (its result code is the answer).
 */
object Sms {
    const val ACTION_SENT = "org.parasol.app.SMS_SENT"
    const val ACTION_DELIVERED = "org.parasol.app.SMS_DELIVERED"
    const val EXTRA_DELIVERY = "delivery"
    const val EXTRA_LAST = "last"

    fun send(context: Context, deliveryId: String, phone: String, text: String) {
        val app = context.applicationContext as ParasolApplication
        val sms = if (Build.VERSION.SDK_INT >= 31) context.getSystemService(SmsManager::class.java)
            else @Suppress("DEPRECATION") SmsManager.getDefault()
        try {
            val parts = sms.divideMessage(text)
            val sent = ArrayList<PendingIntent>()
            val delivered = ArrayList<PendingIntent>()
            parts.indices.forEach { i ->
                // Only the last part reports: the core tracks one delivery per message.
                sent += status(context, deliveryId, ACTION_SENT, i, i == parts.lastIndex)
                delivered += status(context, deliveryId, ACTION_DELIVERED, i, i == parts.lastIndex)
            }
            sms.sendMultipartTextMessage(phone, null, parts, sent, delivered)
        } catch (e: SecurityException) {
            app.host.send(AppEvent.SmsResult(deliveryId, SmsSendResult.Failed("not allowed")))
        } catch (e: IllegalArgumentException) {
            app.host.send(AppEvent.SmsResult(deliveryId, SmsSendResult.Failed("refused")))
        }
    }

    private fun status(context: Context, id: String, action: String, part: Int, last: Boolean): PendingIntent {
        // Explicit component: a mutable PendingIntent must never be implicit (API 34 refuses it).
        val intent = Intent(context, SmsStatusReceiver::class.java)
            .setAction(action).putExtra(EXTRA_DELIVERY, id).putExtra(EXTRA_LAST, last)
        val code = (id.hashCode() * 31 + action.hashCode()) * 8 + part
        val mutability = when {
            action == ACTION_SENT -> PendingIntent.FLAG_IMMUTABLE
            Build.VERSION.SDK_INT >= 31 -> PendingIntent.FLAG_MUTABLE
            else -> 0 // mutable by default before API 31
        }
        return PendingIntent.getBroadcast(context, code, intent, mutability or PendingIntent.FLAG_UPDATE_CURRENT)
    }

    /**
     * The outcome in a delivery report (decoded by [deliveryOutcome], checked
     * on the JVM). No report, or one that cannot be read: not "delivered".
     */
    fun deliveryStatus(intent: Intent): DeliveryOutcome {
        val pdu = intent.getByteArrayExtra("pdu") ?: return DeliveryOutcome.FAILED
        val format = intent.getStringExtra("format") ?: SmsMessage.FORMAT_3GPP
        val message = try { SmsMessage.createFromPdu(pdu, format) } catch (e: RuntimeException) { null }
            ?: return DeliveryOutcome.FAILED
        return deliveryOutcome(format, message.status)
    }

    /** What a delivery report means for the core; null: nothing to say yet. */
    fun deliveryResult(intent: Intent): SmsSendResult? = when (deliveryStatus(intent)) {
        DeliveryOutcome.RECEIVED -> SmsSendResult.Delivered
        DeliveryOutcome.PENDING -> null
        DeliveryOutcome.FAILED -> SmsSendResult.Failed("not received")
    }
}

/** Reports the radio's sent result and the recipient's delivery report to the core. */
class SmsStatusReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (!intent.getBooleanExtra(Sms.EXTRA_LAST, false)) return
        val id = intent.getStringExtra(Sms.EXTRA_DELIVERY) ?: return
        val result = when (intent.action) {
            Sms.ACTION_SENT ->
                if (resultCode == Activity.RESULT_OK) SmsSendResult.Sent else SmsSendResult.Failed("radio result $resultCode")
            // The real status is in the report, never in resultCode (always RESULT_OK).
            Sms.ACTION_DELIVERED -> Sms.deliveryResult(intent) ?: return
            else -> return
        }
        val pending = goAsync()
        (context.applicationContext as ParasolApplication)
            .dispatchInBackground(AppEvent.SmsResult(id, result)) { pending.finish() }
    }
}
