import MessageUI
import ParasolKit
import SwiftUI

/// iOS cannot send SMS silently: every alert SMS opens the system composer
/// and the user taps send. The sender tells the core `.needsUserAction`; the
/// panic screen shows "Tap to send" and presents the composer; its result is
/// reported with `report_sms` (sent, or failed so the core retries).
final class ComposerSmsSender: SmsSender, @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [SmsRequest] = []
    /// Called on the main actor when a message waits for the user.
    var onPending: (@MainActor () -> Void)?

    func sendSms(request: SmsRequest) throws -> SmsOutcome {
        guard MFMessageComposeViewController.canSendText() else {
            throw ParasolError.Platform(reason: "this device cannot send text messages")
        }
        lock.withLock { pending.append(request) }
        Task { @MainActor in self.onPending?() }
        return .needsUserAction
    }

    /// The next message to show in the composer, if any.
    func next() -> SmsRequest? { lock.withLock { pending.isEmpty ? nil : pending.removeFirst() } }
}

/// MFMessageComposeViewController for SwiftUI.
struct MessageComposeView: UIViewControllerRepresentable {
    let request: SmsRequest
    let onFinish: (Bool) -> Void

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
        let onFinish: (Bool) -> Void
        init(onFinish: @escaping (Bool) -> Void) { self.onFinish = onFinish }
        func messageComposeViewController(_ c: MFMessageComposeViewController, didFinishWith result: MessageComposeResult) {
            c.dismiss(animated: true)
            onFinish(result == .sent)
        }
    }
}
