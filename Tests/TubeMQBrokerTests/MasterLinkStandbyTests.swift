import Logging
import SwiftProtobuf
import SystemPackage
import Testing
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

@testable import TubeMQBroker

/// While no master is active (an election under way), a broker is told "standby" by every master on
/// each step: that is said once per master at info, not twice a second per broker for the whole
/// election.
@Suite struct MasterLinkStandbyTests {
    struct Standby: RPCService {
        var serviceTypes: Set<ServiceType> { [.master] }
        func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
            throw RemoteException.standby("Please send your request to the active Node.")
        }
    }

    @Test func standbyMastersAreLoggedOnceEach() async throws {
        let capture = LogCapture()
        let servers = [
            try await RPCServer.start(
                configuration: RPCServerConfiguration(port: 0),
                service: Standby(),
                logger: capture.logger()
            ),
            try await RPCServer.start(
                configuration: RPCServerConfiguration(port: 0),
                service: Standby(),
                logger: capture.logger()
            ),
        ]
        let client = RPCClient()
        let link = MasterLink(
            configuration: BrokerConfiguration(
                brokerID: 1,
                dataDirectory: FilePath("/tmp/unused"),
                masterAddresses: servers.map { ("127.0.0.1", $0.localPort) }
            ),
            client: client,
            catalog: TopicCatalog(),
            authorization: BrokerAuthorization(clock: { 0 }),
            logger: capture.logger(level: .info),
            unwritableTopics: { [] },
            apply: { _, _, _ in TopicChanges(served: true, removed: []) }
        )
        for _ in 0..<5 { #expect(await link.step(port: 8123) == false) }
        let standbyLines = capture.all.filter { $0.message.contains("hot standby") }
        #expect(standbyLines.count == 1, "\(capture.lines)")
        await client.shutdown()
        for server in servers { await server.shutdown() }
    }
}
