import BackgroundTasks
import CoreLocation
import MessageUI
import ParasolKit
import UIKit
import UserNotifications

/// Each effect on iOS. The core knows from `capabilities` that this phone has
/// no silent SMS and no launcher disguise, so it never asks for either.
final class IOSEffects: NSObject, EffectExecutor, @unchecked Sendable {
    static let timerTask = "org.parasol.app.wake"
    static let networkTask = "org.parasol.app.outbox"

    static var capabilities: AppCapabilities {
        AppCapabilities(silentSms: false, smsComposer: MFMessageComposeViewController.canSendText(),
                        exactWakeups: false, launcherDisguise: false)
    }

    weak var model: AppModel?
    private var host: AppHost? { model?.host }
    private let location = OneFix()
    private let lock = NSLock()
    private var notifications: PermissionStatus = .unknown

    // MARK: permissions (read, never asked)

    func permissions() -> [PermissionState] {
        [PermissionState(permission: .sms, status: .notApplicable),
         PermissionState(permission: .location, status: location.status),
         PermissionState(permission: .notifications, status: lock.withLock { notifications }),
         PermissionState(permission: .exactAlarms, status: .notApplicable)]
    }

    func refreshNotificationStatus() async {
        let s = await UNUserNotificationCenter.current().notificationSettings()
        let status: PermissionStatus
        switch s.authorizationStatus {
        case .notDetermined: status = .unknown
        case .denied: status = .deniedForever // iOS asks once; then only Settings
        default: status = .granted
        }
        lock.withLock { notifications = status }
    }

