// The panic screen: press-and-hold, visible countdown with cancel, per-contact
// delivery status, "I'm safe". Every decision is the core's; this renders it.
import Foundation

/// What the panic screen shows.
public enum PanicState: Equatable, Sendable {
    case idle
    case countingDown(alertId: String, firesAtMs: Int64, secondsLeft: Int)
    case active(alertId: String, rows: [ContactDeliveryRow], summary: DeliverySummary, hasLocation: Bool)
    /// Cancelled in time (`sentSomething` false) or resolved with "I'm safe".
    case ended(alertId: String, sentSomething: Bool, safeRows: [ContactDeliveryRow])

    var alertId: String? {
        switch self {
        case .idle: return nil
        case let .countingDown(id, _, _), let .active(id, _, _, _), let .ended(id, _, _): return id
        }
    }
}

/// Drives the panic screen.
@MainActor
public final class PanicPresenter: Presenter {
    public private(set) var state: PanicState = .idle { didSet { changed() } }
    /// Press-and-hold progress, 0...1.
    public private(set) var holdProgress: Double = 0 { didSet { changed() } }
    /// Seconds between hold and firing (0: at once; the core allows 1...600).
    public let countdownSeconds: UInt32
    /// How long the button must be held.
    public let holdMs: Int64
    private let alerts: AlertsSession
    private let clock: Clock
    private let location: LastKnownLocation
    private var holdStartedAt: Int64?

    public init(alerts: AlertsSession, clock: Clock = SystemClock(), location: LastKnownLocation = NoLocation(),
                countdownSeconds: UInt32 = 10, holdMs: Int64 = 1500) {
        self.alerts = alerts; self.clock = clock; self.location = location
        self.countdownSeconds = countdownSeconds; self.holdMs = holdMs
    }

    public func pressStart() {
        switch state { case .idle, .ended: break; default: return }
        holdStartedAt = clock.nowMs(); holdProgress = 0
    }

    /// Call every frame while held; true once when the hold completes (then call `trigger`).
    public func pressUpdate() -> Bool {
        guard let start = holdStartedAt else { return false }
        holdProgress = min(1, max(0, Double(clock.nowMs() - start) / Double(holdMs)))
        if holdProgress >= 1 { holdStartedAt = nil; return true }
        return false
    }

    public func pressEnd() { holdStartedAt = nil; holdProgress = 0 }

    /// Shows a running (non-silent) alert after a restart.
    public func load() async {
        guard let list = await attempt({ try await alerts.activeAlerts() }) else { return }
        if let shown = list.last(where: { $0.mode != .silent }) { state = await render(shown) } else { state = .idle }
    }

    /// Raises the alert with the last known location (never waits for a fix).
    public func trigger(note: String? = nil) async {
        switch state { case .countingDown, .active: return; default: break }
        error = nil
        let mode: AlertMode = countdownSeconds == 0 ? .immediate : .countdown(seconds: countdownSeconds)
        let req = TriggerRequest(mode: mode, reason: .button, location: location.lastKnown(), note: note)
        guard let st = await attempt({ try await alerts.trigger(req) }) else { return }
        state = await render(st)
        if st.state == .fired { await flushAndRefresh(st.id) }
    }

    /// Cancels the countdown: nothing is sent.
    public func cancel() async {
        guard case let .countingDown(id, _, _) = state else { return }
        if let st = await attempt({ try await alerts.cancel(id) }) { state = await render(st) } else { await refresh(id) }
    }

    /// "I'm safe".
    public func imSafe() async {
        guard let id = state.alertId, !isEnded else { return }
        guard let st = await attempt({ try await alerts.resolve(id) }) else { return }
        state = await render(st)
        await attempt { try await alerts.flushOutbox() }
        await refresh(id)
    }

    /// About four times a second while visible.
    public func onClockTick() async {
        guard case let .countingDown(id, firesAt, shown) = state else { return }
        let left = secondsLeft(firesAt)
        if left > 0 { if left != shown { state = .countingDown(alertId: id, firesAtMs: firesAt, secondsLeft: left) }; return }
        await attempt { try await alerts.tick() }
        await refresh(id)
        if case let .active(aid, _, _, _) = state { await flushAndRefresh(aid) }
    }

