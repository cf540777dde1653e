import CryptoKit
import Foundation
import ParasolKit
import Security

/// The core's platform key factor on iOS: a random 256-bit key per alias in
/// the Keychain (this device only, after first unlock, never in backups or
/// iCloud), used with AES-GCM to wrap the secrets the core generates.
final class KeychainKeyStore: PlatformKeyStore, @unchecked Sendable {
    func wrapSecret(alias: String, secret: Data) throws -> Data {
        let key = try loadOrCreateKey(alias)
        return try AESGCM.seal(secret, key: key)
    }

    func unwrapSecret(alias: String, wrapped: Data) throws -> Data {
        guard let key = try loadKey(alias) else { throw ParasolError.Crypto(reason: "no platform key") }
        return try AESGCM.open(wrapped, key: key)
    }

    private func query(_ alias: String) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword,
         kSecAttrService as String: "org.parasol.keys",
         kSecAttrAccount as String: alias]
    }

    private func loadKey(_ alias: String) throws -> Data? {
        var q = query(alias)
        q[kSecReturnData as String] = true
        var out: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &out)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let data = out as? Data else { throw ParasolError.Platform(reason: "keychain \(status)") }
        return data
    }

    private func loadOrCreateKey(_ alias: String) throws -> Data {
        if let k = try loadKey(alias) { return k }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard SecRandomCopyBytes(kSecRandomDefault, bytes.count, &bytes) == errSecSuccess else {
            throw ParasolError.Platform(reason: "no randomness")
        }
        var q = query(alias)
        q[kSecValueData as String] = Data(bytes)
        q[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        q[kSecAttrSynchronizable as String] = false
        let status = SecItemAdd(q as CFDictionary, nil)
        guard status == errSecSuccess else { throw ParasolError.Platform(reason: "keychain \(status)") }
        return Data(bytes)
    }
}


/// AES-256-GCM: nonce | ciphertext | tag (CryptoKit's combined form).
enum AESGCM {
    static func seal(_ plain: Data, key: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plain, using: SymmetricKey(data: key)).combined else {
            throw ParasolError.Platform(reason: "seal failed")
        }
        return combined
    }
    static func open(_ sealed: Data, key: Data) throws -> Data {
        do { return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(data: key)) }
        catch { throw ParasolError.Crypto(reason: "platform key did not verify") }
    }
}
