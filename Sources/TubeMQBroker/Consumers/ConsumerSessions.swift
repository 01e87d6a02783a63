/// Which consumer of each group holds which partition on this broker, and when each was last heard from.
///
/// Pure bookkeeping with `now` passed in (milliseconds); the broker service owns one and asks it
/// before every register, read, commit and unregister.
struct ConsumerSessions: Sendable {
    /// A partition as a consumer group sees it.
    struct Key: Hashable, Sendable {
        var group: String
        var topic: String
        var partitionID: Int32
    }

    /// One consumer's hold on one partition.
    struct Holding: Sendable {
        var consumerID: String
        var filterHashes: Set<Int32>
        var lastSeen: Int64
    }

    /// Consumers silent for longer than this lose their partitions (`consumerRegTimeoutMs`).
    var timeoutMillis: Int64
    private(set) var holdings: [Key: Holding] = [:]

    init(timeoutMillis: Int64) {
        self.timeoutMillis = timeoutMillis
    }

    /// The outcome of checking a consumer's access to a partition.
    enum Access: Equatable {
        /// The consumer holds the partition.
        case held
        /// The consumer holds nothing in this group here (411).
        case unknownConsumer
        /// Another consumer of the group holds it (412).
        case heldBy(String)
        /// Nobody holds it, but the consumer is known here (it must register the partition).
        case notRegistered
    }

    /// Registers `consumerID` for `key`; fails with the current owner when another live consumer holds it.
    mutating func register(
        _ key: Key,
        consumerID: String,
        filterHashes: Set<Int32>,
        now: Int64
    ) -> Result<Void, OwnerConflict> {
        if let current = holdings[key], current.consumerID != consumerID, now - current.lastSeen <= timeoutMillis {
            return .failure(OwnerConflict(owner: current.consumerID))
        }
        holdings[key] = Holding(consumerID: consumerID, filterHashes: filterHashes, lastSeen: now)
        return .success(())
    }

    /// Releases `key` if `consumerID` holds it; fails with the owner when someone else does.
    mutating func unregister(_ key: Key, consumerID: String) -> Result<Bool, OwnerConflict> {
        guard let current = holdings[key] else { return .success(false) }
        guard current.consumerID == consumerID else { return .failure(OwnerConflict(owner: current.consumerID)) }
        holdings[key] = nil
        return .success(true)
    }

    /// Checks access and, when held, marks the consumer as alive.
    mutating func touch(_ key: Key, consumerID: String, now: Int64) -> Access {
        if let current = holdings[key] {
            if current.consumerID == consumerID {
                guard now - current.lastSeen <= timeoutMillis else {
                    // Timed out: the broker forgot it; it must register again.
                    for held in partitions(of: consumerID, group: key.group) { holdings[held] = nil }
                    return .unknownConsumer
                }
                holdings[key]?.lastSeen = now
                return .held
            }
            if now - current.lastSeen <= timeoutMillis { return .heldBy(current.consumerID) }
        }
        return knows(consumerID: consumerID, group: key.group) ? .notRegistered : .unknownConsumer
    }

    /// The filter hashes the holder registered for `key`.
    func filterHashes(_ key: Key) -> Set<Int32> { holdings[key]?.filterHashes ?? [] }

    /// Whether `consumerID` holds any partition of `group` here.
    func knows(consumerID: String, group: String) -> Bool {
        holdings.contains { $0.key.group == group && $0.value.consumerID == consumerID }
    }

    /// Drops holdings whose consumer has been silent past the timeout; returns them.
    mutating func expire(now: Int64) -> [(Key, Holding)] {
        let expired = holdings.filter { now - $0.value.lastSeen > timeoutMillis }
        for (key, _) in expired { holdings[key] = nil }
        return expired.map { ($0.key, $0.value) }
    }

    /// Every partition `consumerID` holds in `group`.
    func partitions(of consumerID: String, group: String) -> [Key] {
        holdings.filter { $0.key.group == group && $0.value.consumerID == consumerID }.map(\.key)
    }
}

/// Another consumer holds the partition.
struct OwnerConflict: Error, Equatable {
    var owner: String
}
