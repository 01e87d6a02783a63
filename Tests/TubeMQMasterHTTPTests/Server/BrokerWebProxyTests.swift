import Foundation
import Testing
import TubeMQStandalone
import TubeMQWebSupport

/// `/broker-webapi.htm`: the master forwards the console's offset calls to a broker's webapi.
@Suite struct BrokerWebProxyTests {
    static let brokerToken = "broker-secret"

    @Test func offsetCallsReachTheBrokerAndItsRefusalsComeBack() async throws {
        let directory = NSTemporaryDirectory() + "tubemq-web-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = LocalClusterConfiguration(
            masterPort: 0,
            brokerPorts: [0],
            dataDirectory: directory,
            topics: [LocalClusterConfiguration.Topic(name: "t_proxy", partitions: 2)],
            firstBalanceDelayMs: 200,
            balancePeriodMs: 200,
            brokerHeartbeatPeriodMs: 200,
            io: .posix,
            masterWebPort: 0,
            brokerWebPorts: [0],
            authToken: WebTestSupport.token
        )
        configuration.brokerWebAdminToken = Self.brokerToken
        let cluster = try await LocalCluster.start(configuration: configuration, logger: WebTestSupport.logger)
        do {
            try await WebClient.with(port: cluster.masterWeb.port) { client in
                let path = "/broker-webapi.htm"
                let query = try await client.post(
                    form: "brokerId=1&method=admin_query_group_offset&groupName=g_proxy&topicName=t_proxy",
                    path: path
                )
                #expect(query.result == true, "\(query.text)")
                #expect(query.json["dataSet"] != nil, "the broker's own envelope")

                let noToken = try await client.post(
                    form: "brokerId=1&method=admin_manual_set_current_offset&groupName=g_proxy&topicName=t_proxy"
                        + "&partitionId=0&manualOffset=0&modifyUser=ops",
                    path: path
                )
                #expect(noToken.result == false)
                #expect(noToken.errMsg == "Parameter confModAuthToken is missing or value is blank!")
                let wrongToken = try await client.post(
                    form: "brokerId=1&method=admin_manual_set_current_offset&groupName=g_proxy&topicName=t_proxy"
                        + "&partitionId=0&manualOffset=0&modifyUser=ops&confModAuthToken=nope",
                    path: path
                )
                #expect(wrongToken.errMsg == "illegal access, unauthorized request!")

                let json = #"{"1:t_proxy:0":0,"1:t_proxy:1":0}"#
                let encoded = json.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let reset = try await client.post(
                    form: "brokerId=1&method=admin_set_offset&groupName=g_proxy&manualSet=true&modifyUser=ops"
                        + "&confModAuthToken=\(Self.brokerToken)&offsetJsonInfo=\(encoded)",
                    path: path
                )
                #expect(reset.result == true, "\(reset.text)")
                let after = try await client.post(
                    form: "brokerId=1&method=admin_query_group_offset&groupName=g_proxy",
                    path: path
                )
                let offsets = after.json["dataSet"]?.items?.first?.object?["subInfo"]?.items?.first?.object?["offsets"]
                #expect(offsets?.items?.count == 2, "\(after.text)")
                #expect(offsets?.items?.allSatisfy { $0.object?["curOffset"]?.numberValue == 0 } == true)

                let unknown = try await client.post(form: "brokerId=7&method=admin_query_group_offset", path: path)
                #expect(unknown.errMsg == "Not found the broker configure by brokerId=7!")
                let missing = try await client.post(form: "method=admin_query_group_offset", path: path)
                #expect(missing.errMsg == "Parameter brokerId is missing or value is blank!")
                let other = try await client.post(form: "brokerId=1&method=admin_rmv_offset&groupName=g", path: path)
                #expect(other.result == false)
                #expect(other.errMsg?.contains("not a broker offset method") == true)
            }
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }
}
