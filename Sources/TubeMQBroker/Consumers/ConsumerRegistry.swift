import Synchronization

/// The lock around ``ConsumerSessions``: the broker's record of who holds which partition.
///
/// A mutex rather than an actor: every call is a short, non-blocking lookup or update, and the get
/// path asks it once per fetch, so it must not cost an executor hop.
final class ConsumerRegistry: Sendable {
    private let sessions: Mutex<ConsumerSessions>
    private let clock: @Sendable () -> Int64

    init(timeoutMillis: Int64, clock: @escaping @Sendable () -> Int64) {
        self.sessions = Mutex(ConsumerSessions(timeoutMillis: timeoutMillis))
        self.clock = clock
    }

    func register(
        _ key: ConsumerSessions.Key,
        consumerID: String,
        filterHashes: Set<Int32>
    ) -> Result<Void, OwnerConflict> {
        let now = clock()
        return sessions.withLock { $0.register(key, consumerID: consumerID, filterHashes: filterHashes, now: now) }
    }

    func unregister(_ key: ConsumerSessions.Key, consumerID: String) -> Result<Bool, OwnerConflict> {
        sessions.withLock { $0.unregister(key, consumerID: consumerID) }
    }

    /// Checks access and refreshes liveness; returns the holder's filters when held.
    func touch(_ key: ConsumerSessions.Key, consumerID: String) -> (ConsumerSessions.Access, Set<Int32>) {
        let now = clock()
        return sessions.withLock { sessions in
            let access = sessions.touch(key, consumerID: consumerID, now: now)
            return (access, access == .held ? sessions.filterHashes(key) : [])
        }
    }

    func expire() -> [ConsumerSessions.Key] {
        let now = clock()
        return sessions.withLock { $0.expire(now: now).map(\.0) }
    }

    /// Every holding, for the admin API.
    func holdings() -> [(key: ConsumerSessions.Key, holding: ConsumerSessions.Holding)] {
        sessions.withLock { $0.holdings.map { ($0.key, $0.value) } }
    }
}
