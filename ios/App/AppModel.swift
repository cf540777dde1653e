import Combine
import ParasolKit
import SwiftUI

/// Turns a ParasolKit presenter's `onChange` into SwiftUI updates.
@MainActor
final class Observed<P: Presenter>: ObservableObject {
    let p: P
    init(_ p: P) {
        self.p = p
        p.onChange = { [weak self] in self?.objectWillChange.send() }
    }
}

/// Opens the profile (Application Support, excluded from backup) and owns the
/// presenters and platform services.
@MainActor
final class AppModel: ObservableObject {
    @Published private(set) var ready = false
    let location = LocationService()
    let sms = ComposerSmsSender()
    private(set) var session: ParasolSession?
    private(set) var wakeups: WakeupCoordinator?
    private(set) var panic: Observed<PanicPresenter>!
    private(set) var checkin: Observed<CheckinPresenter>!
    private(set) var helplines: Observed<HelplinesPresenter>!
    private(set) var rights: Observed<RightsPresenter>!
    private(set) var selfCheck: Observed<SelfCheckPresenter>!
    private(set) var journal: Observed<JournalPresenter>!
    private(set) var settings: Observed<SettingsPresenter>!
    private(set) var contacts: Observed<ContactsPresenter>!
    /// The SMS waiting for the user to tap send, shown by the panic screen.
    @Published var composing: SmsRequest?

    func open() async {
        do {
            var dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
                .appendingPathComponent("profile", isDirectory: true)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true,
                                                    attributes: [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication])
            var values = URLResourceValues(); values.isExcludedFromBackup = true
            try dir.setResourceValues(values)
            let s = try await ParasolSession.open(dataDirectory: dir.path, keyStore: KeychainKeyStore())
            let a = try await s.alerts()
            a.setSmsSender(sms)
            sms.onPending = { [weak self] in self?.showNextComposer() }
            let w = WakeupCoordinator(alerts: a, scheduler: BackgroundScheduler())
            a.addListener { [weak self] e in Task { @MainActor in await self?.panic.p.onEvent(e); try? await w.reschedule() } }
            session = s; wakeups = w
            panic = Observed(PanicPresenter(alerts: a, location: location))
            checkin = Observed(CheckinPresenter(alerts: a))
            helplines = Observed(HelplinesPresenter(session: s))
            rights = Observed(RightsPresenter(session: s))
            selfCheck = Observed(SelfCheckPresenter(session: s))
            journal = Observed(JournalPresenter(journal: s.journal))
            settings = Observed(SettingsPresenter(journal: s.journal))
            contacts = Observed(ContactsPresenter(alerts: a))
            ready = true
            await panic.p.load(); await checkin.p.load(); await rights.p.load()
            _ = try? await w.onWake()
        } catch {
            ready = false
        }
    }

    func showNextComposer() { if composing == nil { composing = sms.next() } }

    func composerFinished(_ req: SmsRequest, sent: Bool) async {
        composing = nil
        await panic.p.composerFinished(deliveryId: req.deliveryId, sent: sent)
        showNextComposer()
    }

    /// A fresh fix for a running alert (the alert itself never waited for it).
    func requestFix() { location.freshFix { fix in Task { @MainActor in await self.panic.p.onLocationFix(fix) } } }

    func reschedule() async { _ = try? await wakeups?.reschedule() }

    func lockJournal() { session?.journal.lock(); journal?.p.lock() }

    func reopenAfterWipe() async { ready = false; session = nil; await open() }
}
