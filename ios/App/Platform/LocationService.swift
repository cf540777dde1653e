import CoreLocation
import ParasolKit

/// Core Location: the last fix at once (the alert never waits), one fresh fix later.
final class LocationService: NSObject, CLLocationManagerDelegate, LastKnownLocation, @unchecked Sendable {
    private let manager = CLLocationManager()
    private var onFix: ((AlertLocation) -> Void)?

    override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyHundredMeters
    }

    func requestPermission() { manager.requestWhenInUseAuthorization() }

    func lastKnown() -> AlertLocation? { manager.location.map(Self.alert) }

    /// Asks for one fresh fix; `onFix` runs on the main thread.
    func freshFix(_ onFix: @escaping (AlertLocation) -> Void) {
        self.onFix = onFix
        manager.requestLocation()
    }

    func locationManager(_ m: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let l = locations.last else { return }
        onFix?(Self.alert(l)); onFix = nil
    }

    func locationManager(_ m: CLLocationManager, didFailWithError error: Error) { onFix = nil }

    private static func alert(_ l: CLLocation) -> AlertLocation {
        AlertLocation(latitude: l.coordinate.latitude, longitude: l.coordinate.longitude,
                      accuracyM: l.horizontalAccuracy >= 0 ? l.horizontalAccuracy : nil,
                      fixedAtMs: Int64(l.timestamp.timeIntervalSince1970 * 1000))
    }
}
