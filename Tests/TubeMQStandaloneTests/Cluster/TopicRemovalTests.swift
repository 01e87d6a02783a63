import Foundation
import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQMasterState
import TubeMQStandalone
import TubeMQTestKit

/// `admin_remove_topic_info` ends: the broker deletes the topic's files and reports it removed, the
/// master purges the deployment, and the name can be deployed again, empty. Before, the broker never
/// reported it, so the record stayed soft-removed for good: the name could not be reused and the
/// broker could not be deleted.
@Suite struct TopicRemovalTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_rm", partitions: 2)

    @Test(.timeLimit(.minutes(2)))
    func aRemovedTopicIsDeletedPurgedAndCanBeDeployedAgain() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic], directory: directory) { cluster, _ in
            let master = cluster.master.master
            let name = Self.topic.name
            let masters = [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)]
            func send(_ prefix: String) async throws {
                let producer = try await Producer(
                    configuration: .init(masters: masters),
                    logger: ClusterTestSupport.logger
                )
                try await producer.publish([name])
                for i in 0..<5 { try await producer.send(Message(body: Array("\(prefix)-\(i)".utf8)), to: name) }
                await producer.shutdown()
            }
            try await send("old")
            let files = directory + "/broker-1/topics/" + name
            #expect(FileManager.default.fileExists(atPath: files))

            let stop = TopicSettingsPatch(acceptPublish: false, acceptSubscribe: false)
            try await master.updateTopicDeployment(topic: name, brokerID: 1, settings: stop, by: "ops")
            try await master.deleteTopicDeployment(topic: name, brokerID: 1, by: "ops")
            try await master.removeTopicDeployment(topic: name, brokerID: 1, by: "ops")
            try await eventually("the master purged the removed deployment") {
                await master.topic(named: name)?.deployment(on: 1) == nil
            }
            #expect(!FileManager.default.fileExists(atPath: files), "the broker deleted the topic's files")

            try await master.addTopicDeployment(topic: name, brokerID: 1, by: "ops")
            try await send("new")
            var configuration = Consumer.Configuration(masters: masters, group: "g_rm", topics: [name])
            configuration.startPosition = .first
            let consumer = try await PushConsumer(configuration: configuration, logger: ClusterTestSupport.logger)
            let received = Mutex<[String]>([])
            let reader = Task {
                for try await message in consumer {
                    received.withLock { $0.append(String(decoding: message.body, as: UTF8.self)) }
                }
            }
            try await eventually("the messages sent after the topic came back") {
                received.withLock { $0.count } >= 5
            }
            try await Task.sleep(for: .milliseconds(300))
            reader.cancel()
            await consumer.shutdown()
            #expect(received.withLock { $0.sorted() } == (0..<5).map { "new-\($0)" }, "nothing of the removed topic")
        }
    }
}
