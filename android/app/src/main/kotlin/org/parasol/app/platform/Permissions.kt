package org.parasol.app.platform

import android.Manifest
import android.app.Activity
import android.app.AlarmManager
import android.content.Context
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import org.parasol.app.ParasolApplication
import org.parasol.core.Permission
import org.parasol.core.PermissionState
import org.parasol.core.PermissionStatus

/**
 * Reads (never asks) the status of each permission the core knows. "Don't ask
 * again" is told apart from "never asked" by a flag set when we first ask
 * and `shouldShowRequestPermissionRationale` (false for both otherwise).
 */
object Permissions {
    private const val PREFS = "asked"

    /** The runtime permissions behind each core permission (empty: none on this API level). */
    fun manifestNames(p: Permission): Array<String> = when (p) {
        Permission.SMS -> arrayOf(Manifest.permission.SEND_SMS)
        Permission.LOCATION -> arrayOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION)
        Permission.NOTIFICATIONS ->
            if (Build.VERSION.SDK_INT >= 33) arrayOf(Manifest.permission.POST_NOTIFICATIONS) else emptyArray()
        Permission.EXACT_ALARMS -> emptyArray()
    }

    fun markAsked(context: Context, p: Permission) =
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit().putBoolean(p.name, true).apply()

    private fun asked(context: Context, p: Permission) =
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).getBoolean(p.name, false)

    fun status(context: Context, activity: Activity?, p: Permission): PermissionStatus {
        if (p == Permission.SMS && !ParasolApplication.capabilities(context).silentSms) return PermissionStatus.NOT_APPLICABLE
        if (p == Permission.EXACT_ALARMS) {
            // API 31+: a switch on a settings page (ACTION_REQUEST_SCHEDULE_EXACT_ALARM),
            // off by default for new installs on API 33+. Never shown yet: UNKNOWN, so
            // the core asks when a check-in starts; after that only the user's tap
            // on "Allow" opens the page again.
            if (Build.VERSION.SDK_INT < 31) return PermissionStatus.NOT_APPLICABLE
            val ok = context.getSystemService(AlarmManager::class.java).canScheduleExactAlarms()
            return when {
                ok -> PermissionStatus.GRANTED
                !asked(context, p) -> PermissionStatus.UNKNOWN
                else -> PermissionStatus.DENIED_FOREVER
            }
        }
        val names = manifestNames(p)
        if (names.isEmpty()) { // notifications before Android 13: only the settings switch
            val on = NotificationManagerCompat.from(context).areNotificationsEnabled()
            return if (on) PermissionStatus.GRANTED else PermissionStatus.DENIED_FOREVER
        }
        if (names.any { ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED }) {
            return PermissionStatus.GRANTED
        }
        if (!asked(context, p)) return PermissionStatus.UNKNOWN
        val rationale = activity?.let { a -> names.any { a.shouldShowRequestPermissionRationale(it) } } ?: true
        return if (rationale) PermissionStatus.DENIED else PermissionStatus.DENIED_FOREVER
    }

    fun statuses(context: Context, activity: Activity?): List<PermissionState> =
        Permission.values().map { PermissionState(it, status(context, activity, it)) }
}
