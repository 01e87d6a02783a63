import Synchronization
import TubeMQCore

/// The producer's metadata under a lock: written by heartbeats, read by every send without an actor hop.
final class ProducerRouting: Sendable {
    private struct State {
        var metadata = ProducerMetadata()
        var visitToken: Int64?
        var authToken: String?
        var published: Set<String> = []
        /// The master's refusal of the producer's credentials or topics, while it lasts.
        var refusal: Refusal?
        /// Bumped by every ``ProducerRouting/update(_:)``.
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Applies `body` to the metadata and wakes every ``waitForChange(since:until:on:)``.
    func update<T>(_ body: (inout ProducerMetadata) -> T) -> T {
        let (result, waiters) = state.withLock { state in
            let result = body(&state.metadata)
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return (result, Array(state.waiters.values))
        }
        for waiter in waiters { waiter.resume() }
        return result
    }

    /// The number of updates so far: pass it to ``waitForChange(since:until:on:)``.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Returns once the metadata has been updated since `generation`, once `clock` reaches `deadline`
    /// (milliseconds), or when the task is cancelled, whichever comes first.
    func waitForChange(since generation: UInt64, until deadline: Int64, on clock: any WallClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.change(since: generation) }
            group.addTask { try? await clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }

    private func change(since generation: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID &+= 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// The metadata as of now.
    var metadata: ProducerMetadata { state.withLock { $0.metadata } }

    /// The master's visit token, sent to brokers as the Java client does.
    var visitToken: Int64? {
        get { state.withLock { $0.visitToken } }
        set { state.withLock { $0.visitToken = newValue } }
    }

    /// The `authAuthorizedToken` for brokers, when the producer has credentials.
    var authToken: String? {
        get { state.withLock { $0.authToken } }
        set { state.withLock { $0.authToken = newValue } }
    }

    /// The master refused the producer at its last heartbeat: its user was removed or its password
    /// changed (415), or it may no longer publish to some topics (403). Sends to them fail with it,
    /// until a heartbeat passes again: the broker does not know users, so it would go on storing them.
    struct Refusal: Sendable {
        /// The error sends fail with.
        var error: ClientError
        /// The topics refused; `nil` for every topic.
        var topics: Set<String>?
    }

    /// The refusal in force, or `nil`.
    var refusal: Refusal? {
        get { state.withLock { $0.refusal } }
        set { state.withLock { $0.refusal = newValue } }
    }

    /// The topics published so far.
    var published: Set<String> {
        get { state.withLock { $0.published } }
        set { state.withLock { $0.published = newValue } }
    }

    /// Where one send goes: the partition, the largest message it accepts and the visit token to send.
    struct Route {
        var partition: Partition
        var maxMessageSize: Int
        var visitToken: Int64?
        var authToken: String?
    }

    /// What ``route(topic:excluding:)`` found.
    enum Routing {
        case route(Route)
        /// The topic has no partition (yet).
        case noPartition
        /// The topic was not published.
        case notPublished
        /// The master refused the producer or this topic (``Refusal``).
        case refused(ClientError)
    }

    /// The next partition of `topic` to send to (see ``ProducerMetadata/pick(topic:now:excluding:)``), read
    /// under one lock with everything else a send needs.
    func route(topic: String, excluding: Set<Int32>) -> Routing {
        state.withLock { state in
            guard state.published.contains(topic) else { return .notPublished }
            if let refusal = state.refusal, refusal.topics?.contains(topic) ?? true { return .refused(refusal.error) }
            guard let partition = state.metadata.pick(topic: topic, now: nil, excluding: excluding) else {
                return .noPartition
            }
            return .route(
                Route(
                    partition: partition,
                    maxMessageSize: state.metadata.maxMessageSize(of: topic),
                    visitToken: state.visitToken,
                    authToken: state.authToken
                )
            )
        }
    }

    /// Avoids a broker for `duration`.
    ///
    /// - Returns: whether it was not avoided already.
    @discardableResult
    func avoid(brokerID: Int32, for duration: Duration) -> Bool {
        state.withLock { $0.metadata.avoid(brokerID: brokerID, until: .now + duration) }
    }
}
