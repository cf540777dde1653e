// The idiomatic Swift face of the core: async functions that run every blocking
// FFI call off the main actor, secrets wiped after use, and core events as a
// callback the presenters subscribe to.
import Foundation
@_exported import ParasolCore

/// A passphrase held as bytes (never a `String` once typed) and overwritten
/// when it is used or released. Pass it to one call; it is wiped afterwards.
public final class Secret: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [UInt8]

    /// Takes the UTF-8 bytes of `text` (a `SecureField`'s value; clear the field too).
    public init(_ text: String) { storage = Array(text.utf8) }

    /// Takes raw bytes.
    public init(bytes: [UInt8]) { storage = bytes }

    /// The bytes as `Data`, for one FFI call (the core wipes its own copy).
    var data: Data { lock.lock(); defer { lock.unlock() }; return Data(storage) }

    /// True once wiped.
    public var isWiped: Bool { lock.lock(); defer { lock.unlock() }; return storage.allSatisfy { $0 == 0 } }

    /// Compares in time independent of where the secrets differ.
    public func matches(_ other: Secret) -> Bool {
        let a = data, b = other.data
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// Overwrites the bytes with zeros.
    public func wipe() {
        lock.lock(); defer { lock.unlock() }
        for i in storage.indices { storage[i] = 0 }
    }

    deinit { wipe() }
}

/// Runs `body` off the main actor (the FFI blocks on disk, key derivation and network).
@inline(__always)
func offMain<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await Task.detached(priority: .userInitiated) { try body() }.value
}

/// An open profile. Create it with `open`; it is thread-safe.
public final class ParasolSession: @unchecked Sendable {
    /// The generated core object (blocking; prefer the async methods).
    public let core: Parasol
    /// The encrypted journal.
    public let journal: JournalSession
    private let lock = NSLock()
    private var alertsSession: AlertsSession?

    private init(core: Parasol) {
        self.core = core
        self.journal = JournalSession(core: core.journal())
    }

    /// Opens (creating if needed) the profile in `dataDirectory` (Application
    /// Support, excluded from backup). `keyStore` is the Keychain-backed store;
    /// nil only on the desktop and in tests.
    public static func open(
        dataDirectory: String,
        keyStore: PlatformKeyStore?,
        configure: @escaping @Sendable (inout ParasolConfig) -> Void = { _ in }
    ) async throws -> ParasolSession {
        try await offMain {
            var config = ParasolConfig(dataDir: dataDirectory, timeoutSeconds: 0, extraCaPem: nil,
                                       allowInsecureLoopback: false, extraTrustedPackKeys: [])
            configure(&config)
            return ParasolSession(core: try Parasol.open(config: config, keyStore: keyStore))
        }
    }

    /// The alert engine (opened once).
    public func alerts() async throws -> AlertsSession {
        if let a = lock.withLock({ alertsSession }) { return a }
        let core = self.core
        let engine = try await offMain { try core.alerts() }
        return lock.withLock {
            if let a = alertsSession { return a }
            let a = AlertsSession(core: engine)
            alertsSession = a
            return a
        }
    }

    /// Runs a blocking call on the core off the main actor.
    public func call<T>(_ body: @escaping @Sendable (Parasol) throws -> T) async throws -> T {
        let core = self.core
        return try await offMain { try body(core) }
    }

