import Logging
import TubeMQClient
import TubeMQCore

/// What `produce` sends with: a ``Producer`` for one `--master` list, a ``BidProducer`` (first healthy
/// cluster, failing over) for several.
enum MessageSender {
    case single(Producer)
    case clusters(BidProducer)

    /// Connects to the cluster, or to the clusters when there are several.
    ///
    /// - Throws: ``ClientError`` when no cluster can be reached.
    init(clusters: [[MasterAddress]], configuration: Producer.Configuration, logger: Logger) async throws {
        if clusters.count == 1 {
            var configuration = configuration
            configuration.masters = clusters[0]
            self = .single(try await Producer(configuration: configuration, logger: logger))
        } else {
            let bid = BidProducer.Configuration(
                clusters: clusters.map { BidCluster(masters: $0) },
                producer: configuration
            )
            self = .clusters(try await BidProducer(configuration: bid, logger: logger))
        }
    }

    /// Publishes the topics.
    ///
    /// - Throws: ``ClientError``.
    func publish(_ topics: [String]) async throws {
        switch self {
        case .single(let producer): try await producer.publish(topics)
        case .clusters(let producer): try await producer.publish(topics)
        }
    }

    /// Sends one message; returns the line `--verbose` prints for it (prefixed with the cluster when
    /// there are several).
    ///
    /// - Throws: ``ClientError``.
    func send(_ message: Message, to topic: String) async throws -> String {
        switch self {
        case .single(let producer):
            let result = try await producer.send(message, to: topic)
            return "\(result.messageID) \(result.partition.key) offset \(result.offset)"
        case .clusters(let producer):
            let result = try await producer.send(message, to: topic)
            return "\(result.cluster) \(result.messageID) \(result.partition.key) offset \(result.offset)"
        }
    }

    /// Shuts the producer(s) down.
    func shutdown() async {
        switch self {
        case .single(let producer): await producer.shutdown()
        case .clusters(let producer): await producer.shutdown()
        }
    }
}
