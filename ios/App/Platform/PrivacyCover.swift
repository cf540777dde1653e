import UIKit

/// The iOS side of `SetScreenSecurity`: a plain window above everything the
/// app shows (every screen, sheet, alert, the message composer and the share
/// sheet), raised as soon as the app stops being active, so the app switcher
/// snapshot shows nothing readable, and while the screen is recorded or
/// mirrored (`UIScreen.isCaptured`). iOS has no way to block a screenshot
/// (there is no `FLAG_SECURE`). On by default; the core confirms it.
@MainActor
final class PrivacyCover: NSObject {
    static let shared = PrivacyCover()

    /// Whether the core asked for screen security (all screens, by default).
    var enabled = true {
        didSet { update() }
    }

    private var window: UIWindow?
    private var inactive = false
    private var installed = false

    private override init() { super.init() }

    /// Starts following the app's state; call once, at launch. UIKit posts
    /// these on the main thread and the selectors run synchronously, so the
    /// cover is up before the app-switcher snapshot is taken.
    func install() {
        guard !installed else { return }
        installed = true
        let center = NotificationCenter.default
        center.addObserver(self, selector: #selector(resign), name: UIApplication.willResignActiveNotification, object: nil)
        center.addObserver(self, selector: #selector(resign), name: UIApplication.didEnterBackgroundNotification, object: nil)
        center.addObserver(self, selector: #selector(becomeActive), name: UIApplication.didBecomeActiveNotification, object: nil)
        center.addObserver(self, selector: #selector(capturedChanged), name: UIScreen.capturedDidChangeNotification, object: nil)
    }

    @objc private func resign() { inactive = true; update() }
    @objc private func becomeActive() { inactive = false; update() }
    @objc private func capturedChanged() { update() }

    private var captured: Bool {
        UIApplication.shared.connectedScenes.compactMap { $0 as? UIWindowScene }
            .contains { $0.screen.isCaptured }
    }

    private func update() {
        let show = enabled && (inactive || captured)
        if show {
            coverWindow()?.isHidden = false
        } else {
            window?.isHidden = true
        }
    }

    private func coverWindow() -> UIWindow? {
        if let w = window { return w }
        guard let scene = UIApplication.shared.connectedScenes.compactMap({ $0 as? UIWindowScene }).first else {
            return nil
        }
        let w = UIWindow(windowScene: scene)
        w.windowLevel = .alert + 1
        let vc = UIViewController()
        vc.view.backgroundColor = .systemBackground
        w.rootViewController = vc
        window = w
        return w
    }
}
