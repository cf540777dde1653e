import Foundation
import ParasolKit
import Security

/// The core's platform keys on iOS: one P-256 private key per alias, created
/// inside the Secure Enclave (it never leaves it, not even to the app), with
/// the accessibility the core asks for:
///
/// - `.whileUnlocked` (the journal key): `kSecAttrAccessibleWhenUnlockedThisDeviceOnly`;
///   the Secure Enclave refuses to use it while the phone is locked.
/// - `.afterFirstUnlock` (the alert key): `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`,
///   so that background work on a locked phone can still send alerts.
///
/// Secrets are wrapped with ECIES (`eciesEncryptionCofactorVariableIVX963SHA256AESGCM`:
/// ephemeral P-256 ECDH with the key, X9.63 KDF with SHA-256, AES-GCM); the
/// wrapped form is `0x01 || ephemeral public key (65) || ciphertext || tag (16)`.
/// Nothing is synchronised, backed up or logged.
///
/// The Simulator has no Secure Enclave: there, and only there, the same key is
/// an ordinary Keychain key (extractable by whoever can read the Keychain).
final class KeychainKeyStore: PlatformKeyStore, @unchecked Sendable {
    /// Serialises key creation and deletion: two creators would leave two
    /// keys under one tag, and a secret wrapped by the losing one.
    private let lock = NSLock()

    private static let algorithm = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM
    private static let format: UInt8 = 1
    #if targetEnvironment(simulator)
    private static let inSecureEnclave = false
    #else
    private static let inSecureEnclave = true
    #endif

    func wrapSecret(alias: String, keyClass: KeyClass, secret: Data) throws -> Data {
        let privateKey = try lock.withLock { try loadKey(alias) ?? createKey(alias, keyClass) }
        guard let publicKey = SecKeyCopyPublicKey(privateKey),
              SecKeyIsAlgorithmSupported(publicKey, .encrypt, Self.algorithm) else {
            throw ParasolError.Platform(reason: "keychain: key cannot encrypt")
        }
        var error: Unmanaged<CFError>?
        guard let sealed = SecKeyCreateEncryptedData(publicKey, Self.algorithm, secret as CFData, &error) as Data? else {
            throw Self.failure("encrypt", error)
        }
        return Data([Self.format]) + sealed
    }

    func unwrapSecret(alias: String, keyClass: KeyClass, wrapped: Data) throws -> Data {
        guard wrapped.count > 1, wrapped.first == Self.format else {
            throw ParasolError.Crypto(reason: "wrapped secret is malformed")
        }
        guard let privateKey = try lock.withLock({ try loadKey(alias) }) else {
            throw ParasolError.Crypto(reason: "no platform key")
        }
        var error: Unmanaged<CFError>?
        let body = Data(wrapped.dropFirst())
        guard let plain = SecKeyCreateDecryptedData(privateKey, Self.algorithm, body as CFData, &error) as Data? else {
            throw Self.failure("decrypt", error)
        }
        return plain
    }

    func deleteKey(alias: String) throws {
        try lock.withLock {
            try deleteItems(keyQuery(alias))
            try deleteItems(legacyQuery(alias))
        }
    }

    // MARK: - Keychain

    /// The private key of `alias` (a reference; its bytes stay in the Secure Enclave).
    private func loadKey(_ alias: String) throws -> SecKey? {
        var query = keyQuery(alias)
        query[kSecAttrKeyClass as String] = kSecAttrKeyClassPrivate
        query[kSecReturnRef as String] = true
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let item, CFGetTypeID(item) == SecKeyGetTypeID() else {
                throw ParasolError.Platform(reason: "keychain: not a key")
            }
            return (item as! SecKey) // type checked above
        case errSecItemNotFound:
            return nil
        default:
            // Never treat "cannot read now" (a locked phone) as "missing": a new
            // key would orphan everything wrapped under the existing one.
            throw ParasolError.Platform(reason: "keychain \(status)")
        }
    }

    private func createKey(_ alias: String, _ keyClass: KeyClass) throws -> SecKey {
        let accessible: CFString = switch keyClass {
        case .whileUnlocked: kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        case .afterFirstUnlock: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        }
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            kCFAllocatorDefault, accessible, Self.inSecureEnclave ? .privateKeyUsage : [], &error
        ) else {
            throw Self.failure("access control", error)
        }
        var attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecPrivateKeyAttrs as String: [
                kSecAttrIsPermanent as String: true,
                kSecAttrApplicationTag as String: tag(alias),
                kSecAttrAccessControl as String: access,
            ] as [String: Any],
        ]
        if Self.inSecureEnclave {
            attributes[kSecAttrTokenID as String] = kSecAttrTokenIDSecureEnclave
        }
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw Self.failure("create key", error)
        }
        // An earlier build kept a raw key under this alias: never read, now gone.
        try deleteItems(legacyQuery(alias))
        return key
    }

    private func deleteItems(_ query: [String: Any]) throws {
        let status = SecItemDelete(query as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw ParasolError.Platform(reason: "keychain \(status)")
        }
    }

    private func tag(_ alias: String) -> Data { Data("org.parasol.key.\(alias)".utf8) }

    private func keyQuery(_ alias: String) -> [String: Any] {
        [kSecClass as String: kSecClassKey,
         kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
         kSecAttrApplicationTag as String: tag(alias)]
    }

    /// The raw 32-byte generic password of builds before the Secure Enclave.
    private func legacyQuery(_ alias: String) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword,
         kSecAttrService as String: "org.parasol.keys",
         kSecAttrAccount as String: alias]
    }

    /// A Security framework error as the core's error: a locked phone is a
    /// platform condition, anything else while decrypting is a failed check.
    private static func failure(_ what: String, _ error: Unmanaged<CFError>?) -> ParasolError {
        let code = error.map { CFErrorGetCode($0.takeRetainedValue()) } ?? 0
        if code == Int(errSecInteractionNotAllowed) {
            return .Platform(reason: "keychain: the phone is locked")
        }
        if what == "decrypt" {
            return .Crypto(reason: "platform key did not verify")
        }
        return .Platform(reason: "keychain: \(what) failed (\(code))")
    }
}