    func requestPermission(_ p: Permission, openSettings: Bool) {
        if openSettings {
            Task { @MainActor in
                if let url = URL(string: UIApplication.openSettingsURLString) { await UIApplication.shared.open(url) }
            }
            return
        }
        switch p {
        case .notifications:
            UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound]) { _, _ in
                Task {
                    await self.refreshNotificationStatus()
                    self.host?.send(.permissionResult(state: PermissionState(permission: p, status: self.lock.withLock { self.notifications })))
                }
            }
        case .location:
            location.requestPermission { status in
                self.host?.send(.permissionResult(state: PermissionState(permission: p, status: status)))
            }
        default:
            host?.send(.permissionResult(state: PermissionState(permission: p, status: .notApplicable)))
        }
    }

    // MARK: SMS

    func sendSms(deliveryId: String, phone: String, text: String) {
        // Never asked for on iOS (no silent SMS); answer so the core retries by its rules.
        host?.send(.smsResult(deliveryId: deliveryId, result: .failed(reason: "no silent SMS on this phone")))
    }

    func composeSms(deliveryId: String, phone: String, text: String) {
        Task { @MainActor in self.model?.composing = ComposeRequest(id: deliveryId, phone: phone, text: text) }
    }

    // MARK: location

    func getLocation(timeoutMs: UInt32) {
        location.fix(timeout: TimeInterval(timeoutMs) / 1000) { fix in
            self.host?.send(.locationResult(fix: fix))
        }
    }

    // MARK: wake-ups (iOS decides when background tasks run: best effort)

    func scheduleWakeup(atMs: Int64, needsNetwork: Bool) {
        let begin = Date(timeIntervalSince1970: TimeInterval(atMs) / 1000)
        let request: BGTaskRequest
        if needsNetwork {
            let r = BGProcessingTaskRequest(identifier: Self.networkTask)
            r.requiresNetworkConnectivity = true
            request = r
        } else {
            request = BGAppRefreshTaskRequest(identifier: Self.timerTask)
        }
        request.earliestBeginDate = begin
        try? BGTaskScheduler.shared.submit(request)
    }

    func cancelWakeup(needsNetwork: Bool) {
        BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: needsNetwork ? Self.networkTask : Self.timerTask)
    }

    /// Registers both handlers. Called from `ParasolApp.init`, before the app
    /// finishes launching (iOS refuses later registrations, and a background
    /// launch creates no view). Each handler opens the profile itself through
    /// `host.dispatch`; a profile that cannot be opened yet (before the first
    /// unlock) is reported as not completed, and the core's plan submits the
    /// next request.
    static func registerBackgroundTasks(_ host: AppHost) {
        for (id, network) in [(timerTask, false), (networkTask, true)] {
            BGTaskScheduler.shared.register(forTaskWithIdentifier: id, using: nil) { task in
                let done = TaskCompletion(task)
                let work = Task.detached {
                    let ok = await host.dispatch(.wokeUp(needsNetwork: network))
                    done.complete(ok)
                }
                task.expirationHandler = {
                    work.cancel()
                    done.complete(false)
                }
            }
        }
    }

    // MARK: notifications (neutral text; one thread per slot)

    func notify(id: String, slot: NotificationSlot, reason: NotifyReason, atMs: Int64?) {
        let content = UNMutableNotificationContent()
        content.title = NSLocalizedString(reason == .smsWaiting ? "notification.waiting" : "notification.reminder", comment: "")
        content.body = NSLocalizedString("notification.tap_to_open", comment: "")
        content.threadIdentifier = slot.key
        content.userInfo = ["reason": reason.key]
        let trigger = atMs.map {
            UNTimeIntervalNotificationTrigger(timeInterval: max(1, TimeInterval($0) / 1000 - Date().timeIntervalSince1970),
                                              repeats: false)
        }
        UNUserNotificationCenter.current().add(UNNotificationRequest(identifier: id, content: content, trigger: trigger))
    }

    func cancelNotifications(slot: NotificationSlot) {
        let center = UNUserNotificationCenter.current()
        let thread = slot.key
        center.getPendingNotificationRequests { reqs in
            center.removePendingNotificationRequests(withIdentifiers: reqs.filter { $0.content.threadIdentifier == thread }.map(\.identifier))
        }
        center.getDeliveredNotifications { shown in
            center.removeDeliveredNotifications(withIdentifiers: shown.filter { $0.request.content.threadIdentifier == thread }
                .map(\.request.identifier))
        }
    }

    // MARK: screen

    func openUri(_ uri: String) {
        guard let url = URL(string: uri) else { return }
        Task { @MainActor in await UIApplication.shared.open(url) }
    }

    /// The privacy cover (`PrivacyCover`): iOS cannot block screenshots.
    func setScreenSecurity(_ secure: Bool) { Task { @MainActor in self.model?.setSecure(secure) } }

    func setLauncherDisguise(_ disguised: Bool) {}

    func shareFile(path: String) {
        Task { @MainActor in self.model?.sharing = SharedFile(url: URL(fileURLWithPath: path)) }
    }

    /// iOS has no "go home": cover, then open the neutral page the core chose.
    func quickExit(coverUri: String) {
        openUri(coverUri)
    }
}

extension IOSEffects: UNUserNotificationCenterDelegate {
    /// Tapping a reminder only opens the app (the core never alerts because of it).
    func userNotificationCenter(_ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse) async {
        let raw = response.notification.request.content.userInfo["reason"] as? String
        if let reason = [NotifyReason.checkinDeadline, .checkinGrace, .smsWaiting].first(where: { $0.key == raw }) {
            host?.send(.notificationTapped(reason: reason))
        }
    }

    func userNotificationCenter(_ center: UNUserNotificationCenter,
                                willPresent notification: UNNotification) async -> UNNotificationPresentationOptions {
        [.banner, .sound]
    }
}

/// Core Location: permission and one fix with a timeout; exactly one answer.
/// Made on the main thread (`AppModel` is main-actor), used there only.
final class OneFix: NSObject, CLLocationManagerDelegate, @unchecked Sendable {
    private let manager = CLLocationManager()
    private var onFix: ((AlertLocation?) -> Void)?
    private var onPermission: ((PermissionStatus) -> Void)?

