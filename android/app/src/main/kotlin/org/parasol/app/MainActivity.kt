package org.parasol.app

import android.app.ActivityManager
import android.content.ActivityNotFoundException
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.provider.Settings
import android.view.WindowManager
import android.widget.Toast
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
import org.parasol.app.ui.OpenFailed
import org.parasol.app.ui.Root
import org.parasol.core.AppEvent
import org.parasol.core.NotifyReason
import org.parasol.core.Permission
import org.parasol.core.PermissionState
import org.parasol.core.SmsSendResult
import java.io.File
import java.io.IOException

/**
 * The single activity: renders the core's view and performs the effects that
 * need a screen (permission dialogs, the SMS composer, window flags, saving a
 * backup, leaving). Secure from the first frame, activity-wide (every screen
 * and dialog of this window): `FLAG_SECURE` and, on API 33+, no recents
 * screenshot; the core confirms it. The recents entry carries the neutral
 * disguise name and icon. A profile that cannot be opened shows an error with
 * "Try again", never a crash.
 */
class MainActivity : ComponentActivity() {
    private val app get() = application as ParasolApplication
    private var asking: Permission? = null
    private val queued = ArrayDeque<Pair<Permission, Boolean>>()
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
        pendingShare(null)
        val file = File(path)
        val copied = try {
            if (uri == null) {
                true // the user closed the picker: nothing to do
            } else {
                val out = contentResolver.openOutputStream(uri) ?: throw IOException("no stream")
                out.use { o -> file.inputStream().use { it.copyTo(o) } }
                true
            }
        } catch (e: IOException) { // includes FileNotFoundException; no path or message is logged
            false
        } catch (e: SecurityException) {
            false
        } catch (e: IllegalArgumentException) {
            false
        } finally {
            file.delete() // the private copy goes whatever happened
        }
        if (!copied) Toast.makeText(this, R.string.platform_save_failed, Toast.LENGTH_LONG).show()
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        if (Build.VERSION.SDK_INT >= 33) setRecentsScreenshotEnabled(false)
        neutralTaskDescription()
        app.activity = this
        // Across a process death while the picker or a dialog was open, the
        // pending request comes back; a fresh start removes a copy left behind.
        if (savedInstanceState != null) {
            asking = savedInstanceState.getString(KEY_ASKING)?.let { runCatching { Permission.valueOf(it) }.getOrNull() }
            composing = savedInstanceState.getString(KEY_COMPOSING)
            saving = savedInstanceState.getString(KEY_SAVING)
        } else {
            pendingShare()?.let { File(it).delete() }
            pendingShare(null)
        }
        onNotification(intent)
        setContent {
            MaterialTheme {
                val failed by app.host.openFailed.collectAsStateWithLifecycle()
                val view by app.host.view.collectAsStateWithLifecycle()
                if (failed) OpenFailed(app.host::retry) else Root(view, app.host::send)
            }
        }
    }

    override fun onSaveInstanceState(outState: Bundle) {
        super.onSaveInstanceState(outState)
        outState.putString(KEY_ASKING, asking?.name)
        outState.putString(KEY_COMPOSING, composing)
        outState.putString(KEY_SAVING, saving)
    }

    /** Recents shows the disguise name and icon, whichever launcher entry started the task. */
    private fun neutralTaskDescription() {
        val label = getString(R.string.disguise_name)
        val description = when {
            Build.VERSION.SDK_INT >= 33 ->
                ActivityManager.TaskDescription.Builder().setLabel(label).setIcon(R.mipmap.ic_launcher_notes).build()
            Build.VERSION.SDK_INT >= 28 ->
                @Suppress("DEPRECATION") ActivityManager.TaskDescription(label, R.mipmap.ic_launcher_notes, 0)
            else -> @Suppress("DEPRECATION") ActivityManager.TaskDescription(label)
        }
        setTaskDescription(description)
    }

    /** The private copy a picker is open for (kept in preferences: a path, never content). */
    private fun pendingShare(): String? = getSharedPreferences(PREFS, MODE_PRIVATE).getString(KEY_SAVING, null)

    private fun pendingShare(path: String?) =
        getSharedPreferences(PREFS, MODE_PRIVATE).edit().putString(KEY_SAVING, path).apply()

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

    /**
     * The runtime permission flow: a dialog, or the system settings page,
     * one at a time (a check-in asks for notifications and exact alarms at
     * once); each answer goes back to the core as `PermissionResult` with
     * granted / denied / denied forever, read from the system afterwards.
     */
    fun requestPermission(p: Permission, openSettings: Boolean) {
        if (asking == p || queued.any { it.first == p }) return
        queued.addLast(p to openSettings)
        if (asking == null) askNext()
    }

    private fun askNext() {
        val (p, openSettings) = queued.removeFirstOrNull() ?: return
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
            if (settings != null) {
                // A settings page says nothing about why: one plain line first.
                val hint = if (p == Permission.EXACT_ALARMS) R.string.platform_exact_alarms_hint else R.string.platform_settings_hint
                Toast.makeText(this, hint, Toast.LENGTH_LONG).show()
                systemSettings.launch(settings)
            } else {
                askPermission.launch(names)
            }
        } catch (e: ActivityNotFoundException) {
            answerPermission()
        }
    }

    private fun answerPermission() {
        val p = asking ?: return
        asking = null
        app.host.send(AppEvent.PermissionResult(PermissionState(p, Permissions.status(this, this, p))))
        askNext()
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
        if (Build.VERSION.SDK_INT >= 33) setRecentsScreenshotEnabled(!secure)
    }

    /**
     * Lets the user choose where the encrypted backup goes. The core wrote it
     * to a private file before the picker opened (the notes lock while the
     * picker covers the app: nothing more is read from them); the file is
     * deleted once copied, cancelled or failed, or at the next fresh start.
     */
    fun saveFile(path: String) {
        saving?.let { if (it != path) File(it).delete() }
        saving = path
        pendingShare(path)
        try {
            save.launch("notes.backup")
        } catch (e: ActivityNotFoundException) {
            saving = null
            pendingShare(null)
            File(path).delete()
            Toast.makeText(this, R.string.platform_save_failed, Toast.LENGTH_LONG).show()
        }
    }

    private companion object {
        const val PREFS = "platform"
        const val KEY_ASKING = "asking"
        const val KEY_COMPOSING = "composing"
        const val KEY_SAVING = "saving"
    }

    /** Home screen at once, and out of recents. */
    fun quickExit() {
        startActivity(Intent(Intent.ACTION_MAIN).addCategory(Intent.CATEGORY_HOME).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        finishAndRemoveTask()
    }
}

