import Foundation

/// A `tubemq standalone` process the durability checker starts, signals and restarts, always on
/// the same ports (given, or chosen by its first start) and with the same data folder.
final class StandaloneProcess {
    /// Ports read from the first start's ready line.
    struct Ports {
        var master: Int
        var broker: Int
        var masterWeb: Int
        var brokerWeb: Int
    }

    private let binary: String
    private let folder: URL
    private let arguments: [String]
    private var process: Process?
    private(set) var ports: Ports?
    private var starts = 0

    /// A process of `binary` (`tubemq`) keeping its data and logs in `folder`, started with `arguments`
    /// more, on `ports` (free ones picked by its first start when `nil`).
    init(binary: String, folder: URL, ports: Ports? = nil, arguments: [String]) {
        self.binary = binary
        self.folder = folder
        self.ports = ports
        self.arguments = arguments
    }

    /// The master's RPC address, once started.
    var masterAddress: String? { ports.map { "127.0.0.1:\($0.master)" } }

    /// Starts the process and waits for its ready line.
    ///
    /// - Throws: ``ConformanceError`` when it exits or stays silent for `timeout`.
    func start(timeout: Duration = .seconds(60)) async throws(ConformanceError) {
        starts += 1
        let log = folder.appendingPathComponent("standalone-\(starts).out")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        guard let handle = try? FileHandle(forWritingTo: log) else {
            throw ConformanceError(.clientFailure, "cannot create \(log.path)")
        }
        let ports = self.ports ?? Ports(master: 0, broker: 0, masterWeb: 0, brokerWeb: 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "standalone", "--data", folder.appendingPathComponent("cluster").path,
                "--master-port", "\(ports.master)", "--broker-port", "\(ports.broker)",
                "--master-web-port", "\(ports.masterWeb)", "--broker-web-port", "\(ports.brokerWeb)",
            ] + arguments
        process.standardOutput = handle
        process.standardError = handle
        do {
            try process.run()
        } catch {
            throw ConformanceError(.clientFailure, "cannot start \(binary): \(error)")
        }
        self.process = process
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = Self.readyLine(in: log) {
                if self.ports == nil { self.ports = Self.ports(from: line) }
                return
            }
            guard process.isRunning else {
                throw ConformanceError(.clientFailure, "tubemq standalone exited: \(Self.tail(of: log))")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        throw ConformanceError(
            .clientFailure,
            "tubemq standalone did not get ready in \(timeout): \(Self.tail(of: log))"
        )
    }

    /// Sends `signal` and waits for the process to exit; `SIGKILL` follows after `grace`.
    func stop(signal: Int32, grace: Duration = .seconds(30)) async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        self.process = nil
    }

    /// Every log line of every start that reports an error (for a failed run's report).
    func errorLines() -> [String] {
        (1...max(1, starts)).flatMap { index -> [String] in
            let log = folder.appendingPathComponent("standalone-\(index).out")
            guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").map(String.init).filter { $0.contains("error") }
        }
    }

    private static func readyLine(in log: URL) -> String? {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("tubemq standalone ready:") }.map(String.init)
    }

    /// Parses `tubemq standalone ready: master H:P brokers H:P web H:P broker-web H:P`.
    private static func ports(from line: String) -> Ports? {
        let words = line.split(separator: " ").map(String.init)
        func port(after word: String) -> Int? {
            guard let index = words.firstIndex(of: word), index + 1 < words.count else { return nil }
            return words[index + 1].split(separator: ":").last.flatMap { Int($0) }
        }
        guard let master = port(after: "master"), let broker = port(after: "brokers"),
            let web = port(after: "web"), let brokerWeb = port(after: "broker-web")
        else { return nil }
        return Ports(master: master, broker: broker, masterWeb: web, brokerWeb: brokerWeb)
    }

    private static func tail(of log: URL) -> String {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "(no output)" }
        return String(text.suffix(2000))
    }
}
