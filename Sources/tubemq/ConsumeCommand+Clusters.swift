import TubeMQClient

extension ConsumeCommand {
    /// `consume` with several `--master` lists: one ``BidConsumer`` over every cluster; each line starts
    /// with the cluster (its master list) the message came from.
    func consume(from clusters: [[MasterAddress]], configuration: Consumer.Configuration) async throws {
        let consumer = try await BidConsumer(
            configuration: BidConsumer.Configuration(
                clusters: clusters.map { BidCluster(masters: $0) },
                consumer: configuration
            ),
            logger: cluster.logger("tubemq.consume")
        )
        var received = 0
        var progress = Progress("received")
        for await message in consumer {
            received += 1
            if count {
                progress.update(received)
            } else {
                let attributes = message.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                printFlushed(
                    "\(message.cluster) \(message.partition.key) \(message.offset) [\(attributes)] "
                        + String(decoding: message.body, as: UTF8.self)
                )
            }
            if let max, received >= max { break }
        }
        progress.finish()
        await consumer.shutdown()
        if count { print(received) }
    }
}
