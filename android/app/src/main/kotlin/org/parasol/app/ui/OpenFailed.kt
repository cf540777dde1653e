package org.parasol.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.parasol.app.R

/**
 * Shown when the profile could not be opened (no view model exists then):
 * a plain line and "Try again". The host never remembers the failure.
 */
@Composable
fun OpenFailed(retry: () -> Unit) {
    Column(
        Modifier.fillMaxSize().padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        Text(
            stringResource(R.string.platform_open_failed),
            Modifier.semantics { liveRegion = LiveRegionMode.Polite },
        )
        Button(onClick = retry, modifier = Modifier.heightIn(min = 48.dp)) {
            Text(stringResource(R.string.platform_retry))
        }
    }
}
