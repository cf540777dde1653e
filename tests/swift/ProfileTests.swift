// The Parasol entry point, settings, errors and the platform key store.
import Foundation

func swiftConfig(_ dir: String) -> ParasolConfig {
    ParasolConfig(dataDir: dir, timeoutSeconds: 0, extraCaPem: nil, allowInsecureLoopback: false, extraTrustedPackKeys: [])
}

final class XorKeyStore: PlatformKeyStore, @unchecked Sendable {
    var wraps = 0
    var unwraps = 0
    func wrapSecret(alias: String, secret: Data) throws -> Data {
        wraps += 1
        return Data(secret.map { $0 ^ 0x3C })
    }
    func unwrapSecret(alias: String, wrapped: Data) throws -> Data {
        unwraps += 1
        return Data(wrapped.map { $0 ^ 0x3C })
    }
}

final class ThrowingKeyStore: PlatformKeyStore, @unchecked Sendable {
    func wrapSecret(alias: String, secret: Data) throws -> Data {
        throw ParasolError.Platform(reason: "keychain locked")
    }
    func unwrapSecret(alias: String, wrapped: Data) throws -> Data {
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
    Harness.test("throwing Swift key store is Platform") {
        try expectError("open", {
            if case let .Platform(reason) = $0 { return reason.contains("keychain locked") }
            return false
        }) {
            _ = try Parasol.open(config: swiftConfig(tempDir()), keyStore: ThrowingKeyStore())
        }
    }
}