    override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyHundredMeters
    }

    var status: PermissionStatus {
        switch manager.authorizationStatus {
        case .notDetermined: return .unknown
        case .denied, .restricted: return .deniedForever
        default: return .granted
        }
    }

    /// Asks once (`requestWhenInUseAuthorization` is a no-op once decided:
    /// then the current status is the answer).
    func requestPermission(_ done: @escaping (PermissionStatus) -> Void) {
        DispatchQueue.main.async {
            guard self.status == .unknown else { return done(self.status) }
            self.onPermission = done
            self.manager.requestWhenInUseAuthorization()
        }
    }

    /// One fix; the manager is used on the main thread only (its delegate
    /// calls arrive on the thread that made it: main).
    func fix(timeout: TimeInterval, _ done: @escaping (AlertLocation?) -> Void) {
        DispatchQueue.main.async {
            guard self.status == .granted else { return done(nil) }
            if self.onFix != nil { self.answer(nil) } // one request at a time: the older one gets none
            self.onFix = done
            self.manager.requestLocation()
            DispatchQueue.main.asyncAfter(deadline: .now() + timeout) { [weak self] in self?.answer(nil) }
        }
    }

    private func answer(_ l: CLLocation?) {
        guard let f = onFix else { return }
        onFix = nil
        f(l.map {
            AlertLocation(latitude: $0.coordinate.latitude, longitude: $0.coordinate.longitude,
                          accuracyM: $0.horizontalAccuracy >= 0 ? $0.horizontalAccuracy : nil,
                          fixedAtMs: Int64($0.timestamp.timeIntervalSince1970 * 1000))
        })
    }

    func locationManager(_ m: CLLocationManager, didUpdateLocations locations: [CLLocation]) { answer(locations.last) }
    func locationManager(_ m: CLLocationManager, didFailWithError error: Error) { answer(nil) }
    func locationManagerDidChangeAuthorization(_ m: CLLocationManager) {
        if status != .unknown, let p = onPermission { onPermission = nil; p(status) }
    }
}

/// Completes a background task exactly once (the work's end or its expiry).
final class TaskCompletion: @unchecked Sendable {
    private let lock = NSLock()
    private var task: BGTask?
    init(_ task: BGTask) { self.task = task }
    func complete(_ success: Bool) {
        let t: BGTask? = lock.withLock { defer { task = nil }; return task }
        t?.setTaskCompleted(success: success)
    }
}

/// MFMessageComposeViewController for SwiftUI; the result goes to the core.
struct MessageComposeView: UIViewControllerRepresentable {
    let request: ComposeRequest
    let onFinish: (SmsSendResult) -> Void

    func makeCoordinator() -> Coordinator { Coordinator(onFinish: onFinish) }

    func makeUIViewController(context: Context) -> MFMessageComposeViewController {
        let vc = MFMessageComposeViewController()
        vc.recipients = [request.phone]
        vc.body = request.text
        vc.messageComposeDelegate = context.coordinator
        return vc
    }

    func updateUIViewController(_ vc: MFMessageComposeViewController, context: Context) {}

    final class Coordinator: NSObject, MFMessageComposeViewControllerDelegate {
        let onFinish: (SmsSendResult) -> Void
        init(onFinish: @escaping (SmsSendResult) -> Void) { self.onFinish = onFinish }
        func messageComposeViewController(_ c: MFMessageComposeViewController, didFinishWith result: MessageComposeResult) {
            c.dismiss(animated: true)
            switch result {
            case .sent: onFinish(.sent)
            case .failed: onFinish(.failed(reason: "the phone could not send it"))
            default: onFinish(.cancelled)
            }
        }
    }
}

/// UIActivityViewController for SwiftUI.
struct ShareSheet: UIViewControllerRepresentable {
    let url: URL
    func makeUIViewController(context: Context) -> UIActivityViewController {
        UIActivityViewController(activityItems: [url], applicationActivities: nil)
    }
    func updateUIViewController(_ vc: UIActivityViewController, context: Context) {}
}

extension NotificationSlot {
    /// Thread identifier of the slot's notifications.
    var key: String {
        switch self {
        case .checkin: return "checkin"
        case .sending: return "sending"
        }
    }
}

extension NotifyReason {
    /// Stored in the notification, read back when it is tapped.
    var key: String {
        switch self {
        case .checkinDeadline: return "checkin-deadline"
        case .checkinGrace: return "checkin-grace"
        case .smsWaiting: return "sms-waiting"
        }
    }
}
