// How deliveries read on the panic screen: one label per state, one row per contact.
import Foundation

/// The label of a delivery (each maps to one localized string).
public enum DeliveryLabel: Int, Sendable, Comparable {
    case notSent = 0, notNeeded, waiting, retrying, sending, tapToSend, sent, delivered
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

extension DeliveryStatus {
    /// The label for this delivery.
    public var label: DeliveryLabel {
        switch state {
        case .queued: return attempts > 0 ? .retrying : .waiting
        case .sending: return .sending
        case .sent: return .sent
        case .delivered: return .delivered
        case .needsUserAction: return .tapToSend
        case .failed: return .notSent
        case .cancelled: return .notNeeded
        }
    }
}

/// One channel in a contact's row.
public struct ChannelStatus: Equatable, Sendable {
    public let channel: DeliveryChannel
    public let label: DeliveryLabel
    public let deliveryId: String
}

/// One contact and how the message reached them.
public struct ContactDeliveryRow: Equatable, Sendable {
    public let contactId: String
    public let contactName: String?
    public let label: DeliveryLabel
    public let channels: [ChannelStatus]
    /// The user must open the composer for this contact.
    public var needsUserAction: Bool { channels.contains { $0.label == .tapToSend } }
}

/// "2 of 3 reached".
public struct DeliverySummary: Equatable, Sendable {
    public let reached: Int
    public let total: Int
    public let waitingForUser: Int
    public init(reached: Int, total: Int, waitingForUser: Int) {
        self.reached = reached; self.total = total; self.waitingForUser = waitingForUser
    }
}

/// Per-contact rows for messages of `kind`, in the order the core queued them.
public func deliveryRows(_ deliveries: [DeliveryStatus], contacts: [TrustedContact], kind: MessageKind = .alert) -> [ContactDeliveryRow] {
    let names = Dictionary(contacts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    var order: [String] = []
    var byContact: [String: [DeliveryStatus]] = [:]
    for d in deliveries where d.kind == kind {
        if byContact[d.contactId] == nil { order.append(d.contactId) }
        byContact[d.contactId, default: []].append(d)
    }
    return order.map { cid in
        let ds = byContact[cid]!
        var channelOrder: [DeliveryChannel] = []
        var newest: [DeliveryChannel: DeliveryStatus] = [:]
        for d in ds {
            if newest[d.channel] == nil { channelOrder.append(d.channel) }
            if newest[d.channel].map({ d.createdAtMs >= $0.createdAtMs }) ?? true { newest[d.channel] = d }
        }
        let channels = channelOrder.map { ch in ChannelStatus(channel: ch, label: newest[ch]!.label, deliveryId: newest[ch]!.id) }
        return ContactDeliveryRow(contactId: cid, contactName: names[cid], label: channels.map(\.label).max()!, channels: channels)
    }
}

/// The headline numbers.
public func summarize(_ rows: [ContactDeliveryRow]) -> DeliverySummary {
    DeliverySummary(reached: rows.filter { $0.label == .delivered || $0.label == .sent }.count,
                    total: rows.count,
                    waitingForUser: rows.filter(\.needsUserAction).count)
}
