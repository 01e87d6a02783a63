import Synchronization
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// A consumer template for bid tests: short heartbeats, back-offs and timeouts, from the first message.
func bidConsumerTemplate(group: String, topics: [String]) -> Consumer.Configuration {
    var configuration = Consumer.Configuration(
        masters: [],
        group: group,
        topics: topics,
        startPosition: .first,
        heartbeatPeriod: .milliseconds(100),
        rpcTimeout: .seconds(5)
    )
    configuration.minimumFetchBackoff = .milliseconds(20)
    configuration.maximumFetchBackoff = .milliseconds(100)
    configuration.confirmTimeout = .seconds(5)
    return configuration
}

/// What a bid consumer's loop received, by cluster name: every body, duplicates included.
final class BidReceipts: Sendable {
    private let bodies = Mutex<[String: [String]]>([:])

    func record(_ message: BidMessage) {
        let text = String(decoding: message.body, as: UTF8.self)
        bodies.withLock { $0[message.cluster.name, default: []].append(text) }
    }

    /// The distinct bodies received from `cluster`.
    func distinct(_ cluster: String) -> Set<String> { bodies.withLock { Set($0[cluster] ?? []) } }

    /// How many messages (duplicates included) came from `cluster`.
    func count(_ cluster: String) -> Int { bodies.withLock { $0[cluster]?.count ?? 0 } }
}

/// Sends `bodies` to `topic`, one at a time, returning those acknowledged.
func sendAll(_ bodies: [String], to topic: String, with producer: Producer) async throws -> [String] {
    for body in bodies { try await producer.send(Message(body: Array(body.utf8)), to: topic) }
    return bodies
}

/// Sends `body`, retrying until the producer's cluster takes it (it may still be coming back).
func sendEventually(_ body: String, to topic: String, with producer: Producer) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while true {
        do {
            try await producer.send(Message(body: Array(body.utf8)), to: topic)
            return
        } catch {
            guard ContinuousClock.now < deadline else { throw error }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// A flag tasks can set and tests read.
final class Flag: Sendable {
    private let value = Atomic(false)

    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
