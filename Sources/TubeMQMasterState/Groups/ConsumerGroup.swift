public import TubeMQCore

/// The bound-consume session of a group, fixed by its first bound consumer.
public struct BoundSession: Sendable, Hashable, Codable {
    /// The shared session key.
    public internal(set) var sessionKey: String
    /// The session time the first consumer sent.
    public internal(set) var sessionTime: Int64
    /// How many consumers must register before the group is assigned.
    public internal(set) var totalCount: Int32
    /// Whether the larger offset wins when two consumers ask for the same partition.
    public internal(set) var selectBig: Bool
}

/// One member of a consumer group as the master tracks it (never persisted).
public struct ConsumerMember: Sendable, Hashable {
    /// The consumer's client id.
    public internal(set) var clientID: String
    /// Its host name or address.
    public internal(set) var hostName: String
    /// When it registered (ms).
    public internal(set) var registeredAt: Int64
    /// When its latest register or heartbeat arrived (ms).
    public internal(set) var lastHeartbeatAt: Int64
    /// Whether a heartbeat arrived since it registered; the balancer waits for it.
    public internal(set) var hasHeartbeated: Bool
    /// What the consumer holds as far as the master knows, by partition key: set from its
    /// registration and from heartbeats with `reportSubscribeInfo = true`, and from nothing else.
    public internal(set) var held: [String: Partition]
    /// Whether `held` comes from a registration and no balance round has answered it yet.
    ///
    /// A consumer registering with partitions (after a master restart or failover, or after a 411)
    /// claims what it held from an earlier master or broker session: the brokers may since have
    /// forgotten its registrations (a restarted broker does), and the client then drops them without
    /// telling the master until its next periodic report (every sixth heartbeat or so, about a minute).
    /// The next round therefore sends such a consumer an `ONLY_CONNECT` for every partition it keeps,
    /// not only for the new ones: the official clients register at the broker only the listed
    /// partitions they no longer hold, and report their holdings with the acknowledgement.
    public internal(set) var claimsUnconfirmed: Bool
    /// The event delivered in a heartbeat reply and not yet acknowledged.
    public internal(set) var inFlight: RebalanceEvent?
    /// Events ready to be delivered, one per heartbeat, after the in-flight one is acknowledged.
    public internal(set) var queued: [RebalanceEvent]
    /// Bound consumption: the partitions it asked for, with offsets; empty otherwise.
    public internal(set) var requiredOffsets: [String: Int64]
    /// Whether it registered over the master's TLS port.
    public internal(set) var overTLS = false

    /// The held partitions sorted by topic, broker and partition id.
    public var heldPartitions: [Partition] { held.values.sorted(by: Partition.balanceOrder) }

    /// Whether an event is in flight or queued.
    public var hasEvents: Bool { inFlight != nil || !queued.isEmpty }
}

/// A connect event that waits until the current holders of its partitions acknowledged their
/// `ONLY_DISCONNECT` (or left the group).
public struct PendingConnect: Sendable, Hashable {
    /// The consumer that will receive the event.
    public internal(set) var consumerID: String
    /// The `ONLY_CONNECT` event, carrying the rebalance id of the round that moved the partitions.
    public internal(set) var event: RebalanceEvent
    /// The consumers whose disconnect acknowledgement is still awaited.
    public internal(set) var waitingOn: Set<String>
}

/// A member asked to leave the balance for a while and come back (`admin_rebalance_group_allocate`).
///
/// The first balance round after the request gives the member no partitions, so it is sent
/// `ONLY_DISCONNECT` for what it holds and the others take it over; from `notBefore` on, rounds
/// balance it in again and it gets its share back.
public struct Rejoin: Sendable, Hashable {
    /// The wait the admin asked for (`reJoinWait`, ms).
    public internal(set) var waitMs: Int64
    /// The time (ms) before which rounds give the member no partitions.
    public internal(set) var notBefore: Int64
    /// Whether a round has already taken the member's partitions.
    public internal(set) var released: Bool
}

