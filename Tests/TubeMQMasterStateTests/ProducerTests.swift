import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct ProducerTests {
    @Test func registerAlwaysReturnsTheBrokerList() throws {
        var cluster = try TestCluster()
        let first = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 10)
        #expect(first.brokers == [TestCluster.broker])
        #expect(first.maxMsgSize == 1_048_576)
        let again = cluster.state.registerProducer(
            ProducerRegistration(clientID: "p", hostName: "h", brokerChecksum: first.brokerChecksum),
            now: 20
        )
        #expect(again.brokers == [TestCluster.broker])
        #expect(again.brokerChecksum == first.brokerChecksum)
    }

    @Test func heartbeatCarriesThePartitionMapAndBrokersOnlyWhenStale() throws {
        var cluster = try TestCluster(topics: ["tp", "up"], partitions: 3, stores: 2)
        let registered = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 0)
        let stale = try cluster.state.producerHeartbeat(
            ProducerHeartbeat(clientID: "p", topics: ["tp"], brokerChecksum: -1),
            now: 5_000
        )
        #expect(stale.brokers == [TestCluster.broker])
        let current = try cluster.state.producerHeartbeat(
            ProducerHeartbeat(clientID: "p", topics: ["tp", "nosuch"], brokerChecksum: registered.brokerChecksum),
            now: 7_000
        )
        #expect(current.brokers == nil)
        #expect(current.brokerChecksum == registered.brokerChecksum)
        #expect(
            current.topics == [
                TopicPublishInfo(
                    topic: "tp",
                    brokers: [.init(brokerID: 1, numPartitions: 3, numTopicStores: 2)],
                    maxMsgSize: 1_048_576
                )
            ]
        )
        #expect(cluster.state.producer(clientID: "p")?.topics == ["tp", "nosuch"])
    }

    @Test func unknownProducerGets411WithTheRecordedText() throws {
        var cluster = try TestCluster()
        #expect(
            throws: MasterError(code: .heartbeatNoNode, message: "Invalid node id:p1, you have to append node first!")
        ) {
            try cluster.state.producerHeartbeat(
                ProducerHeartbeat(clientID: "p1", topics: ["tp"], brokerChecksum: -1),
                now: 1
            )
        }
    }

    @Test func producerExpiresAfterItsTimeoutAndMayRegisterAgain() throws {
        var cluster = try TestCluster()  // recorded timings: 45 s producer timeout
        _ = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 0)
        _ = try cluster.state.producerHeartbeat(
            ProducerHeartbeat(clientID: "p", topics: ["tp"], brokerChecksum: -1),
            now: 3
        )
        #expect(cluster.state.expire(now: 45_002).isEmpty)
        #expect(cluster.state.expire(now: 45_003) == [.producerExpired(clientID: "p")])
        #expect(throws: MasterError.unknownProducer("p")) {
            try cluster.state.producerHeartbeat(
                ProducerHeartbeat(clientID: "p", topics: ["tp"], brokerChecksum: -1),
                now: 53_017
            )
        }
        _ = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 53_018)
        #expect(cluster.state.producers.map(\.clientID) == ["p"])
    }

    @Test func closeForgetsTheProducer() throws {
        var cluster = try TestCluster()
        _ = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 0)
        let closed = cluster.state.closeProducer(clientID: "p", now: 1)
        let closedAgain = cluster.state.closeProducer(clientID: "p", now: 2)
        #expect(closed && !closedAgain)
        #expect(cluster.state.producers.isEmpty)
    }

    @Test func topicsLeaveThePartitionMapWhenPublishingStops() throws {
        var cluster = try TestCluster()
        _ = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 0)
        let beat = ProducerHeartbeat(clientID: "p", topics: ["tp"], brokerChecksum: -1)
        #expect(try cluster.state.producerHeartbeat(beat, now: 1).topics.count == 1)
        _ = try cluster.state.setBrokerReadWrite(id: 1, acceptPublish: false, acceptSubscribe: nil, by: "admin", now: 2)
        #expect(try cluster.state.producerHeartbeat(beat, now: 3).topics.isEmpty)
        _ = try cluster.state.setBrokerReadWrite(id: 1, acceptPublish: true, acceptSubscribe: nil, by: "admin", now: 4)
        _ = try cluster.state.updateTopicDeployment(
            topic: "tp",
            brokerID: 1,
            settings: TopicSettingsPatch(acceptPublish: false),
            by: "admin",
            now: 5
        )
        #expect(try cluster.state.producerHeartbeat(beat, now: 6).topics.isEmpty)
        _ = try cluster.state.setTopicControl(topic: "tp", maxMsgSizeInMB: 4, by: "admin", now: 7)
        _ = try cluster.state.updateTopicDeployment(
            topic: "tp",
            brokerID: 1,
            settings: TopicSettingsPatch(acceptPublish: true),
            by: "admin",
            now: 8
        )
        #expect(try cluster.state.producerHeartbeat(beat, now: 9).topics.first?.maxMsgSize == 4 * 1_048_576)
    }
}
