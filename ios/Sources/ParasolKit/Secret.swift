// A passphrase as bytes, overwritten when taken or released; never a String
// once read from the field. The Data handed to the FFI is one short-lived copy
// (Swift frees it without zeroing): take it right when the event is sent.
import Foundation

public final class Secret: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [UInt8]

    /// Takes the UTF-8 bytes of a `SecureField`'s text (clear the field too).
    public init(_ text: String) { storage = Array(text.utf8) }

    /// The bytes for one event; the secret is wiped at once.
    public func take() -> Data {
        lock.withLock {
            let d = Data(storage)
            for i in storage.indices { storage[i] = 0 }
            return d
        }
    }

    /// True once wiped.
    public var isWiped: Bool { lock.withLock { storage.allSatisfy { $0 == 0 } } }

    deinit { for i in storage.indices { storage[i] = 0 } }
}