    /// A fresh fix: the core sends a (rate-limited) follow-up.
    public func onLocationFix(_ fix: AlertLocation) async {
        guard case let .active(id, _, _, _) = state else { return }
        await attempt { _ = try await alerts.updateLocation(id, fix); _ = try await alerts.flushOutbox() }
        await refresh(id)
    }

    /// The composer finished (iOS): report it to the core.
    public func composerFinished(deliveryId: String, sent: Bool) async {
        let report: SmsReport = sent ? .sent : .failed(reason: "not sent by the user")
        await attempt { try await alerts.reportSms(deliveryId, report) }
        if let id = state.alertId { await refresh(id) }
    }

    /// A core event: refresh if it concerns the alert on screen.
    public func onEvent(_ e: AlertEvent) async {
        let id = state.alertId
        switch e {
        case let .fired(aid, _, silent): if !silent && (id == nil || id == aid) { await refresh(aid) }
        case let .delivery(d): if let id, d.alertId == id { await refresh(id) }
        default: if let id { await refresh(id) }
        }
    }

    public func dismiss() { if isEnded { state = .idle } }

    private var isEnded: Bool { if case .ended = state { return true }; return false }

    private func secondsLeft(_ firesAt: Int64) -> Int {
        let ms = firesAt - clock.nowMs()
        return ms <= 0 ? 0 : Int((ms + 999) / 1000)
    }

    private func flushAndRefresh(_ id: String) async {
        await attempt { try await alerts.flushOutbox() }
        await refresh(id)
    }

    private func refresh(_ id: String) async {
        if let st = await attempt({ try await alerts.alertStatus(id) }) { state = await render(st) }
    }

    private func render(_ a: AlertStatus) async -> PanicState {
        let contacts = (try? await alerts.contacts()) ?? []
        switch a.state {
        case .countdown:
            let at = a.firesAtMs ?? clock.nowMs()
            return .countingDown(alertId: a.id, firesAtMs: at, secondsLeft: secondsLeft(at))
        case .fired:
            let rows = deliveryRows(a.deliveries, contacts: contacts)
            return .active(alertId: a.id, rows: rows, summary: summarize(rows), hasLocation: a.hasLocation)
        case .cancelled:
            return .ended(alertId: a.id, sentSomething: false, safeRows: [])
        case .resolved:
            return .ended(alertId: a.id, sentSomething: a.firedAtMs != nil,
                          safeRows: deliveryRows(a.deliveries, contacts: contacts, kind: .safe))
        }
    }
}

/// What the check-in screen shows.
public enum CheckinUiState: Equatable, Sendable {
    case notRunning
    case running(deadlineMs: Int64, firesAtMs: Int64, remainingMs: Int64, inGrace: Bool, note: String?)
    case finished(outcome: CheckinState, alertId: String?)
}

/// Drives the check-in timer screen.
@MainActor
public final class CheckinPresenter: Presenter {
    public private(set) var state: CheckinUiState = .notRunning { didSet { changed() } }
    private let alerts: AlertsSession
    private let clock: Clock
    private var last: CheckinStatus?

    public init(alerts: AlertsSession, clock: Clock = SystemClock()) { self.alerts = alerts; self.clock = clock }

    public func load() async { await run { try await self.alerts.checkin() } }
    public func start(minutes: UInt32, graceMinutes: UInt32? = nil, note: String? = nil) async {
        await run { try await self.alerts.startCheckin(CheckinRequest(deadline: .inMinutes(minutes: minutes), graceMinutes: graceMinutes, note: note)) }
    }
    public func start(untilMs: Int64, graceMinutes: UInt32? = nil, note: String? = nil) async {
        await run { try await self.alerts.startCheckin(CheckinRequest(deadline: .at(atMs: untilMs), graceMinutes: graceMinutes, note: note)) }
    }
    public func extend(minutes: UInt32) async { await run { try await self.alerts.extendCheckin(minutes) } }
    public func checkIn() async { await run { try await self.alerts.checkIn() } }
    public func cancel() async { await run { try await self.alerts.cancelCheckin() } }

