import Foundation
import Testing
import TubeMQStandalone
import TubeMQWebSupport

/// The topic count views (admin-api.md §5.2, §5.3) against a running cluster: two brokers that run
/// the topic, one recorded but never started, and a deployment that stopped taking messages.
@Suite struct TopicViewMethodTests {
    @Test func countsConfiguredRunningPublishingAndConsumable() async throws {
        let directory = NSTemporaryDirectory() + "tubemq-web-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = LocalClusterConfiguration(
            masterPort: 0,
            brokerPorts: [0, 0],
            dataDirectory: directory,
            topics: [LocalClusterConfiguration.Topic(name: "t_view", partitions: 3, stores: 2)],
            brokerHeartbeatPeriodMs: 200,
            io: .posix,
            masterWebPort: 0,
            brokerWebPorts: [0, 0],
            authToken: WebTestSupport.token
        )
        let cluster = try await LocalCluster.start(configuration: configuration, logger: WebTestSupport.logger)
        do {
            try await WebClient.with(port: cluster.masterWeb.port) { client in
                _ = try await client.modify(
                    "admin_add_broker_configure",
                    "brokerId=9&brokerIp=127.0.0.1&brokerPort=8999&createUser=ops"
                )
                let added = try await client.modify(
                    "admin_add_topic_deploy_info",
                    "topicName=t_view&brokerId=9&numTopicStores=1&numPartitions=4&createUser=ops"
                )
                #expect(added.data.first?.bool("success") == true, "\(added.text)")
                let stopped = try await client.modify(
                    "admin_modify_topic_info",
                    "topicName=t_view&brokerId=2&acceptPublish=false&modifyUser=ops"
                )
                #expect(stopped.data.first?.bool("success") == true, "\(stopped.text)")

                let byTopic = try await client.query("admin_query_broker_topic_config_info", "topicName=t_view")
                #expect(byTopic.count == 1)
                let topic = try #require(byTopic.data.first)
                #expect(
                    topic.keys == [
                        "topicName", "brokerTotalCfgCnt", "brokerTotalRunCnt", "storeTotalCfgCnt", "storeTotalRunCnt",
                        "partTotalCfgCnt", "partTotalRunCnt", "brokerAccPubTotalCnt", "brokerAccSubTotalCnt",
                        "storeAccPubTotalCnt", "storeAccSubTotalCnt", "partAccPubTotalCnt", "partAccSubTotalCnt",
                        "topicSrvAccPubStatus", "topicSrvAccSubStatus", "enableAuthControl",
                    ]
                )
                // Configured: 2 + 2 + 1 stores, 3 × 2 + 3 × 2 + 4 partitions; broker 9 never ran.
                #expect(topic.number("brokerTotalCfgCnt") == 3)
                #expect(topic.number("storeTotalCfgCnt") == 5)
                #expect(topic.number("partTotalCfgCnt") == 16)
                #expect(topic.number("brokerTotalRunCnt") == 2)
                #expect(topic.number("storeTotalRunCnt") == 4)
                #expect(topic.number("partTotalRunCnt") == 12)
                // Broker 2's deployment takes no messages, but is still consumed.
                #expect(topic.number("brokerAccPubTotalCnt") == 1)
                #expect(topic.number("partAccPubTotalCnt") == 6)
                #expect(topic.number("brokerAccSubTotalCnt") == 2)
                #expect(topic.number("partAccSubTotalCnt") == 12)
                #expect(topic.bool("topicSrvAccPubStatus") == true)
                #expect(topic.bool("enableAuthControl") == false)

                let byBroker = try await client.query("admin_query_topic_broker_config_info", "topicName=t_view")
                #expect(byBroker.data.map { $0.number("brokerId") } == [1, 2, 9])
                let first = try #require(byBroker.data.first)
                #expect(
                    first.keys == [
                        "brokerId", "brokerIp", "brokerPort", "manageStatus", "acceptPublish", "acceptSubscribe",
                        "nodeRunInfo", "topicTotalCfgCnt", "storeTotalCfgCnt", "partTotalCfgCnt", "topicAccPubTotalCnt",
                        "topicAccSubTotalCnt", "storeAccPubTotalCnt", "storeAccSubTotalCnt", "partAccPubTotalCnt",
                        "partAccSubTotalCnt",
                    ]
                )
                #expect(first.string("nodeRunInfo") == "running")
                #expect(first.number("partAccPubTotalCnt") == 6)
                let second = byBroker.data[1]
                #expect(second.number("partAccPubTotalCnt") == 0)
                #expect(second.number("partAccSubTotalCnt") == 6)
                let idle = byBroker.data[2]
                #expect(idle.string("nodeRunInfo") == "-")
                #expect(idle.string("manageStatus") == "draft")
                #expect(idle.bool("acceptPublish") == false)
                #expect(idle.number("partTotalCfgCnt") == 4)
                #expect(idle.number("partAccSubTotalCnt") == 0)

                let view = try await client.query("admin_query_cluster_topic_view", "brokerId=1,2,9")
                let summary = try #require(view.data.first)
                #expect(
                    summary.keys == [
                        "topicName", "totalCfgBrokerCnt", "totalCfgNumStore", "totalRunNumStore", "totalCfgNumPart",
                        "totalRunNumPartCount", "isSrvAcceptPublish", "isSrvAcceptSubscribe", "enableAuthControl",
                    ]
                )
                #expect(summary.number("totalCfgBrokerCnt") == 3)
                #expect(summary.number("totalCfgNumStore") == 5)
                #expect(summary.number("totalRunNumStore") == 4)
                #expect(summary.number("totalCfgNumPart") == 16)
                #expect(summary.number("totalRunNumPartCount") == 12)
                #expect(summary.bool("isSrvAcceptPublish") == true)
                let onlyIdle = try await client.query("admin_query_cluster_topic_view", "brokerId=9")
                #expect(onlyIdle.data.first?.number("totalRunNumPartCount") == 0)
                #expect(onlyIdle.data.first?.bool("isSrvAcceptSubscribe") == false)

                let released = try await client.modify(
                    "admin_release_broker_autoforbidden_status",
                    "brokerId=1&relReason=checked&modifyUser=ops"
                )
                #expect(released.result == true, "\(released.text)")
                #expect(released.data.isEmpty)
                let unknown = try await client.modify(
                    "admin_release_broker_autoforbidden_status",
                    "brokerId=77&modifyUser=ops"
                )
                #expect(unknown.result == false)
                #expect(unknown.errMsg?.contains("Broker 77 does not exist") == true, "\(unknown.text)")
            }
        } catch {
            _ = await cluster.shutdown()
            throw error
        }
        _ = await cluster.shutdown()
    }
}
