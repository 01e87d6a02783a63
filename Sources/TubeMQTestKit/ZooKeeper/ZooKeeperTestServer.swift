public import Foundation
import Logging
import NIOCore
import NIOPosix
import TubeMQZooKeeper

#if canImport(Glibc)
import Glibc
#endif

/// A real standalone ZooKeeper (Debian's `zookeeper` package, installed by scripts/bootstrap) on
/// 127.0.0.1 on a free port, with a temporary data directory.
///
/// tickTime is 500 ms, so sessions may be as short as 1 s (2 ticks) and at most 10 s (20 ticks).
/// A watcher shell kills the JVM if the test process dies first, so no server outlives the tests.
public actor ZooKeeperTestServer {
    public static let jar = "/usr/share/java/zookeeper.jar"
    public static let java = "/usr/bin/java"
    public static let tickMilliseconds = 500

    /// ZooKeeper is not installed, or did not start.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The client port.
    public let port: Int
    /// The temporary directory (config, data, log).
    public let dataDirectory: URL
    private var process: ChildProcess?

    /// `127.0.0.1:port`.
    public nonisolated var connectString: String { "127.0.0.1:\(port)" }

    private init(port: Int, dataDirectory: URL) {
        self.port = port
        self.dataDirectory = dataDirectory
    }

    /// Starts a server and waits until it accepts sessions.
    public static func start() async throws -> ZooKeeperTestServer {
        guard FileManager.default.isExecutableFile(atPath: java), FileManager.default.fileExists(atPath: jar) else {
            throw Unavailable(
                description: "ZooKeeper is not installed (\(java) and \(jar) are needed): run scripts/bootstrap, "
                    + "which installs Debian's zookeeper package"
            )
        }
        // A port found free can be taken before the JVM binds it (by another test's outgoing
        // connection, say); the JVM then exits at start. Try again on another port.
        var attempt = 0
        while true {
            attempt += 1
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "zk-test-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("data"),
                withIntermediateDirectories: true
            )
            let server = ZooKeeperTestServer(port: try await unusedPort(), dataDirectory: directory)
            do {
                try await server.launch()
                return server
            } catch let error as Unavailable where attempt < 4 && error.description.contains("exited at start") {
                await server.stop()
                continue
            }
        }
    }

    /// Runs `body` with a fresh server, and stops it afterwards whatever happens.
    public static func with<T: Sendable>(_ body: (ZooKeeperTestServer) async throws -> T) async throws -> T {
        let server = try await start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private func launch() async throws {
        let config = """
            tickTime=\(Self.tickMilliseconds)
            dataDir=\(dataDirectory.appendingPathComponent("data").path)
            clientPort=\(port)
            clientPortAddress=127.0.0.1
            admin.enableServer=false
            4lw.commands.whitelist=*
            """
        let configFile = dataDirectory.appendingPathComponent("zoo.cfg")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let parent = getpid()
        // The subshell kills the JVM ($$ after exec) once the test process is gone.
        let script = """
            (while kill -0 \(parent) 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done; kill -9 $$ 2>/dev/null) &
            exec \(Self.java) -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dzookeeper.jmx.log4j.disable=true \
            -cp \(Self.jar) org.apache.zookeeper.server.ZooKeeperServerMain \(configFile.path)
            """
        let log = dataDirectory.appendingPathComponent("server.log").path
        process = try ChildProcess.spawn(["/bin/sh", "-c", script], output: log)
        try await waitUntilServing()
    }

    private func waitUntilServing() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let process, process.hasExited() {
                throw Unavailable(description: "ZooKeeper exited at start: \(logTail())")
            }
            if let client = try? await ZooKeeperClient.connect(
                to: connectString,
                sessionTimeout: .seconds(4),
                configuration: .init(connectAttempts: 1, connectTimeout: .seconds(1)),
                logger: Logger(label: "zk-test-probe", factory: { _ in SwiftLogNoOpLogHandler() })
            ) {
                await client.close()
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Unavailable(description: "ZooKeeper did not start on port \(port): \(logTail())")
    }

    private func logTail() -> String {
        let text = (try? String(contentsOf: dataDirectory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    /// The JVM's process id.
    public var pid: Int32? { process?.pid }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and keeps the data directory.
    public func kill() async {
        guard let process else { return }
        self.process = nil
        process.signal(SIGCONT)
        process.signal(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while !process.hasExited() {
            if ContinuousClock.now > deadline { process.signal(SIGKILL) }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops and starts the server on the same port with the same data (sessions survive), or with
    /// its data deleted (`wipingData`: sessions and znodes are gone, its zxids start again).
    ///
    /// With `startingSlowly`, the port accepts connections during the pause and closes each at once,
    /// unanswered, as a ZooKeeper still starting does (a slow JVM on a loaded machine).
    public func restart(
        downFor pause: Duration = .zero,
        wipingData: Bool = false,
        startingSlowly: Bool = false
    ) async throws {
        await kill()
        if wipingData {
            let data = dataDirectory.appendingPathComponent("data")
            try? FileManager.default.removeItem(at: data)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        }
        if startingSlowly {
            let closing = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in channel.close() }
                .bind(host: "127.0.0.1", port: port)
                .get()
            try? await Task.sleep(for: pause)
            try await closing.close()
        } else if pause > .zero {
            try await Task.sleep(for: pause)
        }
        try await launch()
    }

    /// Freezes the JVM (SIGSTOP) or thaws it (SIGCONT).
    public func freeze(_ frozen: Bool) {
        process?.signal(frozen ? SIGSTOP : SIGCONT)
    }

    /// Stops the server and deletes its data.
    public func stop() async {
        await kill()
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}
