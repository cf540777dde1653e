// The closed set of platform effects the core asks for, one method each. The
// app implements them (UIKit, UserNotifications, ...); the Linux checks fake
// them. Results go back to the core as events through AppHost.send.
import Foundation
@_exported import ParasolCore

/// What the phone does for the core. Called off the main thread: hop to the
/// main actor for UI work and return quickly.
public protocol EffectExecutor: AnyObject, Sendable {
    /// Ask for a permission (or open the app's settings); reply `.permissionResult`.
    func requestPermission(_ permission: Permission, openSettings: Bool)
    /// Send an SMS with nothing on screen (never on iOS: no such capability).
    func sendSms(deliveryId: String, phone: String, text: String)
    /// Show the composer; reply `.smsResult` (sent or cancelled).
    func composeSms(deliveryId: String, phone: String, text: String)
    /// One location fix within `timeoutMs`; reply `.locationResult`.
    func getLocation(timeoutMs: UInt32)
    /// Wake the app at `atMs` (timer slot, or network job slot).
    func scheduleWakeup(atMs: Int64, needsNetwork: Bool)
    /// Remove the wake-up of that slot.
    func cancelWakeup(needsNetwork: Bool)
    /// Show a notification at `atMs` (now when nil), scheduled by `id`, shown in `slot`.
    func notify(id: String, slot: NotificationSlot, reason: NotifyReason, atMs: Int64?)
    /// Remove every notification of `slot`, pending or shown.
    func cancelNotifications(slot: NotificationSlot)
    /// Open a URI the core built and checked.
    func openUri(_ uri: String)
    /// Cover the screen in the app switcher (and wherever the platform allows).
    func setScreenSecurity(_ secure: Bool)
    /// Switch the launcher entry (not on iOS: no such capability).
    func setLauncherDisguise(_ disguised: Bool)
    /// Offer a file to the user, then delete it.
    func shareFile(path: String)
    /// Leave at once.
    func quickExit(coverUri: String)
}

extension EffectExecutor {
    /// Routes one effect to its method. `.restart` and wake-ups due now are the host's.
    public func perform(_ e: AppEffect) {
        switch e {
        case let .requestPermission(p, settings): requestPermission(p, openSettings: settings)
        case let .sendSms(id, phone, text): sendSms(deliveryId: id, phone: phone, text: text)
        case let .composeSms(id, phone, text): composeSms(deliveryId: id, phone: phone, text: text)
        case let .getLocation(ms): getLocation(timeoutMs: ms)
        case let .scheduleWakeup(at, network): scheduleWakeup(atMs: at, needsNetwork: network)
        case let .cancelWakeup(network): cancelWakeup(needsNetwork: network)
        case let .notify(id, slot, reason, at): notify(id: id, slot: slot, reason: reason, atMs: at)
        case let .cancelNotifications(slot): cancelNotifications(slot: slot)
        case let .openUri(uri): openUri(uri)
        case let .setScreenSecurity(secure): setScreenSecurity(secure)
        case let .setLauncherDisguise(on): setLauncherDisguise(on)
        case let .shareFile(path): shareFile(path: path)
        case let .quickExit(cover): quickExit(coverUri: cover)
        case .restart: break
        }
    }
}
