import Foundation
import NIOCore
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Three `tubemq-master` processes (the built executable) electing the active one on a ZooKeeper
/// test server, for tests that `kill -9` a master under load.
final class MasterProcessGroup {
    /// What a master answers a producer registration with.
    enum Role: Equatable {
        case active, standby, down
    }

    struct Node {
        let index: Int
        let port: Int
        let webPort: Int
        let config: String
        let log: String
        var process: ChildProcess?
    }

    /// The test could not run: the executable is not built.
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    let binary: String
    let directory: String
    private(set) var nodes: [Node] = []
    private let rpc = RPCClient()

    /// Writes the master.ini files and starts the three processes.
    init(zooKeeper: String, directory: String, root: String, sessionTimeoutMs: Int) async throws {
        guard let binary = Self.binary("tubemq-master") else {
            throw Missing(description: "tubemq-master is not built next to the tests: run swift build --build-tests")
        }
        self.binary = binary
        self.directory = directory
        for index in 0..<3 {
            let port = try await unusedPort()
            let webPort = try await unusedPort()
            let config = "\(directory)/master-\(index + 1).ini"
            let ini = """
                [master]
                hostName=127.0.0.1
                port=\(port)
                webPort=\(webPort)
                webResourcePath=resources
                confModAuthToken=abc
                firstBalanceDelayAfterStartMs=1000
                consumerBalancePeriodMs=1000
                consumerHeartbeatTimeoutMs=15000
                producerHeartbeatTimeoutMs=15000
                brokerHeartbeatTimeoutMs=15000

                [meta_zookeeper]
                zkServerAddr=\(zooKeeper)
                zkNodeRoot=\(root)
                zkSessionTimeoutMs=\(sessionTimeoutMs)

                """
            try ini.write(toFile: config, atomically: true, encoding: .utf8)
            nodes.append(
                Node(
                    index: index,
                    port: port,
                    webPort: webPort,
                    config: config,
                    log: "\(directory)/master-\(index + 1).log",
                    process: nil
                )
            )
        }
        for index in nodes.indices { try start(index) }
    }

    /// The output files of the three masters.
    var logs: [String] { nodes.map(\.log) }

    /// Starts (or restarts) master `index`.
    func start(_ index: Int) throws {
        nodes[index].process = try ChildProcess.spawn(
            [binary, "--config", nodes[index].config, "--log-level", "warning"],
            output: nodes[index].log
        )
    }

    /// Sends `signal` to master `index` (SIGSTOP / SIGCONT to pause and resume it).
    func signal(_ index: Int, _ signal: Int32) {
        nodes[index].process?.signal(signal)
    }

    /// What the master on `port` answers a producer registration with, given up to `timeout`; with a
    /// client of its own unless `rpc` is given, so that it can run beside the group's calls.
    static func register(
        port: Int,
        timeout: TimeAmount,
        rpc given: RPCClient? = nil,
        clientID: String = "ha-paused-probe"
    ) async -> Role {
        let rpc = given ?? RPCClient()
        defer { if given == nil { Task { await rpc.shutdown() } } }
        var request = RegisterRequestP2M()
        request.clientID = clientID
        request.brokerCheckSum = -1
        request.hostName = "127.0.0.1"
        do {
            let reply: RegisterResponseM2P = try await rpc.call(
                .producerRegister,
                request,
                host: "127.0.0.1",
                port: port,
                timeout: timeout
            )
            return reply.success ? .active : .down
        } catch {
            return error.isStandby ? .standby : .down
        }
    }

    /// `kill -9` master `index`.
    func kill(_ index: Int) {
        nodes[index].process?.signal(SIGKILL)
        nodes[index].process = nil
    }

    /// Stops every master with SIGTERM (SIGKILL after 5 s), and the RPC client.
    func stop() async {
        for node in nodes { node.process?.signal(SIGTERM) }
        for node in nodes {
            guard let process = node.process else { continue }
            for _ in 0..<50 where !process.hasExited() { try? await Task.sleep(for: .milliseconds(100)) }
            process.signal(SIGKILL)
        }
        await rpc.shutdown()
    }

    /// `host:port` of every master.
    var addresses: [(host: String, port: Int)] { nodes.map { ("127.0.0.1", $0.port) } }

    /// What master `index` answers a producer registration with.
    func role(_ index: Int) async -> Role {
        await Self.register(port: nodes[index].port, timeout: .seconds(2), rpc: rpc, clientID: "ha-probe-\(index)")
    }

    /// The index of the one master answering as the active one, if exactly one does.
    func activeIndex() async -> Int? {
        var active: [Int] = []
        for index in nodes.indices where await role(index) == .active { active.append(index) }
        return active.count == 1 ? active[0] : nil
    }

    /// One webapi call to master `index`; returns the decoded JSON object.
    func web(_ index: Int, _ query: String) async throws -> [String: Any] {
        let url = URL(string: "http://127.0.0.1:\(nodes[index].webPort)/webapi.htm?\(query)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Missing(description: "not a JSON object from \(url)")
        }
        return object
    }

    /// A modify call to master `index`; throws unless it succeeded.
    func modify(_ index: Int, _ query: String) async throws {
        let reply = try await web(
            index,
            "type=op_modify&confModAuthToken=abc&createUser=ha_test&modifyUser=ha_test&\(query)"
        )
        guard reply["result"] as? Bool == true else { throw Missing(description: "\(query) failed: \(reply)") }
    }

    /// Whether master `index` sees `group` settled: `members` consumers, each holding its share of
    /// `partitions` partitions, every partition held once, and an event acknowledged on this master.
    func groupSettled(_ index: Int, group: String, members: Int, partitions: Int) async -> Bool {
        guard
            let reply = try? await web(
                index,
                "type=op_query&method=admin_query_consume_group_detail&groupName=\(group)"
            ),
            let data = reply["data"] as? [[String: Any]], data.count == members,
            (reply["rebInfo"] as? [String: Any])?["isRebalanced"] as? Bool == true
        else { return false }
        var held: [String] = []
        for member in data {
            for partition in member["parInfo"] as? [[String: Any]] ?? [] {
                held.append("\(partition["brokerAddr"] ?? "")#\(partition["partId"] ?? "")")
            }
            let count = (member["parInfo"] as? [[String: Any]])?.count ?? 0
            guard count == partitions / members else { return false }
        }
        return held.count == partitions && Set(held).count == partitions
    }

    /// The executable `name` next to the test bundle, or in `.build/debug`.
    static func binary(_ name: String) -> String? {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates = [runner.deletingLastPathComponent().appendingPathComponent(name).path]
        // The bundle of an xctest run on macOS is a directory inside the products folder.
        candidates.append(
            runner.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(name).path
        )
        candidates.append(FileManager.default.currentDirectoryPath + "/.build/debug/\(name)")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