    /// Version, schema, country and languages.
    public func info() async throws -> ProfileInfo { try await call { try $0.info() } }
    /// Chooses the country.
    public func setCountry(_ code: String) async throws { try await call { try $0.setCountry(code: code) } }
    /// Sets the reading languages, most preferred first.
    public func setLanguages(_ langs: [String]) async throws { try await call { try $0.setLanguages(languages: langs) } }
    /// Every country with content.
    public func countries() async throws -> [CountryInfo] { try await call { try $0.countries() } }
    /// A booklet in the best language.
    public func booklet(_ country: String) async throws -> Booklet { try await call { try $0.booklet(country: country) } }
    /// One section.
    public func section(_ country: String, _ id: String) async throws -> Booklet {
        try await call { try $0.section(country: country, sectionId: id) }
    }
    /// Offline search.
    public func search(_ query: String, country: String?, language: String? = nil, limit: UInt32 = 0) async throws -> [SearchHit] {
        try await call { try $0.search(query: query, country: country, language: language, limit: limit) }
    }
    /// The self-check form.
    public func selfcheck() async throws -> SelfCheckForm { try await call { try $0.selfcheck() } }
    /// Scores answers; nothing is stored.
    public func scoreSelfcheck(_ answers: [SelfCheckAnswer], country: String) async throws -> SelfCheckResult {
        try await call { try $0.scoreSelfcheck(answers: answers, country: country) }
    }
    /// Helplines in the core's order.
    public func helplines(_ country: String, query: HelplineQuery) async throws -> [Helpline] {
        try await call { try $0.helplines(country: country, query: query) }
    }
    /// One helpline.
    public func helpline(_ id: String) async throws -> Helpline { try await call { try $0.helpline(id: id) } }
    /// A safe tel:/sms: URI.
    public func dialUri(_ helplineId: String, channel: Int) async throws -> String {
        try await call { try $0.dialUri(helplineId: helplineId, channelIndex: UInt32(channel)) }
    }
    /// Normalises a typed number.
    public func normalizePhone(country: String, raw: String) async throws -> String {
        try await offMain { try normalizePhoneNumber(country: country, raw: raw) }
    }
}

/// The encrypted journal; every `Secret` passed in is wiped after the call.
public final class JournalSession: @unchecked Sendable {
    /// The generated object.
    public let core: Journal
    init(core: Journal) { self.core = core }

    private func call<T>(_ secrets: [Secret?] = [], _ body: @escaping @Sendable (Journal) throws -> T) async throws -> T {
        let core = self.core
        defer { secrets.forEach { $0?.wipe() } }
        return try await offMain { try body(core) }
    }

    public func exists() async throws -> Bool { try await call { try $0.exists() } }
    public func create(_ p: Secret) async throws { let d = p.data; try await call([p]) { try $0.create(passphrase: d) } }
    public func unlock(_ p: Secret) async throws { let d = p.data; try await call([p]) { try $0.unlock(passphrase: d) } }
    /// Locks now (fast; call from `scenePhase` changes).
    public func lock() { core.lock() }
    public var isUnlocked: Bool { core.isUnlocked() }
    public func list() async throws -> [JournalEntry] { try await call { try $0.list() } }
    public func get(_ id: String) async throws -> JournalEntry { try await call { try $0.get(id: id) } }
    public func add(_ draft: EntryDraft) async throws -> String { try await call { try $0.add(draft: draft) } }
    public func lockout() async throws -> LockoutInfo { try await call { try $0.lockout() } }
    public func setDuress(current: Secret, duress: Secret, actions: DuressActions) async throws {
        let c = current.data, d = duress.data
        try await call([current, duress]) { try $0.setDuress(current: c, duressPassphrase: d, actions: actions) }
    }
    public func clearDuress(current: Secret) async throws {
        let c = current.data; try await call([current]) { try $0.clearDuress(current: c) }
    }
    public func setWipeAfterFailures(current: Secret, limit: UInt32?) async throws {
        let c = current.data; try await call([current]) { try $0.setWipeAfterFailures(current: c, limit: limit) }
    }
    public func exportBackup(current: Secret, backup: Secret?, path: String) async throws {
        let c = current.data, b = backup?.data
        try await call([current, backup]) { try $0.exportBackup(current: c, backupPassphrase: b, path: path) }
    }
    public func evidenceBundle(_ ids: [String]) async throws -> String { try await call { try $0.evidenceBundle(ids: ids) } }
    /// Wipes the whole profile; open a new session afterwards.
    public func wipe() async throws { try await call { try $0.wipe() } }
}

