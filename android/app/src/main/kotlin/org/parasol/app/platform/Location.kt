package org.parasol.app.platform

import android.Manifest
import android.annotation.SuppressLint
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationManager
import android.os.Build
import android.os.CancellationSignal
import androidx.core.content.ContextCompat
import org.parasol.core.AlertLocation
import org.parasol.shared.LastKnownLocation
import java.util.concurrent.Executors

/**
 * Location without Google Play services (many phones our users carry have
 * none): the platform LocationManager. [lastKnown] returns at once; [freshFix]
 * asks for one new fix and calls back later (then `update_location`).
 */
class AndroidLocation(private val context: Context) : LastKnownLocation {
    private val lm = context.getSystemService(LocationManager::class.java)
    private val executor = Executors.newSingleThreadExecutor()

    private fun allowed() = listOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION)
        .any { ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED }

    @SuppressLint("MissingPermission")
    override fun lastKnown(): AlertLocation? {
        if (!allowed() || lm == null) return null
        return lm.getProviders(true)
            .mapNotNull { runCatching { lm.getLastKnownLocation(it) }.getOrNull() }
            .maxByOrNull { it.time }
            ?.toAlert()
    }

    /** Requests one fresh fix; [onFix] runs on a background thread. Returns a handle to cancel it. */
    @SuppressLint("MissingPermission")
    fun freshFix(onFix: (AlertLocation) -> Unit): CancellationSignal? {
        if (!allowed() || lm == null) return null
        val provider = listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER)
            .firstOrNull { lm.isProviderEnabled(it) } ?: return null
        val signal = CancellationSignal()
        if (Build.VERSION.SDK_INT >= 30) {
            lm.getCurrentLocation(provider, signal, executor) { loc -> loc?.let { onFix(it.toAlert()) } }
        } else {
            @Suppress("DEPRECATION")
            lm.requestSingleUpdate(provider, { loc -> onFix(loc.toAlert()) }, android.os.Looper.getMainLooper())
        }
        return signal
    }

    private fun Location.toAlert() = AlertLocation(
        latitude = latitude,
        longitude = longitude,
        accuracyM = if (hasAccuracy()) accuracy.toDouble() else null,
        fixedAtMs = time,
    )
}
