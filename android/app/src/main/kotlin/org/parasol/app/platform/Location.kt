package org.parasol.app.platform

import android.Manifest
import android.annotation.SuppressLint
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationManager
import android.os.CancellationSignal
import android.os.Handler
import android.os.Looper
import androidx.core.content.ContextCompat
import androidx.core.location.LocationManagerCompat
import org.parasol.app.ParasolApplication
import org.parasol.core.AlertLocation
import org.parasol.core.AppEvent
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicBoolean

/**
 * One fix within the core's timeout, with the platform LocationManager (no
 * Google Play services: many phones our users carry have none). Exactly one
 * `LocationResult` goes back: the fix, or none on timeout or refusal.
 *
 * `LocationManagerCompat.getCurrentLocation` (androidx.core): the platform
 * call on API 30+, and below it a complete `LocationListener` of its own.
 * Never a lambda for `LocationListener` here: on API 26-29 its other methods
 * have no default body and the first callback would crash (AbstractMethodError).
 */
object OneFix {
    private val executor = Executors.newSingleThreadExecutor()

    @SuppressLint("MissingPermission")
    fun request(context: Context, timeoutMs: Long) {
        val host = (context.applicationContext as ParasolApplication).host
        val answered = AtomicBoolean(false)
        fun answer(l: Location?) {
            if (answered.compareAndSet(false, true)) host.send(AppEvent.LocationResult(l?.toAlert()))
        }
        val lm = context.getSystemService(LocationManager::class.java)
        val allowed = listOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION)
            .any { ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED }
        val provider = listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER)
            .firstOrNull { lm?.isProviderEnabled(it) == true }
        if (lm == null || !allowed || provider == null) return answer(null)
        val signal = CancellationSignal()
        val main = Handler(Looper.getMainLooper())
        val timeout = Runnable { signal.cancel(); answer(null) }
        main.postDelayed(timeout, timeoutMs)
        try {
            LocationManagerCompat.getCurrentLocation(lm, provider, signal, executor) { fix: Location? ->
                main.removeCallbacks(timeout)
                answer(fix)
            }
        } catch (e: RuntimeException) { // SecurityException (revoked meanwhile), IllegalArgumentException
            main.removeCallbacks(timeout)
            answer(null)
        }
    }

    private fun Location.toAlert() = AlertLocation(
        latitude = latitude,
        longitude = longitude,
        accuracyM = if (hasAccuracy()) accuracy.toDouble() else null,
        fixedAtMs = time,
    )
}