    /// Once a second while visible; lets the core fire a missed check-in.
    public func onClockTick() async {
        guard let c = last, c.state == .active else { return }
        if clock.nowMs() >= c.firesAtMs {
            await run { _ = try await self.alerts.tick(); return try await self.alerts.checkin() }
        } else {
            state = render(c)
        }
    }

    private func run(_ body: () async throws -> CheckinStatus?) async {
        error = nil
        do { let c = try await body(); last = c; state = render(c) } catch { self.error = UiError(error) }
    }

    private func render(_ c: CheckinStatus?) -> CheckinUiState {
        guard let c else { return .notRunning }
        guard c.state == .active else { return .finished(outcome: c.state, alertId: c.alertId) }
        let now = clock.nowMs()
        return .running(deadlineMs: c.deadlineMs, firesAtMs: c.firesAtMs, remainingMs: max(0, c.deadlineMs - now),
                        inGrace: now >= c.deadlineMs, note: c.note)
    }
}

/// What the platform scheduler should hold.
public struct WakeupPlan: Equatable, Sendable {
    public let runNow: Bool
    public let alarmAtMs: Int64?
    public let flushWhenOnline: Bool

    public init(runNow: Bool, alarmAtMs: Int64?, flushWhenOnline: Bool) {
        self.runNow = runNow; self.alarmAtMs = alarmAtMs; self.flushWhenOnline = flushWhenOnline
    }

    /// The core's `next_wakeup_ms` and pending count turned into a plan.
    public static func make(nextWakeupMs: Int64?, pending: UInt64, nowMs: Int64) -> WakeupPlan {
        WakeupPlan(runNow: nextWakeupMs.map { $0 <= nowMs } ?? false,
                   alarmAtMs: nextWakeupMs.flatMap { $0 > nowMs ? $0 : nil },
                   flushWhenOnline: pending > 0)
    }
}

/// The iOS side: BGTaskScheduler requests (earliest begin date) and a local
/// notification for a check-in deadline when the app is suspended.
public protocol WakeupScheduler: AnyObject {
    func schedule(atMs: Int64)
    func cancel()
}

/// Applies the core's schedule to the platform.
public final class WakeupCoordinator: @unchecked Sendable {
    private let alerts: AlertsSession
    private let scheduler: WakeupScheduler
    private let clock: Clock
    public init(alerts: AlertsSession, scheduler: WakeupScheduler, clock: Clock = SystemClock()) {
        self.alerts = alerts; self.scheduler = scheduler; self.clock = clock
    }

    /// After any action that can change the schedule.
    @discardableResult
    public func reschedule(pending: UInt64 = 0) async throws -> WakeupPlan {
        let plan = WakeupPlan.make(nextWakeupMs: try await alerts.nextWakeupMs(), pending: pending, nowMs: clock.nowMs())
        apply(plan)
        return plan
    }

    /// From the background task: run due work, then schedule the next.
    @discardableResult
    public func onWake() async throws -> WakeupPlan {
        var plan: WakeupPlan
        var rounds = 0
        repeat {
            let r = try await alerts.tick()
            plan = WakeupPlan.make(nextWakeupMs: r.nextWakeupMs, pending: r.pending, nowMs: clock.nowMs())
            rounds += 1
        } while plan.runNow && rounds < 3
        apply(plan)
        return plan
    }

    private func apply(_ p: WakeupPlan) {
        if let at = p.alarmAtMs { scheduler.schedule(atMs: at) }
        else if p.runNow { scheduler.schedule(atMs: clock.nowMs()) }
        else if p.flushWhenOnline { scheduler.schedule(atMs: clock.nowMs() + 15 * 60_000) }
        else { scheduler.cancel() }
    }
}
