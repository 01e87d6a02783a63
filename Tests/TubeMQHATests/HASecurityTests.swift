import Foundation
import Testing
import TubeMQClient
import TubeMQMaster
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// The permission checks of an HA master: its RPC service applies them while it is active, as a
/// single master does.
@Suite(.serialized) struct HASecurityTests {
    static let password = "s3cret-Pa55"

    static func register(
        _ rpc: RPCClient,
        port: Int,
        user: String,
        password: String
    ) async throws -> RegisterResponseM2P {
        let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        var info = AuthenticateInfo()
        info.userName = user
        info.timestamp = timestamp
        info.nonce = 11
        info.othParams = ""
        info.signature = AuthSignature.sign(userName: user, password: password, timestamp: timestamp, nonce: 11)
        var request = RegisterRequestP2M()
        request.clientID = "ha-raw-producer-\(UUID().uuidString)"
        request.brokerCheckSum = -1
        request.hostName = "127.0.0.1"
        request.authInfo.authInfo = info
        return try await rpc.call(.producerRegister, request, host: "127.0.0.1", port: port)
    }

    @Test(.timeLimit(.minutes(1)))
    func theActiveHAMasterChecksProducerCredentials() async throws {
        try await ZooKeeperTestServer.with { zk in
            let security = MasterSecurity(
                settings: SecuritySettings(produceAuthenticate: true),
                users: UserDirectory(users: [.init(name: "alice", password: Self.password)])
            )
            let master = try await HATestSupport.startMaster(zk, root: "/tubemq-sec", security: security)
            let rpc = RPCClient()
            do {
                try await HATestSupport.waitFor("the master active") { master.role.isActive }
                let wrong = try await Self.register(rpc, port: master.port, user: "alice", password: "wrong")
                #expect(!wrong.success)
                #expect(wrong.errCode == 415)
                #expect(wrong.errMsg == "Illegal value: userName or password is not correct!")
                let right = try await Self.register(rpc, port: master.port, user: "alice", password: Self.password)
                #expect(right.success, "\(right.errCode) \(right.errMsg)")
            } catch {
                await rpc.shutdown()
                await master.shutdown()
                throw error
            }
            await rpc.shutdown()
            await master.shutdown()
        }
    }
}
