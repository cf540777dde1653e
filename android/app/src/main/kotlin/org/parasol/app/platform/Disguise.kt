package org.parasol.app.platform

import android.content.ComponentName
import android.content.Context
import android.content.pm.PackageManager

/**
 * Switches the launcher entry between the default and the disguised one
 * ("Notes" with a notepad icon): exactly one activity-alias is enabled.
 * Some launchers take a moment to refresh.
 */
object Disguise {
    private const val DEFAULT = "org.parasol.app.LauncherDefault"
    private const val NOTES = "org.parasol.app.LauncherNotes"

    fun set(context: Context, disguised: Boolean) {
        val pm = context.packageManager
        fun state(on: Boolean) =
            if (on) PackageManager.COMPONENT_ENABLED_STATE_ENABLED else PackageManager.COMPONENT_ENABLED_STATE_DISABLED
        // Enable the new one first so there is never no launcher entry.
        pm.setComponentEnabledSetting(ComponentName(context, if (disguised) NOTES else DEFAULT), state(true), PackageManager.DONT_KILL_APP)
        pm.setComponentEnabledSetting(ComponentName(context, if (disguised) DEFAULT else NOTES), state(false), PackageManager.DONT_KILL_APP)
    }
}
