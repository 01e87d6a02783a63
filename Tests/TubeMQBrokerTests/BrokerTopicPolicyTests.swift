import SystemPackage
import Testing
import TubeMQStorage
import TubeMQWire

@testable import TubeMQBroker

/// The acknowledgement policy and size cap reach the storage configuration: the topic's own (from
/// the master) first, else the broker's default (broker.ini), else TubeMQ's behaviour.
@Suite struct BrokerTopicPolicyTests {
    static func configuration(ack: FlushPolicy.Acknowledgement, bytes: Int64? = nil) -> BrokerConfiguration {
        var configuration = BrokerConfiguration(brokerID: 1, dataDirectory: FilePath("/tmp/unused"))
        configuration.acknowledgement = ack
        configuration.retentionBytes = bytes
        return configuration
    }

    @Test func withNothingSetSendsAreAcknowledgedFromMemory() {
        let topic = BrokerTopic(name: "t", settings: BrokerTopicSettings())
        let storage = topic.storageConfiguration(segmentBytes: 1 << 20)
        #expect(storage.flush.acknowledgement == .memory)
        #expect(storage.retention.maxBytes == nil)
    }

    @Test func theBrokerDefaultApplies() {
        let topic = BrokerTopic(
            name: "t",
            settings: BrokerTopicSettings(numTopicStores: 2),
            configuration: Self.configuration(ack: .disk, bytes: 4 << 30)
        )
        let storage = topic.storageConfiguration(segmentBytes: 1 << 20)
        #expect(storage.flush.acknowledgement == .disk)
        #expect(storage.retention.maxBytes == 2 << 30, "the cap is shared among the topic's two stores")
    }

    @Test func theTopicsOwnPolicyWins() {
        let topic = BrokerTopic(
            name: "t",
            settings: BrokerTopicSettings(ackPolicy: "memory", retentionBytes: 0),
            configuration: Self.configuration(ack: .disk, bytes: 4 << 30)
        )
        let storage = topic.storageConfiguration(segmentBytes: 1 << 20)
        #expect(storage.flush.acknowledgement == .memory)
        #expect(storage.retention.maxBytes == nil, "0 is no cap")
    }

    @Test func aSizeCapPicksSegmentsSmallEnoughForItToAct() {
        let capped = BrokerTopic(
            name: "t",
            settings: BrokerTopicSettings(numTopicStores: 2),
            configuration: Self.configuration(ack: .memory, bytes: 160 << 20)
        )
        #expect(capped.storageConfiguration(segmentBytes: 512 << 20).segmentBytes == 10 << 20, "an eighth of 80 MiB")
        let tiny = BrokerTopic(
            name: "t",
            settings: BrokerTopicSettings(),
            configuration: Self.configuration(ack: .memory, bytes: 100_000)
        )
        #expect(tiny.storageConfiguration(segmentBytes: 512 << 20).segmentBytes == 1 << 20, "1 MiB at least")
        let large = BrokerTopic(
            name: "t",
            settings: BrokerTopicSettings(),
            configuration: Self.configuration(ack: .memory, bytes: 1 << 40)
        )
        #expect(
            large.storageConfiguration(segmentBytes: 512 << 20).segmentBytes == 512 << 20,
            "never above the broker's"
        )
        let uncapped = BrokerTopic(name: "t", settings: BrokerTopicSettings())
        #expect(uncapped.storageConfiguration(segmentBytes: 512 << 20).segmentBytes == 512 << 20)
    }

    @Test func anUnknownPolicyIsTakenAsTheSaferOne() {
        let topic = BrokerTopic(name: "t", settings: BrokerTopicSettings(ackPolicy: "fsync"))
        #expect(topic.acknowledgement == .disk)
    }

    @Test func aFullDiskSaysSoInTheReply() {
        let error = StorageError(
            code: .noSpace,
            message: "write data.0 failed: no space left on device",
            systemErrno: 28
        )
        #expect(BrokerService.errorCode(for: error) == .internalServerError)
        #expect(BrokerService.failureText(error, "t").contains("no space left on device"))
        let bare = StorageError(code: .noSpace, message: "quota exhausted")
        #expect(
            BrokerService.failureText(bare, "t")
                == "Put message failed from t: no space left on device (quota exhausted)"
        )
    }
}
