import Foundation
import Testing
import TubeMQMaster
import TubeMQMasterHTTP
import TubeMQTestKit
import TubeMQWebSupport

/// `admin_transfer_current_master`: the active master of an HA group hands the active role to the
/// next candidate and joins the election again as a standby.
@Suite struct TransferTests {
    static func call(_ port: Int, token: String = MasterHTTPServer.defaultAuthToken) async throws -> WebFetch.Response {
        try await WebFetch.get(
            host: "127.0.0.1",
            port: port,
            path: "/webapi.htm?type=op_modify&method=admin_transfer_current_master&confModAuthToken=\(token)",
            tls: nil
        )
    }

    @Test(.timeLimit(.minutes(1)))
    func theActiveMasterHandsOverToTheStandbyAndBecomesAStandby() async throws {
        try await ZooKeeperTestServer.with { zk in
            let root = "/tubemq-transfer"
            let a = try await HATestSupport.startMaster(zk, root: root)
            try await HATestSupport.waitFor("a active") { a.role.isActive }
            let b = try await HATestSupport.startMaster(zk, root: root)
            try await HATestSupport.waitFor("b knows a is active") { b.role.activeAddress == a.address }
            let webA = try await MasterHTTPServer.start(role: a.role, port: 0, logger: HATestSupport.logger)
            let webB = try await MasterHTTPServer.start(role: b.role, port: 0, logger: HATestSupport.logger)
            do {
                // The group: a is the master, b a slave.
                let group = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: webA.port,
                    path: "/webapi.htm?type=op_query&method=admin_query_master_group_info",
                    tls: nil
                )
                #expect(
                    group.body.hasPrefix(
                        #"{"result":true,"errCode":0,"errMsg":"Ok","groupName":"ZooKeeper HA Cluster""#
                    )
                )
                #expect(group.body.contains(#""count":2,"groupStatus":"Running-ReadWrite"}"#), "\(group.body)")
                let first =
                    #""name":"127.0.0.1:\#(a.port)","hostName":"127.0.0.1","port":"\#(a.port)","statusInfo":{"nodeStatus":"Master""#
                #expect(group.body.contains(first), "\(group.body)")
                #expect(
                    group.body.contains(#""port":"\#(b.port)","statusInfo":{"nodeStatus":"Slave""#),
                    "\(group.body)"
                )

                // A wrong token changes nothing.
                let refused = try await Self.call(webA.port, token: "wrong")
                #expect(refused.body.contains(#""result":false"#), "\(refused.body)")
                #expect(a.role.isActive)

                let answer = try await Self.call(webA.port)
                #expect(answer.status == 200)
                #expect(answer.body.contains(#""result":true"#), "\(answer.body)")
                #expect(answer.body.contains("TransferMaster method called"), "\(answer.body)")
                let took = try await HATestSupport.waitFor("b to take over", timeout: .seconds(15)) { b.role.isActive }
                print("HA transfer: b active \(took) after the call")
                #expect(!a.role.isActive)
                try await HATestSupport.waitFor("a to know b is active") { a.role.activeAddress == b.address }

                // The old active is a standby now: its webapi redirects there, and b lists a second.
                let redirected = try await Self.call(webA.port)
                #expect(redirected.status == 302)
                let after = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: webB.port,
                    path: "/webapi.htm?type=op_query&method=admin_query_master_group_info",
                    tls: nil
                )
                let order = try #require(after.body.range(of: "\"port\":\"\(b.port)\""))
                let aIndex = try #require(after.body.range(of: "\"port\":\"\(a.port)\""))
                #expect(order.lowerBound < aIndex.lowerBound, "\(after.body)")

                // And back: b hands over to a, which had joined the queue again.
                let back = try await Self.call(webB.port)
                #expect(back.body.contains(#""result":true"#), "\(back.body)")
                try await HATestSupport.waitFor("a to take over again", timeout: .seconds(15)) { a.role.isActive }
                #expect(!b.role.isActive)
            } catch {
                await webA.shutdown()
                await webB.shutdown()
                await a.shutdown()
                await b.shutdown()
                throw error
            }
            await webA.shutdown()
            await webB.shutdown()
            await a.shutdown()
            await b.shutdown()
        }
    }
}
