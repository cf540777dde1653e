// Journal (setup, unlock, list, add, export), settings (duress, two-step wipe)
// and contacts, for the SwiftUI screens.
import Foundation

public struct EntrySummary: Equatable, Sendable {
    public let id: String
    public let kind: EntryKind
    public let title: String
    public let updatedAtMs: Int64
    public let attachments: Int
}

public enum JournalUiState: Equatable, Sendable {
    case loading, needsSetup
    case locked(failedAttempts: UInt32, wipeAfter: UInt32?)
    case unlocked([EntrySummary])
}

/// The incident form as typed (blank: "not said").
public struct IncidentForm: Sendable {
    public var title: String
    public var body = "", when = "", location = "", person = "", vehicle = "", contact = ""
    public var whatHappened = "", injuries = "", taken = "", witnesses = "", followUp = ""
    public var reportedToPolice: Bool?
    public var tags: [String] = []
    public init(title: String) { self.title = title }

    public func draft() -> EntryDraft {
        func opt(_ s: String) -> String? { let t = s.trimmingCharacters(in: .whitespacesAndNewlines); return t.isEmpty ? nil : t }
        return EntryDraft(kind: .incident, title: title.trimmingCharacters(in: .whitespaces), body: body,
                          incident: IncidentDetails(when: opt(when), location: opt(location), person: opt(person),
                                                    vehicle: opt(vehicle), contact: opt(contact), whatHappened: opt(whatHappened),
                                                    injuries: opt(injuries), taken: opt(taken), witnesses: opt(witnesses),
                                                    reportedToPolice: reportedToPolice, followUp: opt(followUp)),
                          tags: tags, attachments: [])
    }
}

/// Drives the journal screens. Call `lock()` when the scene leaves the foreground.
@MainActor
public final class JournalPresenter: Presenter {
    public private(set) var state: JournalUiState = .loading { didSet { changed() } }
    public private(set) var busy = false { didSet { changed() } }
    private let journal: JournalSession

    public init(journal: JournalSession) { self.journal = journal }

    public func load() async {
        await attempt {
            if try await !journal.exists() { state = .needsSetup }
            else if journal.isUnlocked { state = .unlocked(try await summaries()) }
            else { state = try await locked() }
        }
    }

    /// Both secrets are wiped; a mismatch creates nothing.
    public func create(_ p: Secret, confirmation: Secret) async {
        error = nil
        defer { confirmation.wipe() }
        guard p.matches(confirmation) else { p.wipe(); error = .mismatch; return }
        if await attempt({ try await journal.create(p) }) != nil { await load() }
    }

    public func unlock(_ p: Secret) async {
        error = nil; busy = true
        defer { busy = false }
        _ = await attempt { try await journal.unlock(p) }
        await load()
    }

    public func lock() {
        journal.lock()
        if case .unlocked = state { state = .locked(failedAttempts: 0, wipeAfter: nil) }
    }

    @discardableResult
    public func addNote(title: String, body: String) async -> String? {
        await add(EntryDraft(kind: .note, title: title.trimmingCharacters(in: .whitespaces), body: body, incident: nil, tags: [], attachments: []))
    }

    @discardableResult
    public func addIncident(_ form: IncidentForm) async -> String? { await add(form.draft()) }

    public func entry(_ id: String) async -> JournalEntry? { await attempt { try await journal.get(id) } }

    public func exportBackup(current: Secret, backup: Secret?, path: String) async -> Bool {
        await attempt { try await journal.exportBackup(current: current, backup: backup, path: path) } != nil
    }

    public func evidenceBundle(_ ids: [String]) async -> String? { await attempt { try await journal.evidenceBundle(ids) } }

    private func add(_ d: EntryDraft) async -> String? {
        error = nil
        guard let id = await attempt({ try await journal.add(d) }) else {
            if error == .locked { await load() }
            return nil
        }
        await attempt { state = .unlocked(try await summaries()) }
        return id
    }

    private func locked() async throws -> JournalUiState {
        let l = try await journal.lockout()
        return .locked(failedAttempts: l.failedAttempts, wipeAfter: l.wipeAfter)
    }

    private func summaries() async throws -> [EntrySummary] {
        try await journal.list().sorted { $0.updatedAtMs > $1.updatedAtMs }
            .map { EntrySummary(id: $0.id, kind: $0.kind, title: $0.title, updatedAtMs: $0.updatedAtMs, attachments: $0.attachments.count) }
    }
}

public enum WipeStep: Equatable, Sendable { case idle, confirming(expiresAtMs: Int64), wiped }

/// Duress passphrase and the two-step wipe.
@MainActor
public final class SettingsPresenter: Presenter {
    public private(set) var wipe: WipeStep = .idle { didSet { changed() } }
    public private(set) var saved = false { didSet { changed() } }
    private let journal: JournalSession
    private let clock: Clock
    public let confirmWindowMs: Int64

    public init(journal: JournalSession, clock: Clock = SystemClock(), confirmWindowMs: Int64 = 10_000) {
        self.journal = journal; self.clock = clock; self.confirmWindowMs = confirmWindowMs
    }

    public func setDuress(current: Secret, duress: Secret, confirmation: Secret, actions: DuressActions) async {
        error = nil; saved = false
        defer { confirmation.wipe() }
        guard duress.matches(confirmation) else { current.wipe(); duress.wipe(); error = .mismatch; return }
        if await attempt({ try await journal.setDuress(current: current, duress: duress, actions: actions) }) != nil { saved = true }
    }

    public func requestWipe() { error = nil; wipe = .confirming(expiresAtMs: clock.nowMs() + confirmWindowMs) }
    public func cancelWipe() { if case .confirming = wipe { wipe = .idle } }

    /// Wipes only if the confirmation is still armed. True when wiped.
    public func confirmWipe() async -> Bool {
        guard case let .confirming(exp) = wipe, clock.nowMs() <= exp else { wipe = .idle; return false }
        if await attempt({ try await journal.wipe() }) != nil { wipe = .wiped; return true }
        wipe = .idle
        return false
    }
}

/// Trusted contacts.
@MainActor
public final class ContactsPresenter: Presenter {
    public private(set) var contacts: [TrustedContact] = [] { didSet { changed() } }
    private let alerts: AlertsSession
    public init(alerts: AlertsSession) { self.alerts = alerts }

    public func load() async { error = nil; if let c = await attempt({ try await alerts.contacts() }) { contacts = c } }

    /// Adds a contact; nil (and `error`) if the core refused it.
    public func add(name: String, phone: String, webhookUrl: String = "", language: String = "",
                    triggers: ContactTriggers = ContactTriggers(button: true, missedCheckIn: true, duress: true)) async -> TrustedContact? {
        error = nil
        func opt(_ s: String) -> String? { let t = s.trimmingCharacters(in: .whitespaces); return t.isEmpty ? nil : t }
        let input = TrustedContactInput(name: name.trimmingCharacters(in: .whitespaces), language: language, phone: opt(phone),
                                        webhookUrl: opt(webhookUrl), pushUrl: nil, pushToken: nil, triggers: triggers)
        guard let c = await attempt({ try await alerts.addContact(input) }) else { return nil }
        await load()
        return c
    }

    public func remove(_ id: String) async { error = nil; await attempt { try await alerts.removeContact(id) }; await load() }
    public func sendTest(_ id: String) async { error = nil; await attempt { _ = try await alerts.testContact(id); _ = try await alerts.flushOutbox() } }
}
