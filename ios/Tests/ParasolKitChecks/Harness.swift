// A main-based harness for ParasolKit's Linux checks: named async checks, a
// closing "N passed, N failed" line, non-zero exit on failure.
import Foundation
import ParasolKit

struct CheckFailure: Error, CustomStringConvertible { let description: String }

@MainActor
enum Harness {
    static var passed = 0
    static var failed = 0

    static func test(_ name: String, _ body: @MainActor () async throws -> Void) async {
        do {
            try await body()
            passed += 1
            print("ok    \(name)")
        } catch {
            failed += 1
            print("FAIL  \(name): \(error)")
        }
    }

    static func finish() -> Never {
        print("swift-kit: \(passed) passed, \(failed) failed")
        exit(failed > 0 || passed == 0 ? 1 : 0)
    }
}

func check(_ c: Bool, _ what: String) throws { if !c { throw CheckFailure(description: what) } }
func checkEq<T: Equatable>(_ a: T, _ e: T, _ what: String) throws {
    if a != e { throw CheckFailure(description: "\(what): expected <\(e)>, got <\(a)>") }
}

func tempDir() -> String {
    let path = NSTemporaryDirectory() + "parasol-kit-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func openSession() async throws -> ParasolSession {
    try await ParasolSession.open(dataDirectory: tempDir(), keyStore: nil) { c in
        c.allowInsecureLoopback = true
        c.timeoutSeconds = 2
    }
}

func sleepMs(_ ms: UInt64) async { try? await Task.sleep(nanoseconds: ms * 1_000_000) }

final class FakeClock: Clock, @unchecked Sendable {
    var now: Int64
    init(_ now: Int64 = 1_800_000_000_000) { self.now = now }
    func nowMs() -> Int64 { now }
}

/// iOS-style sender: every SMS needs the user to tap send in the composer.
final class ComposerSms: SmsSender, @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [SmsRequest] = []
    var requests: [SmsRequest] { lock.withLock { _requests } }
    func sendSms(request: SmsRequest) throws -> SmsOutcome {
        lock.withLock { _requests.append(request) }
        return .needsUserAction
    }
}

final class RecordingScheduler: WakeupScheduler {
    var at: Int64?
    var cancelled = 0
    func schedule(atMs: Int64) { at = atMs }
    func cancel() { at = nil; cancelled += 1 }
}

let every = ContactTriggers(button: true, missedCheckIn: true, duress: true)

func contact(_ name: String, phone: String? = nil, webhook: String? = nil) -> TrustedContactInput {
    TrustedContactInput(name: name, language: "en", phone: phone, webhookUrl: webhook, pushUrl: nil, pushToken: nil, triggers: every)
}
