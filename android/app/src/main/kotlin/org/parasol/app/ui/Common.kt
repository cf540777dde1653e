package org.parasol.app.ui

import androidx.compose.foundation.layout.defaultMinSize
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.Info
import androidx.compose.material.icons.filled.Lock
import androidx.compose.material.icons.filled.Person
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.DeliveryLabel
import org.parasol.core.Notice
import org.parasol.core.Permission
import org.parasol.core.PermissionStatus
import org.parasol.core.Screen
import org.parasol.core.SmsNote

// Words for the core's enums (string resources); nothing here decides anything.

/** Every touch target is at least 48dp (Material and TalkBack guidance). */
val MinTarget = Modifier.defaultMinSize(minWidth = 48.dp, minHeight = 48.dp)

fun Screen.label(): Int = when (this) {
    Screen.ALERT -> R.string.nav_alert
    Screen.CHECKIN -> R.string.nav_checkin
    Screen.HELPLINES -> R.string.nav_help
    Screen.RIGHTS -> R.string.nav_rights
    Screen.NOTES -> R.string.nav_journal
    Screen.CONTACTS -> R.string.nav_contacts
    Screen.SETTINGS -> R.string.nav_settings
}

fun Screen.icon(): ImageVector = when (this) {
    Screen.ALERT -> Icons.Filled.Warning
    Screen.CHECKIN -> Icons.Filled.DateRange
    Screen.HELPLINES -> Icons.Filled.Call
    Screen.RIGHTS -> Icons.Filled.Info
    Screen.NOTES -> Icons.Filled.Lock
    Screen.CONTACTS -> Icons.Filled.Person
    Screen.SETTINGS -> Icons.Filled.Settings
}

fun DeliveryLabel.text(): Int = when (this) {
    DeliveryLabel.WAITING -> R.string.delivery_waiting
    DeliveryLabel.RETRYING -> R.string.delivery_retrying
    DeliveryLabel.SENDING -> R.string.delivery_sending
    DeliveryLabel.SENT -> R.string.delivery_sent
    DeliveryLabel.DELIVERED -> R.string.delivery_delivered
    DeliveryLabel.TAP_TO_SEND -> R.string.delivery_tap_to_send
    DeliveryLabel.NOT_SENT -> R.string.delivery_not_sent
    DeliveryLabel.NOT_NEEDED -> R.string.delivery_not_needed
}

fun SmsNote.text(): Int = when (this) {
    SmsNote.NEEDS_TAP -> R.string.sms_needs_tap
    SmsNote.NOT_ALLOWED -> R.string.sms_not_allowed
    SmsNote.UNAVAILABLE -> R.string.sms_unavailable
}

fun Notice.text(): Int = when (this) {
    Notice.WRONG_PASSPHRASE -> R.string.error_wrong_passphrase
    Notice.LOCKED -> R.string.error_locked
    Notice.INVALID_INPUT -> R.string.error_invalid_input
    Notice.NOT_FOUND -> R.string.error_not_found
    Notice.NETWORK -> R.string.error_network
    Notice.STORAGE -> R.string.error_storage
    Notice.PLATFORM -> R.string.error_platform
    Notice.OTHER -> R.string.error_other
    Notice.MISMATCH -> R.string.error_mismatch
    Notice.NO_CONTACTS -> R.string.notice_no_contacts
    Notice.SAVED -> R.string.settings_saved
    Notice.TEST_QUEUED -> R.string.notice_test_queued
    Notice.NOTHING_TO_OPEN -> R.string.notice_nothing_to_open
}

fun Permission.text(): Int = when (this) {
    Permission.SMS -> R.string.permission_sms
    Permission.LOCATION -> R.string.permission_location
    Permission.NOTIFICATIONS -> R.string.permission_notifications
    Permission.EXACT_ALARMS -> R.string.permission_exact_alarms
}

fun PermissionStatus.text(): Int = when (this) {
    PermissionStatus.GRANTED, PermissionStatus.NOT_APPLICABLE -> R.string.permission_on
    PermissionStatus.UNKNOWN, PermissionStatus.DENIED -> R.string.permission_off
    PermissionStatus.DENIED_FOREVER -> R.string.permission_off_settings
}

/** A notice that TalkBack reads out when it appears. */
@Composable
fun NoticeText(notice: Notice?) {
    if (notice == null) return
    Text(
        stringResource(notice.text()),
        color = MaterialTheme.colorScheme.primary,
        modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite },
    )
}

@Composable
fun PrimaryButton(label: String, enabled: Boolean = true, onClick: () -> Unit) =
    Button(onClick = onClick, enabled = enabled, modifier = MinTarget) { Text(label) }

@Composable
fun SecondaryButton(label: String, onClick: () -> Unit) =
    OutlinedButton(onClick = onClick, modifier = MinTarget) { Text(label) }
