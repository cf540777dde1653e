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

/// Waits (at most `ms`, polling) until `condition` holds.
func eventually(_ what: String, ms: Int = 5000, _ condition: () -> Bool) async throws {
    let end = Date().addingTimeInterval(Double(ms) / 1000)
    while !condition() {
        if Date() > end { throw CheckFailure(description: "timed out: \(what)") }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
}
