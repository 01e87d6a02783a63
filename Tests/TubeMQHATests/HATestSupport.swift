import Foundation
import Logging
import NIOCore
import NIOPosix
import TubeMQMaster
import TubeMQTestKit
import TubeMQZooKeeper

enum HATestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.ha")
        logger.logLevel = .warning
        return logger
    }()

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "tubemq-ha-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func connect(_ server: ZooKeeperTestServer) async throws -> ZooKeeperClient {
        try await ZooKeeperClient.connect(to: server.connectString, sessionTimeout: .seconds(4), logger: logger)
    }

    /// Starts an HA master on a free port with short timings.
    static func startMaster(
        _ server: ZooKeeperTestServer,
        root: String,
        sessionTimeoutMs: Int64 = 2_000,
        webPort: Int = 0,
        security: MasterSecurity? = nil,
        authDigest: String? = nil
    ) async throws -> HAMasterServer {
        try await HAMasterServer.start(
            configuration: MasterServer.Configuration(
                port: 0,
                firstBalanceDelayMs: 300,
                balancePeriodMs: 300,
                consumerHeartbeatTimeoutMs: 10_000,
                producerHeartbeatTimeoutMs: 10_000,
                brokerHeartbeatTimeoutMs: 10_000
            ),
            zooKeeper: HAMasterServer.ZooKeeperSettings(
                connectString: server.connectString,
                nodeRoot: root,
                sessionTimeoutMs: sessionTimeoutMs,
                startAttempts: 2,
                authDigest: authDigest
            ),
            webPort: webPort,
            security: security,
            logger: logger
        )
    }

    /// Waits until `condition` holds; returns how long it took. The default timeout is for states that
    /// come "eventually" (a loaded machine starting ZooKeeper JVMs and clusters for a whole test run
    /// has stalled these for 15–30 s); a test that asserts a bound passes its own.
    @discardableResult
    static func waitFor(
        _ what: String,
        timeout: Duration = .seconds(30),
        _ condition: () async -> Bool
    ) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if await condition() { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HATestTimeout(what: what)
    }

    /// Expires `master`'s ZooKeeper session from outside and waits until ZooKeeper has dropped its
    /// election znode. The owner may win the race to resume its session against one attempt, so this
    /// tries again until the znode is gone.
    static func expireSession(of master: HAMasterServer, on server: ZooKeeperTestServer) async throws {
        guard let session = await master.zooKeeperSession, let node = await master.electionNode else {
            throw HATestTimeout(what: "a ZooKeeper session to expire")
        }
        let observer = try await connect(server)
        defer { Task { await observer.close() } }
        for _ in 0..<20 {
            try await expireSession(id: session.id, password: session.password, port: server.port)
            for _ in 0..<25 {
                if try await observer.exists(node) == nil { return }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        throw HATestTimeout(what: "the session of \(node) to expire")
    }

    /// Ends a session from outside, as ZooKeeper does when it expires one: resumes it on a raw
    /// connection with its id and password (the server drops the owner's connection) and sends
    /// closeSession in the same write (zookeeper.md §9.1, §9.6).
    static func expireSession(id: Int64, password: [UInt8], port: Int) async throws {
        var bytes = ByteBuffer()
        bytes.writeInteger(Int32(4 + 8 + 4 + 8 + 4 + password.count + 1))
        bytes.writeInteger(Int32(0))  // protocolVersion
        bytes.writeInteger(Int64(0))  // lastZxidSeen
        bytes.writeInteger(Int32(4000))  // timeOut
        bytes.writeInteger(id)
        bytes.writeInteger(Int32(password.count))
        bytes.writeBytes(password)
        bytes.writeInteger(UInt8(0))  // readOnly
        bytes.writeInteger(Int32(8))
        bytes.writeInteger(Int32(1))  // xid
        bytes.writeInteger(Int32(-11))  // closeSession
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port)
            .get()
        try await channel.writeAndFlush(bytes)
        try await channel.closeFuture.get()
    }
}

struct HATestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
