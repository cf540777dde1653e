// A tiny test harness for the Linux Swift binding tests: named checks, one line
// each, a closing "N passed, N failed" line, non-zero exit on any failure.
import Foundation

struct CheckFailure: Error, CustomStringConvertible {
    let description: String
}

final class Harness {
    nonisolated(unsafe) static var passed = 0
    nonisolated(unsafe) static var failed = 0

    static func test(_ name: String, _ body: () throws -> Void) {
        do {
            try body()
            passed += 1
            print("ok    \(name)")
        } catch {
            failed += 1
            print("FAIL  \(name): \(error)")
        }
    }

    static func finish() -> Never {
        print("swift: \(passed) passed, \(failed) failed")
        exit(failed > 0 || passed == 0 ? 1 : 0)
    }
}

func check(_ condition: Bool, _ what: String) throws {
    if !condition { throw CheckFailure(description: what) }
}

func checkEq<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
    if actual != expected {
        throw CheckFailure(description: "\(what): expected <\(expected)>, got <\(actual)>")
    }
}

/// Runs `body`, which must throw a ParasolError for which `matches` is true.
func expectError(_ what: String, _ matches: (ParasolError) -> Bool, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ParasolError {
        if matches(e) { return }
        throw CheckFailure(description: "\(what): unexpected error \(e)")
    }
    throw CheckFailure(description: "\(what): nothing was thrown")
}

func tempDir() -> String {
    let path = NSTemporaryDirectory() + "parasol-swift-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

// Error predicates shared by the tests.
func isInvalid(_ e: ParasolError) -> Bool { if case .InvalidInput = e { return true }; return false }
func isNotFound(_ e: ParasolError) -> Bool { if case .NotFound = e { return true }; return false }
func isWrong(_ e: ParasolError) -> Bool { if case .WrongPassphrase = e { return true }; return false }
func isLocked(_ e: ParasolError) -> Bool { if case .Locked = e { return true }; return false }
func isCrypto(_ e: ParasolError) -> Bool { if case .Crypto = e { return true }; return false }
func isContent(_ e: ParasolError) -> Bool { if case .Content = e { return true }; return false }
func isNetwork(_ e: ParasolError) -> Bool { if case .Network = e { return true }; return false }
func isPlatform(_ e: ParasolError) -> Bool { if case .Platform = e { return true }; return false }
