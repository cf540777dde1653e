package org.parasol.app

import android.Manifest
import android.app.Application
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import org.parasol.app.platform.AndroidEffects
import org.parasol.app.platform.AndroidKeyStore
import org.parasol.app.platform.Notifications
import org.parasol.app.platform.Permissions
import org.parasol.core.AppCapabilities
import org.parasol.core.AppEvent
import org.parasol.core.Parasol
import org.parasol.core.ParasolConfig
import org.parasol.shared.AppHost
import java.io.File

/**
 * Owns the host over the core's App and the platform services. The profile
 * lives in `noBackupFilesDir` (never backed up, never on external storage).
 */
class ParasolApplication : Application() {
    /** Work that must finish even if no screen is open (receivers, workers). */
    val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    /** The activity on screen, for effects that need one (dialogs, composer). */
    @Volatile var activity: MainActivity? = null

    lateinit var host: AppHost
        private set

    override fun onCreate() {
        super.onCreate()
        Notifications.createChannels(this)
        host = AppHost(
            openProfile = {
                val dir = File(noBackupFilesDir, "profile").absolutePath
                Parasol.open(ParasolConfig(dir, 0u, null, false, emptyList()), AndroidKeyStore(this))
            },
            capabilities = capabilities(this),
            executor = AndroidEffects(this),
            permissions = { Permissions.statuses(this, activity) },
            scope = appScope,
        )
    }

    /** From receivers and workers: handles the event, then lets [done] run. */
    fun dispatchInBackground(event: AppEvent, done: () -> Unit = {}) {
        appScope.launch {
            try { host.dispatch(event) } finally { done() }
        }
    }

    companion object {
        /** What this build can do: silent SMS only with SEND_SMS declared (not in every flavour). */
        fun capabilities(context: Context): AppCapabilities {
            val pm = context.packageManager
            val declared = pm.getPackageInfo(context.packageName, PackageManager.GET_PERMISSIONS)
                .requestedPermissions.orEmpty().contains(Manifest.permission.SEND_SMS)
            val telephony = pm.hasSystemFeature(PackageManager.FEATURE_TELEPHONY_MESSAGING)
            val composer = Intent(Intent.ACTION_SENDTO, Uri.parse("smsto:")).resolveActivity(pm) != null
            return AppCapabilities(
                silentSms = declared && telephony,
                smsComposer = composer,
                exactWakeups = true,
                launcherDisguise = true,
            )
        }
    }
}