/// The alert engine. `onEvent` receives core events (on a background thread).
public final class AlertsSession: @unchecked Sendable {
    /// The generated object.
    public let core: Alerts
    private let relay = EventRelay()

    init(core: Alerts) {
        self.core = core
        core.setObserver(observer: relay)
    }

    /// Adds a listener for core events; returns a token to remove it.
    @discardableResult
    public func addListener(_ f: @escaping @Sendable (AlertEvent) -> Void) -> UUID { relay.add(f) }
    /// Removes a listener.
    public func removeListener(_ id: UUID) { relay.remove(id) }

    /// Registers the SMS sender (iOS: returns `.needsUserAction` and shows the composer).
    public func setSmsSender(_ s: SmsSender?) { core.setSmsSender(sender: s) }

    private func call<T>(_ body: @escaping @Sendable (Alerts) throws -> T) async throws -> T {
        let core = self.core
        return try await offMain { try body(core) }
    }

    public func contacts() async throws -> [TrustedContact] { try await call { try $0.contacts() } }
    public func addContact(_ i: TrustedContactInput) async throws -> TrustedContact { try await call { try $0.addContact(input: i) } }
    public func removeContact(_ id: String) async throws { try await call { try $0.removeContact(id: id) } }
    public func testContact(_ id: String) async throws -> [DeliveryStatus] { try await call { try $0.testContact(id: id) } }
    public func trigger(_ r: TriggerRequest) async throws -> AlertStatus { try await call { try $0.trigger(request: r) } }
    public func cancel(_ id: String) async throws -> AlertStatus { try await call { try $0.cancel(alertId: id) } }
    public func resolve(_ id: String) async throws -> AlertStatus { try await call { try $0.resolve(alertId: id) } }
    public func alertStatus(_ id: String) async throws -> AlertStatus { try await call { try $0.alertStatus(alertId: id) } }
    public func activeAlerts() async throws -> [AlertStatus] { try await call { try $0.activeAlerts() } }
    public func updateLocation(_ id: String, _ l: AlertLocation) async throws -> LocationFollowUp {
        try await call { try $0.updateLocation(alertId: id, location: l) }
    }
    public func reportSms(_ id: String, _ r: SmsReport) async throws -> DeliveryStatus {
        try await call { try $0.reportSms(deliveryId: id, report: r) }
    }
    public func flushOutbox() async throws -> FlushReport { try await call { try $0.flushOutbox() } }
    public func tick() async throws -> FlushReport { try await call { try $0.tick() } }
    public func nextWakeupMs() async throws -> Int64? { try await call { try $0.nextWakeupMs() } }
    public func startCheckin(_ r: CheckinRequest) async throws -> CheckinStatus { try await call { try $0.startCheckin(request: r) } }
    public func extendCheckin(_ minutes: UInt32) async throws -> CheckinStatus { try await call { try $0.extendCheckin(minutes: minutes) } }
    public func checkIn() async throws -> CheckinStatus { try await call { try $0.checkIn() } }
    public func cancelCheckin() async throws -> CheckinStatus { try await call { try $0.cancelCheckin() } }
    public func checkin() async throws -> CheckinStatus? { try await call { try $0.checkin() } }
}

/// Fans core events out to listeners; never throws back into the core.
final class EventRelay: AlertObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var listeners: [UUID: @Sendable (AlertEvent) -> Void] = [:]
    func add(_ f: @escaping @Sendable (AlertEvent) -> Void) -> UUID {
        let id = UUID(); lock.withLock { listeners[id] = f }; return id
    }
    func remove(_ id: UUID) { lock.withLock { _ = listeners.removeValue(forKey: id) } }
    func onEvent(event: AlertEvent) throws {
        let ls = lock.withLock { Array(listeners.values) }
        ls.forEach { $0(event) }
    }
}
