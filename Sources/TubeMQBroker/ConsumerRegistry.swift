/// The actor around ``ConsumerSessions``: the broker's record of who holds which partition.
actor ConsumerRegistry {
    private var sessions: ConsumerSessions
    private let clock: @Sendable () -> Int64

    init(timeoutMillis: Int64, clock: @escaping @Sendable () -> Int64) {
        self.sessions = ConsumerSessions(timeoutMillis: timeoutMillis)
        self.clock = clock
    }

    func register(_ key: ConsumerSessions.Key, consumerID: String, filterHashes: Set<Int32>) -> Result<Void, OwnerConflict> {
        sessions.register(key, consumerID: consumerID, filterHashes: filterHashes, now: clock())
    }

    func unregister(_ key: ConsumerSessions.Key, consumerID: String) -> Result<Bool, OwnerConflict> {
        sessions.unregister(key, consumerID: consumerID)
    }

    /// Checks access and refreshes liveness; returns the holder's filters when held.
    func touch(_ key: ConsumerSessions.Key, consumerID: String) -> (ConsumerSessions.Access, Set<Int32>) {
        let access = sessions.touch(key, consumerID: consumerID, now: clock())
        return (access, access == .held ? sessions.filterHashes(key) : [])
    }

    func expire() -> [ConsumerSessions.Key] {
        sessions.expire(now: clock()).map(\.0)
    }

    /// Every holding, for the admin API.
    func holdings() -> [(ConsumerSessions.Key, String)] {
        sessions.holdings.map { ($0.key, $0.value.consumerID) }
    }
}
