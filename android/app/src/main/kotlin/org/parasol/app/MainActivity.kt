package org.parasol.app

import android.content.ActivityNotFoundException
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.provider.Settings
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.getValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.lifecycleScope
import kotlinx.coroutines.launch
import org.parasol.app.platform.Notifications
import org.parasol.app.platform.Permissions
import org.parasol.app.ui.Root
import org.parasol.core.AppEvent
import org.parasol.core.NotifyReason
import org.parasol.core.Permission
import org.parasol.core.PermissionState
import org.parasol.core.SmsSendResult
import java.io.File

/**
 * The single activity: renders the core's view and performs the effects that
 * need a screen (permission dialogs, the SMS composer, window flags, saving a
 * backup, leaving). Secure from the first frame; the core confirms it.
 */
class MainActivity : ComponentActivity() {
    private val app get() = application as ParasolApplication
    private var asking: Permission? = null
    private var composing: String? = null
    private var saving: String? = null

    private val askPermission =
        registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { answerPermission() }
    private val systemSettings =
        registerForActivityResult(ActivityResultContracts.StartActivityForResult()) { answerPermission() }
    private val composer = registerForActivityResult(ActivityResultContracts.StartActivityForResult()) { r ->
        val id = composing ?: return@registerForActivityResult
        composing = null
        // Messages apps rarely say whether the user sent: only RESULT_OK counts as sent.
        app.host.send(AppEvent.SmsResult(id, if (r.resultCode == RESULT_OK) SmsSendResult.Sent else SmsSendResult.Cancelled))
    }
    private val save = registerForActivityResult(ActivityResultContracts.CreateDocument("application/octet-stream")) { uri ->
        val path = saving ?: return@registerForActivityResult
        saving = null
        val file = File(path)
        try {
            if (uri != null) contentResolver.openOutputStream(uri)?.use { out -> file.inputStream().use { it.copyTo(out) } }
        } finally {
            file.delete()
        }
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        app.activity = this
        onNotification(intent)
        setContent {
            MaterialTheme {
                val view by app.host.view.collectAsStateWithLifecycle()
                Root(view, app.host::send)
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        onNotification(intent)
    }

    override fun onStart() {
        super.onStart()
        app.activity = this
        lifecycleScope.launch { app.host.start() }
    }

    override fun onStop() {
        super.onStop()
        // Notes lock and self-check answers go as soon as the app is not on screen.
        app.host.send(AppEvent.Backgrounded)
    }

    override fun onDestroy() {
        if (app.activity === this) app.activity = null
        super.onDestroy()
    }

    private fun onNotification(intent: Intent?) {
        val reason = intent?.getStringExtra(Notifications.EXTRA_REASON) ?: return
        intent.removeExtra(Notifications.EXTRA_REASON)
        runCatching { NotifyReason.valueOf(reason) }.onSuccess { app.host.send(AppEvent.NotificationTapped(it)) }
    }

    /** The runtime permission flow: a dialog, or the system settings page. */
    fun requestPermission(p: Permission, openSettings: Boolean) {
        asking = p
        Permissions.markAsked(this, p)
        val names = Permissions.manifestNames(p)
        val settings = when {
            p == Permission.EXACT_ALARMS && Build.VERSION.SDK_INT >= 31 ->
                Intent(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Uri.parse("package:$packageName"))
            p == Permission.NOTIFICATIONS && names.isEmpty() ->
                Intent(Settings.ACTION_APP_NOTIFICATION_SETTINGS).putExtra(Settings.EXTRA_APP_PACKAGE, packageName)
            openSettings || names.isEmpty() ->
                Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null))
            else -> null
        }
        try {
            if (settings != null) systemSettings.launch(settings) else askPermission.launch(names)
        } catch (e: ActivityNotFoundException) {
            answerPermission()
        }
    }

    private fun answerPermission() {
        val p = asking ?: return
        asking = null
        app.host.send(AppEvent.PermissionResult(PermissionState(p, Permissions.status(this, this, p))))
    }

    /** The messages app with the text filled in; the user sends it. */
    fun compose(deliveryId: String, phone: String, text: String) {
        composing = deliveryId
        try {
            composer.launch(Intent(Intent.ACTION_SENDTO, Uri.parse("smsto:$phone")).putExtra("sms_body", text))
        } catch (e: ActivityNotFoundException) {
            composing = null
            app.host.send(AppEvent.SmsResult(deliveryId, SmsSendResult.Failed("no messages app")))
        }
    }

    fun open(uri: String) {
        val action = if (uri.startsWith("tel:")) Intent.ACTION_DIAL else Intent.ACTION_VIEW
        try { startActivity(Intent(action, Uri.parse(uri))) } catch (_: ActivityNotFoundException) { }
    }

    fun setSecure(secure: Boolean) {
        if (secure) window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        else window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE)
    }

    /** Lets the user choose where the encrypted backup goes; the temporary file is deleted. */
    fun saveFile(path: String) {
        saving = path
        save.launch("notes.backup")
    }

    /** Home screen at once, and out of recents. */
    fun quickExit() {
        startActivity(Intent(Intent.ACTION_MAIN).addCategory(Intent.CATEGORY_HOME).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        finishAndRemoveTask()
    }
}
