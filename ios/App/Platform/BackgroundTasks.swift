import BackgroundTasks
import ParasolKit
import UserNotifications

/// BGTaskScheduler for the outbox and due work. iOS decides when (and whether)
/// a background task runs: it is a best effort, not an alarm. A check-in
/// deadline therefore also gets a plain local notification, so the user is
/// reminded even if no task runs; the alert itself fires when the app next
/// runs (launch, background task, or notification tap).
final class BackgroundScheduler: WakeupScheduler {
    static let taskId = "org.parasol.app.outbox"

    func schedule(atMs: Int64) {
        let req = BGProcessingTaskRequest(identifier: Self.taskId)
        req.earliestBeginDate = Date(timeIntervalSince1970: TimeInterval(atMs) / 1000)
        req.requiresNetworkConnectivity = false
        try? BGTaskScheduler.shared.submit(req)
        let content = UNMutableNotificationContent()
        content.title = NSLocalizedString("notification.reminder", comment: "")
        content.body = NSLocalizedString("notification.tap_to_open", comment: "")
        let interval = max(1, TimeInterval(atMs) / 1000 - Date().timeIntervalSince1970)
        let trigger = UNTimeIntervalNotificationTrigger(timeInterval: interval, repeats: false)
        UNUserNotificationCenter.current().add(UNNotificationRequest(identifier: "wake", content: content, trigger: trigger))
    }

    func cancel() {
        BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: Self.taskId)
        UNUserNotificationCenter.current().removePendingNotificationRequests(withIdentifiers: ["wake"])
    }

    /// Registers the handler; call before the app finishes launching.
    static func register(model: AppModel) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: taskId, using: nil) { task in
            let work = Task {
                let ok = (try? await model.wakeups?.onWake()) != nil
                task.setTaskCompleted(success: ok)
            }
            task.expirationHandler = { work.cancel() }
        }
    }
}
