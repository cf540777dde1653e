package org.parasol.app.ui

import androidx.compose.foundation.layout.defaultMinSize
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.Info
import androidx.compose.material.icons.filled.Lock
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
import org.parasol.shared.DeliveryLabel
import org.parasol.shared.UiError

/** Every touch target is at least 48dp (Material and TalkBack guidance). */
val MinTarget = Modifier.defaultMinSize(minWidth = 48.dp, minHeight = 48.dp)

fun routeIcon(path: String): ImageVector = when (path) {
    "panic" -> Icons.Filled.Warning
    "checkin" -> Icons.Filled.DateRange
    "help" -> Icons.Filled.Call
    "rights" -> Icons.Filled.Info
    else -> Icons.Filled.Lock
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

fun UiError.text(): Int = when (this) {
    UiError.WRONG_PASSPHRASE -> R.string.error_wrong_passphrase
    UiError.LOCKED -> R.string.error_locked
    UiError.INVALID_INPUT -> R.string.error_invalid_input
    UiError.NOT_FOUND -> R.string.error_not_found
    UiError.NETWORK -> R.string.error_network
    UiError.STORAGE -> R.string.error_storage
    UiError.PLATFORM -> R.string.error_platform
    UiError.MISMATCH -> R.string.error_mismatch
    UiError.OTHER -> R.string.error_other
}

/** An error line that TalkBack reads out when it appears. */
@Composable
fun ErrorText(error: UiError?) {
    if (error == null) return
    Text(
        stringResource(error.text()),
        color = MaterialTheme.colorScheme.error,
        modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite },
    )
}

@Composable
fun PrimaryButton(label: String, onClick: () -> Unit, enabled: Boolean = true) =
    Button(onClick = onClick, enabled = enabled, modifier = MinTarget) { Text(label) }

@Composable
fun SecondaryButton(label: String, onClick: () -> Unit) =
    OutlinedButton(onClick = onClick, modifier = MinTarget) { Text(label) }
