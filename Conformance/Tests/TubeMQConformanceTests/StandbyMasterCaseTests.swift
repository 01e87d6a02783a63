import Logging
import Testing
import TubeMQClient
import TubeMQConformance
import TubeMQMaster
import TubeMQMasterHTTP
import TubeMQTestKit

/// The standby case passes against our HA masters on ZooKeeper and fails against two masters that
/// both act as active.
@Suite(.serialized) struct StandbyMasterCaseTests {
    static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.standby")
        logger.logLevel = .critical
        return logger
    }()

    @Test(.timeLimit(.minutes(1)))
    func passesAgainstAnHAGroup() async throws {
        try await ZooKeeperTestServer.with { zk in
            var masters: [(HAMasterServer, MasterHTTPServer)] = []
            for _ in 0..<2 {
                let role = MasterRole()
                let web = try await MasterHTTPServer.start(role: role, port: 0, logger: Self.logger)
                let server = try await HAMasterServer.start(
                    configuration: MasterServer.Configuration(port: 0),
                    zooKeeper: HAMasterServer.ZooKeeperSettings(
                        connectString: zk.connectString,
                        nodeRoot: "/tubemq-standby-case",
                        sessionTimeoutMs: 4_000,
                        startAttempts: 2
                    ),
                    webPort: web.port,
                    role: role,
                    logger: Self.logger
                )
                masters.append((server, web))
                if masters.count == 1 {
                    try await eventually("the first master to be active") { server.role.isActive }
                }
            }
            let (active, standby) = (masters[0].0, masters[1].0)
            try await eventually("the standby to know the active master") {
                standby.role.activeAddress == active.role.activeAddress && !standby.role.isActive
            }
            var settings = ConformanceSettings(
                masters: masters.map { MasterAddress(host: "127.0.0.1", port: $0.0.port) },
                topic: "unused",
                caseTimeout: .seconds(30),
                logger: Self.logger
            )
            settings.masterWebAddresses = masters.map { MasterAddress(host: "127.0.0.1", port: $0.1.port) }
            let result = await ConformanceRunner(settings: settings).run(StandbyMasterCase())
            #expect(result.status == .passed, "\(result.reason ?? "")")
            for (server, web) in masters.reversed() {
                await server.shutdown()
                await web.shutdown()
            }
        }
    }

    @Test func failsWhenTwoMastersAreActive() async throws {
        let first = try await MasterServer.start(
            configuration: MasterServer.Configuration(port: 0),
            logger: Self.logger
        )
        let second = try await MasterServer.start(
            configuration: MasterServer.Configuration(port: 0),
            logger: Self.logger
        )
        let settings = ConformanceSettings(
            masters: [first, second].map { MasterAddress(host: "127.0.0.1", port: $0.port) },
            topic: "unused",
            caseTimeout: .seconds(30),
            logger: Self.logger
        )
        let result = await ConformanceRunner(settings: settings).run(StandbyMasterCase())
        #expect(result.status == .failed)
        #expect(result.reason?.contains("2 masters accepted a producer") == true, "\(result.reason ?? "")")
        await first.shutdown()
        await second.shutdown()
    }

    @Test func isSkippedWithOneMaster() async {
        let settings = ConformanceSettings(masters: [MasterAddress(host: "127.0.0.1", port: 1)], topic: "unused")
        let result = await ConformanceRunner(settings: settings).run(StandbyMasterCase())
        #expect(result.status == .skipped)
    }
}
