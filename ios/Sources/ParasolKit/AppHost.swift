// The core's App on iOS, off the main thread: events in, effects out to an
// EffectExecutor, the view handed to `onChange`. No decisions here: the timer
// only honours the view's refresh_in_ms, a wake-up due now runs at once, and
// `.restart` reopens the profile. A profile that cannot be opened (Keychain
// or database error) never crashes and is never remembered: `openFailed`
// says so, and the next event (or `retry`) tries again.
import Foundation

public final class AppHost: @unchecked Sendable {
    private let lock = NSLock()
    private let openProfile: @Sendable () throws -> Parasol
    private let capabilities: AppCapabilities
    private let executor: EffectExecutor
    private let permissions: @Sendable () -> [PermissionState]
    private let nowMs: @Sendable () -> Int64
    private var open: (Parasol, App)?
    private var started = false
    private var timer: Task<Void, Never>?
    private var last: AppView?
    private var failed = false

    /// Called on the main actor with every new view.
    public var onChange: (@MainActor @Sendable (AppView) -> Void)?

    /// Called on the main actor when opening the profile fails (true) or works again (false).
    public var onOpenFailed: (@MainActor @Sendable (Bool) -> Void)?

    /// True while the profile could not be opened: show an error with a retry.
    public var openFailed: Bool { lock.withLock { failed } }

    /// The last view (nil until the profile is open).
    public var view: AppView? { lock.withLock { last } }

    /// `openProfile` opens the profile (Application Support, excluded from
    /// backup, Keychain key store); `permissions` reads every status (never asks).
    public init(openProfile: @escaping @Sendable () throws -> Parasol, capabilities: AppCapabilities,
                executor: EffectExecutor, permissions: @escaping @Sendable () -> [PermissionState],
                nowMs: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.openProfile = openProfile
        self.capabilities = capabilities
        self.executor = executor
        self.permissions = permissions
        self.nowMs = nowMs
    }

    private func app() throws -> App {
        try lock.withLock {
            if let (_, a) = open { return a }
            let p = try openProfile()
            let a = try App(parasol: p, capabilities: capabilities)
            open = (p, a)
            return a
        }
    }

    /// The UI appeared: `.started` the first time for this profile, `.resumed` after.
    /// False when the profile could not be opened (`openFailed`; nothing is remembered).
    @discardableResult
    public func start() async -> Bool {
        guard await opened() else { return false }
        let first = lock.withLock { () -> Bool in defer { started = true }; return !started }
        return await dispatch(first ? .started(permissions: permissions()) : .resumed(permissions: permissions()))
    }

    /// The error screen's "try again".
    public func retry() { Task.detached { await self.start() } }

    /// From the UI: returns at once.
    public func send(_ event: AppEvent) { Task.detached { await self.dispatch(event) } }

    /// Handles `event` off the main thread and performs its effects before
    /// returning. False when the profile could not be opened: nothing ran
    /// (a background task reports that it did not complete).
    @discardableResult
    public func dispatch(_ event: AppEvent) async -> Bool {
        guard await opened() else { return false }
        let effects = await Task.detached { () -> [AppEffect] in
            // An event the core cannot read (a location out of range) is dropped.
            (try? self.app().update(event: event)) ?? []
        }.value
        for e in effects { await perform(e) }
        await publish()
        return true
    }

    /// Opens the profile if needed; records (and reports) whether that worked.
    private func opened() async -> Bool {
        let ok = await Task.detached { (try? self.app()) != nil }.value
        let changed = lock.withLock { () -> Bool in
            if !ok { started = false }
            defer { failed = !ok }
            return failed == ok
        }
        if changed, let f = onOpenFailed { await MainActor.run { f(!ok) } }
        return ok
    }

    private func perform(_ e: AppEffect) async {
        switch e {
        case .restart:
            close()
            await start()
        case let .scheduleWakeup(at, false) where at <= nowMs():
            send(.wokeUp(needsNetwork: false))
        default:
            executor.perform(e)
        }
    }

    private func publish() async {
        guard let v = try? app().view() else { return }
        let ms = lock.withLock { () -> UInt32? in
            last = v
            timer?.cancel()
            return v.refreshInMs
        }
        if let ms {
            let t = Task.detached { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
                if !Task.isCancelled { await self?.dispatch(.timerElapsed) }
            }
            lock.withLock { timer = t }
        }
        if let f = onChange { await MainActor.run { f(v) } }
    }

    /// Drops the app and the profile (the next event opens it afresh).
    public func close() {
        lock.withLock {
            timer?.cancel()
            open = nil
            started = false
        }
    }
}
