package org.parasol.app.platform

import android.app.Activity
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build
import android.telephony.SmsManager
import org.parasol.app.ParasolApplication
import org.parasol.core.ParasolException
import org.parasol.core.SmsOutcome
import org.parasol.core.SmsReport
import org.parasol.core.SmsRequest
import org.parasol.core.SmsSender

/**
 * Sends alert SMS with SmsManager. Returns `Sent` once handed to the radio;
 * the sent and delivered PendingIntents report the real outcome back to the
 * core through [SmsStatusReceiver]. Throwing means "retry later" (the core
 * owns the retry policy). Never logs numbers or text.
 */
class AndroidSmsSender(private val context: Context) : SmsSender {
    override fun sendSms(request: SmsRequest): SmsOutcome {
        val sms = smsManager() ?: throw ParasolException.Platform("no SMS service")
        val parts = sms.divideMessage(request.text)
        val sent = ArrayList<PendingIntent>()
        val delivered = ArrayList<PendingIntent>()
        parts.indices.forEach { i ->
            // Only the last part reports: the core tracks one delivery per message.
            val last = i == parts.lastIndex
            sent += statusIntent(request.deliveryId, ACTION_SENT, i, last)
            delivered += statusIntent(request.deliveryId, ACTION_DELIVERED, i, last)
        }
        try {
            sms.sendMultipartTextMessage(request.phone, null, parts, sent, delivered)
        } catch (e: SecurityException) {
            throw ParasolException.Platform("SMS permission missing")
        } catch (e: IllegalArgumentException) {
            throw ParasolException.Platform("SMS refused")
        }
        return SmsOutcome.SENT
    }

    private fun smsManager(): SmsManager? =
        if (Build.VERSION.SDK_INT >= 31) context.getSystemService(SmsManager::class.java)
        else @Suppress("DEPRECATION") SmsManager.getDefault()

    private fun statusIntent(deliveryId: String, action: String, part: Int, report: Boolean): PendingIntent {
        val intent = Intent(context, SmsStatusReceiver::class.java)
            .setAction(action)
            .putExtra(EXTRA_DELIVERY, deliveryId)
            .putExtra(EXTRA_REPORT, report)
        val code = (deliveryId.hashCode() * 31 + action.hashCode()) * 8 + part
        return PendingIntent.getBroadcast(context, code, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
    }

    companion object {
        const val ACTION_SENT = "org.parasol.app.SMS_SENT"
        const val ACTION_DELIVERED = "org.parasol.app.SMS_DELIVERED"
        const val EXTRA_DELIVERY = "delivery"
        const val EXTRA_REPORT = "report"
    }
}

/** Receives the SMS sent/delivered results and reports them with `report_sms`. */
class SmsStatusReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (!intent.getBooleanExtra(AndroidSmsSender.EXTRA_REPORT, false)) return
        val id = intent.getStringExtra(AndroidSmsSender.EXTRA_DELIVERY) ?: return
        val report = when (intent.action) {
            AndroidSmsSender.ACTION_SENT ->
                if (resultCode == Activity.RESULT_OK) SmsReport.Sent else SmsReport.Failed("radio result $resultCode")
            AndroidSmsSender.ACTION_DELIVERED ->
                if (resultCode == Activity.RESULT_OK) SmsReport.Delivered else return
            else -> return
        }
        val pending = goAsync()
        val app = context.applicationContext as ParasolApplication
        app.launchBackground {
            try {
                app.alerts().reportSms(id, report)
                app.reschedule()
            } finally {
                pending.finish()
            }
        }
    }
}
