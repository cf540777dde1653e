package org.parasol.app.platform

import android.app.Activity
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build
import android.telephony.SmsManager
import org.parasol.app.ParasolApplication
import org.parasol.core.AppEvent
import org.parasol.core.SmsSendResult

/**
 * Silent SMS with SmsManager (API 26+; `getSystemService(SmsManager)` from 31).
 * The sent/delivered PendingIntents report through [SmsStatusReceiver]; a
 * refusal (no permission, no SIM) is reported at once as failed, and the
 * core decides what happens next. Never logs numbers or text.
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
        val intent = Intent(context, SmsStatusReceiver::class.java)
            .setAction(action).putExtra(EXTRA_DELIVERY, id).putExtra(EXTRA_LAST, last)
        val code = (id.hashCode() * 31 + action.hashCode()) * 8 + part
        return PendingIntent.getBroadcast(context, code, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
    }
}

/** Reports the radio's sent/delivered results to the core. */
class SmsStatusReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (!intent.getBooleanExtra(Sms.EXTRA_LAST, false)) return
        val id = intent.getStringExtra(Sms.EXTRA_DELIVERY) ?: return
        val result = when (intent.action) {
            Sms.ACTION_SENT ->
                if (resultCode == Activity.RESULT_OK) SmsSendResult.Sent else SmsSendResult.Failed("radio result $resultCode")
            Sms.ACTION_DELIVERED -> if (resultCode == Activity.RESULT_OK) SmsSendResult.Delivered else return
            else -> return
        }
        val pending = goAsync()
        (context.applicationContext as ParasolApplication)
            .dispatchInBackground(AppEvent.SmsResult(id, result)) { pending.finish() }
    }
}
