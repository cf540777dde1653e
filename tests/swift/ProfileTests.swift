// The Parasol entry point, settings, errors and the platform key store.
import Foundation

func swiftConfig(_ dir: String) -> ParasolConfig {
    ParasolConfig(dataDir: dir, timeoutSeconds: 0, extraCaPem: nil, allowInsecureLoopback: false, extraTrustedPackKeys: [])
}

/// A shell's key store: XOR with one byte per alias (a new byte each time a
/// key is created), recording the class each key was created with and deletions.
final class XorKeyStore: PlatformKeyStore, @unchecked Sendable {
    private let lock = NSLock()
    var wraps = 0
    var unwraps = 0
    private var generation: UInt8 = 0
    private var keys: [String: UInt8] = [:]
    var created: [(String, KeyClass)] = []
    var deleted: [String] = []

    func wrapSecret(alias: String, keyClass: KeyClass, secret: Data) throws -> Data {
        lock.lock(); defer { lock.unlock() }
        wraps += 1
        let k: UInt8
        if let existing = keys[alias] {
            k = existing
        } else {
            k = 0x3C ^ generation
            generation &+= 1
            keys[alias] = k
            created.append((alias, keyClass))
        }
        return Data(secret.map { $0 ^ k })
    }

    func unwrapSecret(alias: String, keyClass: KeyClass, wrapped: Data) throws -> Data {
        lock.lock(); defer { lock.unlock() }
        unwraps += 1
        guard let k = keys[alias] else { throw ParasolError.Crypto(reason: "no platform key") }
        return Data(wrapped.map { $0 ^ k })
    }

    func deleteKey(alias: String) throws {
        lock.lock(); defer { lock.unlock() }
        keys[alias] = nil
        deleted.append(alias)
    }
}

final class ThrowingKeyStore: PlatformKeyStore, @unchecked Sendable {
    func wrapSecret(alias: String, keyClass: KeyClass, secret: Data) throws -> Data {
        throw ParasolError.Platform(reason: "keychain locked")
    }
    func unwrapSecret(alias: String, keyClass: KeyClass, wrapped: Data) throws -> Data {
        throw ParasolError.Platform(reason: "keychain locked")
    }
    func deleteKey(alias: String) throws {
        throw ParasolError.Platform(reason: "keychain locked")
    }
}

func profileTests() {
    Harness.test("core version loads") {
        try check(!coreVersion().isEmpty, "version is empty")
    }
    Harness.test("open, set country and languages, reopen") {
        let dir = tempDir()
        do {
            let p = try Parasol.open(config: swiftConfig(dir), keyStore: nil)
            let info = try p.info()
            try checkEq(info.country, nil, "country before")
            try checkEq(info.languages, ["en"], "default languages")
            try p.setCountry(code: "hr")
            try p.setLanguages(languages: ["sr", "hr"])
        }
        let p = try Parasol.open(config: swiftConfig(dir), keyStore: nil)
        let info = try p.info()
        try checkEq(info.country, "HR", "country after reopen")
        try checkEq(info.languages, ["sr", "hr"], "languages after reopen")
        try check(info.schemaVersion >= 1, "schema version")
    }
    Harness.test("bad input is InvalidInput") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        try expectError("country", { if case .InvalidInput = $0 { return true }; return false }) {
            try p.setCountry(code: "Croatia")
        }
        try expectError("language", { if case .InvalidInput = $0 { return true }; return false }) {
            try p.setLanguages(languages: ["hr_HR"])
        }
    }
    Harness.test("damaged database is Storage") {
        let dir = tempDir()
        _ = FileManager.default.createFile(atPath: dir + "/parasol.db", contents: Data(repeating: 0x42, count: 4096))
        try expectError("open", { if case .Storage = $0 { return true }; return false }) {
            _ = try Parasol.open(config: swiftConfig(dir), keyStore: nil)
        }
    }
    Harness.test("Swift key store wraps once, unwraps on reopen") {
        let dir = tempDir()
        let keys = XorKeyStore()
        _ = try Parasol.open(config: swiftConfig(dir), keyStore: keys)
        try checkEq(keys.wraps, 1, "wraps")
        _ = try Parasol.open(config: swiftConfig(dir), keyStore: keys)
        try checkEq(keys.wraps, 1, "wraps after reopen")
        try checkEq(keys.unwraps, 1, "unwraps after reopen")
    }
    Harness.test("Swift key store: key classes, and a wipe deletes both keys") {
        let dir = tempDir()
        let keys = XorKeyStore()
        do {
            let p = try Parasol.open(config: swiftConfig(dir), keyStore: keys)
            try checkEq(keys.created.map { $0.0 }, ["parasol.device.v1"], "alert key")
            try checkEq(keys.created[0].1, .afterFirstUnlock, "alert key class")
            let j = p.journal()
            try j.create(passphrase: Data("swift key classes".utf8))
            try checkEq(keys.created[1].0, "parasol.journal.v1", "journal key")
            try checkEq(keys.created[1].1, .whileUnlocked, "journal key class")
            let deviceBlob = try Data(contentsOf: URL(fileURLWithPath: dir + "/device.key"))
            try checkEq(keys.deleted.count, 0, "nothing deleted before the wipe")
            try j.wipe()
            try checkEq(keys.deleted.sorted(), ["parasol.device.v1", "parasol.journal.v1"], "deleted by the wipe")
            try expectError("old device key after the wipe", { if case .Crypto = $0 { return true }; return false }) {
                _ = try keys.unwrapSecret(alias: "parasol.device.v1", keyClass: .afterFirstUnlock, wrapped: deviceBlob)
            }
        }
        _ = try Parasol.open(config: swiftConfig(dir), keyStore: keys)
        try checkEq(keys.created.count, 3, "a new alert key after reopening")
    }
    Harness.test("throwing Swift key store is Platform") {
        try expectError("open", {
            if case let .Platform(reason) = $0 { return reason.contains("keychain locked") }
            return false
        }) {
            _ = try Parasol.open(config: swiftConfig(tempDir()), keyStore: ThrowingKeyStore())
        }
    }
}
