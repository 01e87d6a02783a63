import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQClient

@Suite struct BidDeliveryTests {
    private let cluster = BidCluster(name: "one", masters: [MasterAddress(host: "127.0.0.1")])

    private func messages(_ count: Int) -> [ConsumedMessage] {
        let partition = Partition(broker: BrokerInfo(id: 1, host: "127.0.0.1", port: 8123), topic: "tt", id: 0)
        return (0..<count).map {
            ConsumedMessage(partition: partition, offset: 0, messageID: Int64($0), message: Message(body: [UInt8($0)]))
        }
    }

    @Test func aBatchIsProcessedOnlyWhenTheApplicationFinishesIt() async throws {
        let delivery = BidDelivery()
        let answered = Flag()
        let handed = Task { [cluster] in
            let outcome = await delivery.hand(cluster, messages: messages(2))
            answered.set()
            return outcome
        }
        let batch = try #require(try await delivery.next())
        #expect(batch.messages.count == 2 && batch.cluster == cluster)
        try await Task.sleep(for: .milliseconds(100))
        // Still waiting: the cluster must not confirm a batch the application has not worked through.
        #expect(!answered.isSet)
        await delivery.finish(batch.id)
        #expect(await handed.value == .processed(batch.id))
    }

    /// An application about to stop (`consume --max`) waits until the cluster confirmed its last batch.
    @Test func finishingAndWaitingReturnsOnceTheClusterConfirmed() async throws {
        let delivery = BidDelivery()
        let confirmed = Flag()
        let member = Task { [cluster] in
            guard case .processed(let id) = await delivery.hand(cluster, messages: messages(1)) else { return }
            try? await Task.sleep(for: .milliseconds(100))
            confirmed.set()
            await delivery.confirmed(id)
        }
        let batch = try #require(try await delivery.next())
        await delivery.finishAndWaitForConfirmation(batch.id)
        #expect(confirmed.isSet, "returned only after the cluster confirmed")
        await member.value
    }

    @Test func closingAnswersStoppedForQueuedAndHeldBatchesAndEndsWaiters() async throws {
        let delivery = BidDelivery()
        let first = Task { await delivery.hand(cluster, messages: messages(1)) }
        let held = try #require(try await delivery.next())
        let second = Task { await delivery.hand(cluster, messages: messages(1)) }
        try await eventually("the second batch is queued") {
            await delivery.queuedCount == 1
        }
        await delivery.close()
        #expect(await first.value == .stopped)
        #expect(await second.value == .stopped)
        await delivery.finish(held.id)  // too late: no effect
        #expect(try await delivery.next() == nil)
        #expect(await delivery.hand(cluster, messages: messages(1)) == .stopped)
    }

    @Test func aWaitingIterationGetsTheNextBatchHandedIn() async throws {
        let delivery = BidDelivery()
        let waiting = Task { try await delivery.next() }
        try await eventually("the iteration waits") { await delivery.waitingCount == 1 }
        let handed = Task { await delivery.hand(cluster, messages: messages(3)) }
        let batch = try #require(try await waiting.value)
        #expect(batch.messages.count == 3)
        await delivery.finish(batch.id)
        #expect(await handed.value == .processed(batch.id))
    }

    @Test func aCancelledIterationStopsWaiting() async throws {
        let delivery = BidDelivery()
        let waiting = Task { try await delivery.next() }
        try await eventually("the iteration waits") { await delivery.waitingCount == 1 }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
