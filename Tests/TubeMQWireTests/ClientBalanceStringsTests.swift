import Testing
import TubeMQCore
import TubeMQWire

/// The strings of the client-balance protocol, checked against the recorded ones.
@Suite struct ClientBalanceStringsTests {
    @Test func topicMetaRoundTripsTheRecordedEntry() throws {
        let meta = try #require(MetadataStrings.parseTopicMeta("t_java#1:1:2:1"))
        #expect(meta.topic == "t_java")
        #expect(meta.deployments == [.init(brokerID: 1, stores: 1, partitionsPerStore: 2, subscribable: true)])
        #expect(meta.deployments.first?.partitionIDs == [0, 1])
        #expect(MetadataStrings.topicMeta(meta) == "t_java#1:1:2:1")
        #expect(MetadataStrings.parseTopicMeta("t_java#1:1:2") == nil)
        #expect(MetadataStrings.parseTopicMeta("#1:1:2:1") == nil)
    }

    @Test func partSubInfoMatchesTheRecordedReport() throws {
        let broker = BrokerInfo(id: 1, host: "127.0.0.1")
        let partitions = [
            Partition(broker: broker, topic: "t_java", id: 1), Partition(broker: broker, topic: "t_java", id: 0),
        ]
        #expect(MetadataStrings.partSubInfo(partitions) == ["t_java#1:0,1:1"])
        let parsed = try #require(MetadataStrings.parsePartSubInfo("t_java#1:1,1:0"))
        #expect(parsed.map(\.partitionID) == [1, 0])
        #expect(parsed.allSatisfy { $0.brokerID == 1 && $0.topic == "t_java" })
        #expect(MetadataStrings.parsePartSubInfo("t_java#1") == nil)
    }
}
