import TubeMQClient
import TubeMQCore

/// The several-cluster examples of `docs/client-examples.md`, compiled (never run).
enum BidExampleSnippets {
    static func consumer() async throws {
        let east = BidCluster(name: "east", masters: MasterAddress.list(parsing: "10.0.1.1:8715,10.0.1.2:8715"))
        let west = BidCluster(name: "west", masters: MasterAddress.list(parsing: "10.0.2.1:8715"))
        var settings = Consumer.Configuration(masters: [], group: "demo-group", topics: ["demo"])
        settings.startPosition = .first  // every other setting of the single-cluster consumer applies too
        let consumer = try await BidConsumer(configuration: .init(clusters: [east, west], consumer: settings))
        for await message in consumer {
            print(message.cluster, message.partition, String(decoding: message.body, as: UTF8.self))
        }
    }

    static func producer(east: BidCluster, west: BidCluster) async throws {
        let producer = try await BidProducer(
            configuration: .init(clusters: [east, west], producer: .init(masters: []))
        )
        try await producer.publish(["demo"])
        let sent = try await producer.send(Message(body: Array("hello".utf8)), to: "demo")
        print("stored by \(sent.cluster) in \(sent.partition) at offset \(sent.offset)")
    }
}
