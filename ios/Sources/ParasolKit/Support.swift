// Small platform-independent pieces shared by the presenters: errors as the
// screens word them, the clock, last known location, and change notification.
import Foundation

/// What went wrong, in terms a screen can word calmly (mapped to Localizable.strings).
public enum UiError: Equatable, Sendable {
    case wrongPassphrase, locked, invalidInput, notFound, network, storage, platform, mismatch, other

    /// Maps any error thrown by the core.
    public init(_ error: Error) {
        switch error as? ParasolError {
        case .WrongPassphrase?: self = .wrongPassphrase
        case .Locked?: self = .locked
        case .InvalidInput?: self = .invalidInput
        case .NotFound?: self = .notFound
        case .Network?: self = .network
        case .Storage?: self = .storage
        case .Platform?: self = .platform
        default: self = .other
        }
    }
}

/// Wall-clock milliseconds since the epoch (injectable for tests).
public protocol Clock: Sendable {
    func nowMs() -> Int64
}

/// The system clock.
public struct SystemClock: Clock {
    public init() {}
    public func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// The last location fix, returned at once (the first alert never waits for a fix).
public protocol LastKnownLocation: Sendable {
    func lastKnown() -> AlertLocation?
}

/// No location (permission refused, or off).
public struct NoLocation: LastKnownLocation {
    public init() {}
    public func lastKnown() -> AlertLocation? { nil }
}

/// Base for presenters: `onChange` is called after every state change (the
/// SwiftUI adapter turns it into `objectWillChange`).
@MainActor
open class Presenter {
    /// Called on the main actor after a change.
    public var onChange: (() -> Void)?
    /// The last failure, if any.
    public internal(set) var error: UiError? { didSet { onChange?() } }
    public init() {}
    func changed() { onChange?() }

    /// Runs `body`, storing a failure in `error`. Returns nil on failure.
    @discardableResult
    func attempt<T>(_ body: () async throws -> T) async -> T? {
        do { return try await body() } catch { self.error = UiError(error); return nil }
    }
}

/// "1:05:09" or "4:09", rounded up to the second.
public func formatRemaining(_ ms: Int64) -> String {
    let total = (max(ms, 0) + 999) / 1000
    let h = total / 3600, m = (total % 3600) / 60, s = total % 60
    return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
}
