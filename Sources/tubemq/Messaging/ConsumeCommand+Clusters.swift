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
        let (received, outputClosed) = await runInterruptibly { [count, max] in
            var received = 0
            var progress = Progress("received")
            defer { progress.finish() }
            var messages = consumer.makeAsyncIterator()
            while let message = await messages.next() {
                received += 1
                if count {
                    progress.update(received)
                } else if !writeFlushed(Self.line(for: message.consumed, prefix: "\(message.cluster) ")) {
                    // The reader is gone: the batch in hand is not confirmed when the iterator goes.
                    return (received - 1, true)
                }
                if let max, received >= max {
                    // What was printed is consumed: confirm the batch, printed whole, to its cluster.
                    await messages.finishBatch()
                    break
                }
            }
            return (received, false)
        } then: {
            await consumer.shutdown()
        }
        if outputClosed { try stopForClosedOutput(printed: received) }
        if count { print(received) }
    }
}
