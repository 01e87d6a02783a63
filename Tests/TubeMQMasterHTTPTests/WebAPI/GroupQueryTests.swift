import Foundation
import Testing
import TubeMQRPC
import TubeMQStandalone
import TubeMQWebSupport
import TubeMQWire

/// Consumer group queries against a real cluster (admin-api.md §5.5): a consumer joins over RPC,
/// takes its partitions, and the webapi shows it with what it holds.
@Suite struct GroupQueryTests {
    @Test func groupDetailShowsMembersAndHeldPartitions() async throws {
        let directory = NSTemporaryDirectory() + "tubemq-web-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = LocalClusterConfiguration(
            masterPort: 0,
            brokerPorts: [0],
            dataDirectory: directory,
            topics: [LocalClusterConfiguration.Topic(name: "t_web", partitions: 2)],
            firstBalanceDelayMs: 200,
            balancePeriodMs: 200,
            brokerHeartbeatPeriodMs: 200,
            io: .posix,
            masterWebPort: 0,
            brokerWebPorts: [0],
            authToken: WebTestSupport.token
        )
        let cluster = try await LocalCluster.start(configuration: configuration, logger: WebTestSupport.logger)
        let rpc = RPCClient()
        do {
            let master = cluster.masterAddress
            var register = RegisterRequestC2M()
            register.clientID = "web-consumer"
            register.groupName = "g_web"
            register.hostName = "127.0.0.1"
            register.topicList = ["t_web"]
            let joined: RegisterResponseM2C = try await rpc.call(
                .consumerRegister,
                register,
                host: master.host,
                port: master.port
            )
            #expect(joined.success)

            var done = try #require(try await Self.nextEvent(rpc, master: master))
            var ack = HeartRequestC2M()
            ack.clientID = "web-consumer"
            ack.groupName = "g_web"
            ack.reportSubscribeInfo = true
            ack.subscribeInfo = done.subscribeInfo
            done.status = 2
            ack.event = done
            let acked: HeartResponseM2C = try await rpc.call(
                .consumerHeartbeat,
                ack,
                host: master.host,
                port: master.port
            )
            #expect(acked.success)

            try await WebClient.with(port: cluster.masterWeb.port) { client in
                let detail = try await client.query("admin_query_consume_group_detail", "groupName=g_web")
                #expect(
                    detail.keys == [
                        "result", "errCode", "errMsg", "count", "topicSet", "consumeGroup", "re-rebalance",
                        "isBandConsume", "rebInfo", "filterConds", "data",
                    ]
                )
                #expect(detail.count == 1)
                #expect(detail.json["topicSet"] == .array(["t_web"]))
                #expect(detail.json["isBandConsume"] == .string("CONSUME_NORMAL"))
                let member = try #require(detail.data.first)
                #expect(member.string("consumerId") == "web-consumer")
                #expect(member.number("parCount") == 2)
                let held = member.objects("parInfo")
                #expect(held.map { $0.number("partId") } == [0, 1])
                #expect(held.first?.keys == ["partId", "brokerAddr", "topicName"])
                #expect(held.first?.string("brokerAddr") == "127.0.0.1:\(cluster.brokers[0].port)")

                let old = try await client.query("admin_query_consume_group_detail", "consumeGroup=g_web")
                #expect(old.count == 1, "the deprecated consumeGroup name")
                let missing = try await client.query("admin_query_consume_group_detail")
                #expect(missing.errMsg == "Parameter groupName is missing or value is blank!")

                let subscriptions = try await client.query("admin_query_sub_info", "topicName=t_web")
                #expect(subscriptions.data.first?.keys == ["consumeGroup", "topicSet", "consumerNum"])
                #expect(subscriptions.data.first?.number("consumerNum") == 1)
                let byTopic = try await client.query("admin_query_group_info_by_topic", "topicName=t_web")
                #expect(byTopic.data.first?["groupSet"] == .array(["g_web"]))

                let brokers = try await client.query("admin_query_broker_configure")
                #expect(brokers.data.first?.number("brokerWebPort") == Int64(cluster.brokerWebs[0].port))
                #expect(brokers.data.first?.number("brokerPort") == Int64(cluster.brokers[0].port))
                let status = try await client.query("admin_query_broker_run_status")
                #expect(status.data.first?.string("runStatus") == "running")
                let info = try await client.query("admin_query_topic_info", "topicName=t_web")
                #expect(info.data.first?.number("totalRunNumPartCount") == 2)
                #expect(info.data.first?.bool("isSrvAcceptPublish") == true)

                // admin_rebalance_group_allocate: the member gives up its partitions in the next round.
                let ghost = try await client.modify(
                    "admin_rebalance_group_allocate",
                    "groupName=g_web&consumerId=ghost&modifyUser=ops"
                )
                #expect(ghost.errCode == 401 && ghost.errMsg == "Not members of group g_web: ghost")
                let noConsumer = try await client.modify(
                    "admin_rebalance_group_allocate",
                    "groupName=g_web&modifyUser=ops"
                )
                #expect(noConsumer.errMsg == "Parameter consumerId is missing or value is blank!")
                let asked = try await client.modify(
                    "admin_rebalance_group_allocate",
                    "groupName=g_web&consumerId=web-consumer&reJoinWait=60000&modifyUser=ops"
                )
                #expect(asked.result == true, "\(asked.errMsg)")
                let waiting = try await client.query("admin_query_consume_group_detail", "groupName=g_web")
                #expect(waiting.json["re-rebalance"] == .object(["web-consumer": .number(60_000)]))
            }
            let released = try await Self.nextEvent(rpc, master: master)
            #expect(released?.opType == 20, "ONLY_DISCONNECT")
            #expect(released?.subscribeInfo.count == 2)
        } catch {
            await rpc.shutdown()
            await cluster.shutdown()
            throw error
        }
        await rpc.shutdown()
        await cluster.shutdown()
    }

    /// Heartbeats as consumer `web-consumer` of `g_web` until the master hands it an event (5 s at most).
    static func nextEvent(_ rpc: RPCClient, master: (host: String, port: Int)) async throws -> EventProto? {
        for _ in 0..<100 {
            var beat = HeartRequestC2M()
            beat.clientID = "web-consumer"
            beat.groupName = "g_web"
            beat.reportSubscribeInfo = false
            let reply: HeartResponseM2C = try await rpc.call(
                .consumerHeartbeat,
                beat,
                host: master.host,
                port: master.port
            )
            if reply.hasEvent { return reply.event }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
