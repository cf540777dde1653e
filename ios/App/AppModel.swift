import ParasolKit
import SwiftUI

/// A message for the composer sheet.
struct ComposeRequest: Identifiable {
    let id: String
    let phone: String
    let text: String
}

/// A file to offer with the share sheet.
struct SharedFile: Identifiable {
    let url: URL
    var id: String { url.path }
}

/// Opens the profile (Application Support, excluded from backup, file
/// protection) and owns the host over the core's App. Views render `view`
/// and send events; the effects that need the screen land here. One per
/// process (`shared`), made in `ParasolApp.init` so that background tasks
/// find it without any view.
@MainActor
final class AppModel: ObservableObject {
    static let shared = AppModel()

    @Published private(set) var view: AppView?
    /// The profile could not be opened: the error screen with "Try again".
    @Published private(set) var openFailed = false
    /// The composer to show (only for visible alerts: the core never asks otherwise).
    @Published var composing: ComposeRequest?
    @Published var sharing: SharedFile?
    /// The core asked to hide the screen in the app switcher (all screens, by default).
    @Published private(set) var secure = true
    let effects: IOSEffects
    let host: AppHost

    private init() {
        let effects = IOSEffects()
        self.effects = effects
        host = AppHost(
            openProfile: {
                var dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask,
                                                      appropriateFor: nil, create: true)
                    .appendingPathComponent("profile", isDirectory: true)
                try FileManager.default.createDirectory(
                    at: dir, withIntermediateDirectories: true,
                    attributes: [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication])
                var values = URLResourceValues()
                values.isExcludedFromBackup = true
                try dir.setResourceValues(values)
                let config = ParasolConfig(dataDir: dir.path, timeoutSeconds: 0, extraCaPem: nil,
                                           allowInsecureLoopback: false, extraTrustedPackKeys: [])
                return try Parasol.open(config: config, keyStore: KeychainKeyStore())
            },
            capabilities: IOSEffects.capabilities,
            executor: effects,
            permissions: { effects.permissions() })
        effects.model = self
        host.onChange = { [weak self] v in self?.view = v }
        host.onOpenFailed = { [weak self] failed in self?.openFailed = failed }
    }

    func send(_ e: AppEvent) { host.send(e) }

    /// The scene became active: start (first time) or resume, with fresh permission statuses.
    func activate() async {
        await effects.refreshNotificationStatus()
        await host.start()
    }

    func setSecure(_ on: Bool) {
        secure = on
        PrivacyCover.shared.enabled = on
    }
}
