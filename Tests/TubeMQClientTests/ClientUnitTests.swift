import Foundation
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQClient

/// The client's pure parts, without servers.
@Suite struct ClientUnitTests {
    @Test func payloadIsLaidOutAsTheJavaProducerDoes() throws {
        // Attributes given in another order come out type, time, then the user's keys.
        var message = Message(body: Array("java-msg-0".utf8), attributes: [("serialId", "0")])
        message.messageTime = "202611241200"
        message.messageType = "typeA"
        let payload = try OutgoingPayload(message)
        let hex = payload.data.map { String(format: "%02x", $0) }.joined()
        // java-producer.jsonl, first SendMessageRequestP2B.data
        #expect(
            hex == "00000031246d736754797065243d74797065412c246d736754696d65243d3230323631313234313230302c"
                + "73657269616c49643d306a6176612d6d73672d30"
        )
        #expect(payload.flag == 1)
        #expect(payload.messageType == "typeA")
        #expect(payload.messageTime == "202611241200")

        let bare = try OutgoingPayload(Message(body: [1, 2, 3]))
        #expect(bare.data == [1, 2, 3])
        #expect(bare.flag == 0)
        #expect(bare.messageType == nil)
    }

    @Test func producerMetadataFollowsTheMastersStrings() {
        var metadata = ProducerMetadata()
        metadata.applyBrokers(checksum: 7, infos: ["1:127.0.0.1: ", "2:10.0.0.2:9123"])
        metadata.applyTopics(["t#1:2:1,2:1:2#2048", "bad", "u#3:1:1#"])
        #expect(metadata.brokerCheckSum == 7)
        #expect(metadata.brokers[1]?.port == 8123, "a blank port is the default")
        #expect(metadata.partitions(of: "t")?.map(\.key) == ["1:t:0", "1:t:1", "2:t:0", "2:t:10000"])
        #expect(metadata.maxMessageSize(of: "t") == 2048)
        #expect(metadata.maxMessageSize(of: "u") == 1 << 20)
        #expect(metadata.partitions(of: "u") == [], "broker 3 is unknown")
        #expect(metadata.missesBrokers)
        metadata.applyBrokers(checksum: 8, infos: [])
        #expect(metadata.brokerCheckSum == 7, "an empty list means unchanged")
    }

    @Test func roundRobinSkipsAvoidedBrokersUnlessNothingElseIsLeft() {
        var metadata = ProducerMetadata()
        metadata.applyBrokers(checksum: 1, infos: ["1:h1:1", "2:h2:2"])
        metadata.applyTopics(["t#1:2:1,2:2:1#"])
        let now = ContinuousClock.now
        let picks = (0..<4).compactMap { _ in metadata.pick(topic: "t", now: now)?.key }
        #expect(picks == ["1:t:0", "1:t:1", "2:t:0", "2:t:1"])
        metadata.avoid(brokerID: 1, until: now + .seconds(5))
        let avoiding = (0..<4).compactMap { _ in metadata.pick(topic: "t", now: now)?.broker.id }
        #expect(avoiding == [2, 2, 2, 2])
        #expect(metadata.pick(topic: "t", now: now + .seconds(6))?.broker.id != nil)
        metadata.avoid(brokerID: 2, until: now + .seconds(5))
        #expect(metadata.pick(topic: "t", now: now) != nil, "all avoided: send anyway")
        #expect(metadata.pick(topic: "t", now: now, excluding: [1])?.broker.id == 2)
        #expect(metadata.pick(topic: "none", now: now) == nil)
    }

    /// A bound-consume offset that is not an index position is refused before anything is sent: the
    /// broker rounded 3365 down to 3360 and read -28 from the start, without a word.
    @Test(arguments: [Int64(-28), 3_365])
    func aBoundOffsetThatIsNotAnOffsetIsRefused(offset: Int64) async {
        var configuration = Consumer.Configuration(
            masters: [MasterAddress(host: "127.0.0.1", port: 1)],
            group: "g_bound",
            topics: ["t_bound"]
        )
        configuration.boundConsume = Consumer.BoundConsume(sessionKey: "s", offsets: ["1:t_bound:0": offset])
        do {
            _ = try await PushConsumer(configuration: configuration)
            Issue.record("a consumer with offset \(offset)")
        } catch {
            #expect(error.code == .invalidArgument, "\(error)")
            #expect(error.message.contains("in steps of 28"))
        }
    }

    /// Only the first failure of an outage says so at info (9,003 lines for a 41 s outage before).
    @Test func avoidingABrokerAlreadyAvoidedIsNotNews() {
        var metadata = ProducerMetadata()
        let first = metadata.avoid(brokerID: 1, until: .now + .seconds(5))
        let again = metadata.avoid(brokerID: 1, until: .now + .seconds(5))
        let past = metadata.avoid(brokerID: 2, until: .now - .seconds(1))
        let afterPast = metadata.avoid(brokerID: 2, until: .now + .seconds(5))
        #expect(first && !again && past)
        #expect(afterPast, "the last avoidance was over")
    }

    @Test func aBatchHasExactlyOneDecision() async throws {
        let handle = PartitionHandle(partition: Partition(broker: BrokerInfo(id: 1, host: "h"), topic: "t", id: 0))
        let first = try #require(handle.open())
        #expect(handle.decide(first, .confirmed))
        #expect(!handle.decide(first, .released), "decided already")
        #expect(
            await handle.decision(for: first, timeout: nil) == .confirmed,
            "a decision made before the wait is kept"
        )

        let second = try #require(handle.open())
        async let waited = handle.decision(for: second, timeout: nil)
        try? await Task.sleep(for: .milliseconds(20))
        handle.releaseOpenBatch()
        #expect(await waited == .released)

        // The confirm timeout runs from hand-out: a batch still queued is not timed out.
        let third = try #require(handle.open())
        async let timedOut = handle.decision(for: third, timeout: .milliseconds(30))
        try? await Task.sleep(for: .milliseconds(100))
        #expect(handle.isOpen(third), "queued, not handed out: not timed out")
        #expect(handle.handOut(third))
        #expect(await timedOut == .released, "timed out after hand-out")
        #expect(!handle.isOpen(third))
        #expect(!handle.handOut(third), "a decided batch is not handed out")

        handle.stop()
        #expect(handle.open() == nil, "no batch opens once the partition is given up")
    }

    /// On a manual clock, so that a loaded machine cannot make a wait look too long: a wait that did
    /// not end as it should hangs, and the time limit fails the test.
    @Test(.timeLimit(.minutes(1)))
    func wakeupReturnsOnSignalTimeoutOrCancellation() async throws {
        let clock = ManualClock()
        let wakeup = Wakeup(clock: clock)
        // A signal with nobody waiting is kept: the next wait returns with the clock standing still.
        wakeup.signal()
        await wakeup.wait(upTo: .seconds(10))
        try await eventually("that wait's timer is gone") { clock.sleeperCount == 0 }
        // A wait ends when its time is up.
        let timed = Task { await wakeup.wait(upTo: .milliseconds(20)) }
        try await eventually("the wait's timer sleeps") { clock.sleeperCount == 1 }
        clock.advance(by: 20)
        await timed.value
        try await eventually("that wait's timer is gone") { clock.sleeperCount == 0 }
        // A cancelled wait ends, its time far from up.
        let cancelled = Task { await wakeup.wait(upTo: .seconds(10)) }
        try await eventually("the wait's timer sleeps") { clock.sleeperCount == 1 }
        cancelled.cancel()
        await cancelled.value
        #expect(clock.now() == ManualClock().now() + 20, "only the timed wait moved the clock")
    }

    @Test func boundConsumeTextAndIdentity() {
        let bound = Consumer.BoundConsume(sessionKey: "s", offsets: ["1:t:1": 56, "1:t:0": 28])
        #expect(bound.requiredPartitionText == "1:t:0=28,1:t:1=56")
        #expect(ClientIdentity.packedIPv4("192.0.2.2") == -1_073_741_310, "java-producer.jsonl sentAddr")
        #expect(ClientIdentity.packedIPv4("not-an-ip") == 0)
        #expect(Consumer.StartPosition.latestAlways.readStatus == 2)
    }
}