/// A consumer group: the run-time state the master builds from its members' registrations.
///
/// The first member fixes the topic set, the filters and the consume type; later members must match
/// them (errors 424–429). The group disappears when its last member leaves.
public struct ConsumerGroup: Sendable, Hashable {
    /// The group name.
    public internal(set) var name: String
    /// The subscribed topics.
    public internal(set) var topics: Set<String>
    /// Filter items per topic; topics without filters are absent.
    public internal(set) var filters: [String: Set<String>]
    /// The bound-consume session, or `nil` for a normal group.
    public internal(set) var bound: BoundSession?
    /// The members by client id.
    public internal(set) var members: [String: ConsumerMember]
    /// Whether a member has acknowledged an event (the inverse of the wire's `notAllocated`).
    public internal(set) var allocated: Bool
    /// Connect events waiting for disconnect acknowledgements.
    public internal(set) var pendingConnects: [PendingConnect]
    /// Bound consumption: the winning start offset of every assigned partition, by partition key.
    /// The master actor hands these to the broker registration flow.
    public internal(set) var boundOffsets: [String: Int64]
    /// The rebalance id of the latest round that produced events for the group, 0 if none.
    public internal(set) var lastRebalanceID: Int64
    /// Members an admin asked to give up their partitions and rejoin
    /// (`admin_rebalance_group_allocate`), by client id.
    public internal(set) var rejoins: [String: Rejoin] = [:]
    /// Keys of the partitions members that left held or were about to get, until a round hands them
    /// out (``MasterState/balance(now:)``, which does so even while other events are pending).
    public internal(set) var orphaned: Set<String> = []

    /// The wire's `notAllocated`.
    public var notAllocated: Bool { !allocated }

    /// Whether any member has an event in flight or queued, or a connect is waiting.
    public var hasPendingEvents: Bool {
        !pendingConnects.isEmpty || members.values.contains { $0.hasEvents }
    }

    /// Whether a balance round may work on the group: no pending events, and every member has
    /// sent a heartbeat since it registered or registered with partitions to confirm
    /// (``ConsumerMember/claimsUnconfirmed``: its answer is due at once).
    public var isReadyToBalance: Bool {
        !hasPendingEvents && members.values.allSatisfy { $0.hasHeartbeated || $0.claimsUnconfirmed }
    }

    /// The members sorted by client id.
    public var sortedMembers: [ConsumerMember] { members.values.sorted { $0.clientID < $1.clientID } }

    /// The current owner of each partition key, as far as the master knows.
    public var owners: [String: [String]] {
        var out: [String: [String]] = [:]
        for member in sortedMembers {
            for key in member.held.keys { out[key, default: []].append(member.clientID) }
        }
        return out
    }
}

// MARK: - Event bookkeeping

extension ConsumerGroup {
    /// Drops a member, its waiting connects, and releases connects that waited on its disconnect.
    mutating func removeMember(_ clientID: String) {
        if let member = members[clientID] {
            orphaned.formUnion(member.held.keys)
            for event in [member.inFlight].compactMap({ $0 }) + member.queued where event.type == .onlyConnect {
                orphaned.formUnion(event.subscriptions.map(\.partition.key))
            }
        }
        for pending in pendingConnects where pending.consumerID == clientID {
            orphaned.formUnion(pending.event.subscriptions.map(\.partition.key))
        }
        members[clientID] = nil
        pendingConnects.removeAll { $0.consumerID == clientID }
        disconnectResolved(by: clientID)
    }

    /// Records that `clientID` no longer blocks connects (it acknowledged a disconnect or left), and
    /// moves every connect that no longer waits into its consumer's queue.
    mutating func disconnectResolved(by clientID: String) {
        var stillWaiting: [PendingConnect] = []
        for var pending in pendingConnects {
            pending.waitingOn.remove(clientID)
            if pending.waitingOn.isEmpty {
                members[pending.consumerID]?.queued.append(pending.event)
            } else {
                stillWaiting.append(pending)
            }
        }
        pendingConnects = stillWaiting
    }
}

extension Partition {
    /// The order the balancer uses: topic, then broker id, then partition id.
    static func balanceOrder(_ lhs: Partition, _ rhs: Partition) -> Bool {
        if lhs.topic != rhs.topic { return lhs.topic < rhs.topic }
        if lhs.broker.id != rhs.broker.id { return lhs.broker.id < rhs.broker.id }
        return lhs.id < rhs.id
    }
}
