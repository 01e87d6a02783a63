public import TubeMQCore

/// The kind of a rebalance event (`corebase.balance.EventType`, carried in `EventProto.opType`).
///
/// Extensible: values a client sends that are not listed here are kept as they are.
public struct RebalanceEventType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The numeric `opType`.
    public var rawValue: Int32

    /// Wraps a numeric `opType`.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// 1: connect after disconnecting from others (never sent by the recorded master).
    public static let connect = RebalanceEventType(rawValue: 1)
    /// 2: disconnect (never sent by the recorded master).
    public static let disconnect = RebalanceEventType(rawValue: 2)
    /// 3: report the current status.
    public static let report = RebalanceEventType(rawValue: 3)
    /// 10: register the listed partitions at their brokers, and nothing else.
    public static let onlyConnect = RebalanceEventType(rawValue: 10)
    /// 20: unregister the listed partitions from their brokers, and nothing else.
    public static let onlyDisconnect = RebalanceEventType(rawValue: 20)

    /// The Java constant name, e.g. `ONLY_CONNECT`.
    public var description: String {
        switch self {
        case .connect: "CONNECT"
        case .disconnect: "DISCONNECT"
        case .report: "REPORT"
        case .onlyConnect: "ONLY_CONNECT"
        case .onlyDisconnect: "ONLY_DISCONNECT"
        default: "EventType(\(rawValue))"
        }
    }
}

/// The processing status of a rebalance event (`corebase.balance.EventStatus`, `EventProto.status`).
public struct RebalanceEventStatus: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The numeric status.
    public var rawValue: Int32

    /// Wraps a numeric status.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// 0: waiting to be processed. Events the master pushes carry no status on the wire.
    public static let todo = RebalanceEventStatus(rawValue: 0)
    /// 1: being processed.
    public static let processing = RebalanceEventStatus(rawValue: 1)
    /// 2: processed; what a client echoes to acknowledge an event.
    public static let done = RebalanceEventStatus(rawValue: 2)
    /// -2: processing failed.
    public static let failed = RebalanceEventStatus(rawValue: -2)

    /// The Java constant name, e.g. `DONE`.
    public var description: String {
        switch self {
        case .todo: "TODO"
        case .processing: "PROCESSING"
        case .done: "DONE"
        case .failed: "FAILED"
        default: "EventStatus(\(rawValue))"
        }
    }
}

/// A rebalance event as `EventProto` carries it: pushed in a consumer heartbeat reply, echoed back with
/// ``RebalanceEventStatus/done`` in the consumer's next heartbeat.
public struct RebalanceEvent: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The id of the balance round that created the event (`rebalanceId`).
    public var rebalanceID: Int64
    /// What the consumer must do (`opType`).
    public var type: RebalanceEventType
    /// The status; ``RebalanceEventStatus/todo`` in events the master pushes (sent without `status`).
    public var status: RebalanceEventStatus
    /// The affected subscriptions, each formatted `consumerId@group#brokerId:host:port#topic:partitionId`.
    public var subscriptions: [Subscription]

    /// Creates an event.
    public init(
        rebalanceID: Int64,
        type: RebalanceEventType,
        status: RebalanceEventStatus = .todo,
        subscriptions: [Subscription]
    ) {
        self.rebalanceID = rebalanceID
        self.type = type
        self.status = status
        self.subscriptions = subscriptions
    }

    /// The partitions the event names.
    public var partitions: [Partition] { subscriptions.map(\.partition) }

    /// The same event as a client acknowledges it: `status` set to `status`.
    public func acknowledged(_ status: RebalanceEventStatus = .done) -> RebalanceEvent {
        var copy = self
        copy.status = status
        return copy
    }

    /// `TYPE#rebalanceId[partition keys]`, for logs.
    public var description: String {
        "\(type)#\(rebalanceID)[\(subscriptions.map(\.partition.key).joined(separator: ","))]"
    }
}
