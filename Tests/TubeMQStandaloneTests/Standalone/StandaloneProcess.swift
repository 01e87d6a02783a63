import Foundation
import TubeMQTestKit

/// `tubemq standalone` as a child process on ports it picks, started and waited for until ready.
struct StandaloneProcess {
    /// The running process.
    let process: ChildProcess
    /// What it printed.
    let output: String
    /// The ready line's addresses by name (`master`, `brokers`, `web`, `broker-web`, …).
    let addresses: [String: String]

    /// Starts `tubemq standalone` with `arguments` (and every port set to 0), writing its output to
    /// `output`, and returns once it prints its ready line; `prefix` goes before the command (to run it
    /// as another user), and `binary` is the `tubemq` to run.
    ///
    /// - Throws: ``TestTimeout`` when it does not get ready, or exits first.
    static func start(
        _ arguments: [String],
        output: String,
        prefix: [String] = [],
        binary: String = ConsumeInterruptTests.binary
    ) async throws -> StandaloneProcess {
        let process = try ChildProcess.spawn(
            prefix + [binary, "standalone"] + arguments + [
                "--master-port", "0", "--broker-port", "0", "--master-web-port", "0", "--broker-web-port", "0",
            ],
            output: output
        )
        try await eventually("the standalone is ready") {
            ConsumeInterruptTests.text(output).contains("standalone ready") || process.hasExited()
        }
        guard
            let ready = ConsumeInterruptTests.text(output).split(separator: "\n").first(where: {
                $0.contains("standalone ready")
            })
        else {
            process.signal(SIGKILL)
            throw TestTimeout(description: "the standalone exited: \(ConsumeInterruptTests.text(output))")
        }
        // "tubemq standalone ready: master HOST:PORT brokers HOST:PORT web HOST:PORT …"
        let words = ready.split(separator: " ").map(String.init)
        var addresses: [String: String] = [:]
        for (name, value) in zip(words, words.dropFirst()) where value.contains(":") && !name.hasSuffix(":") {
            addresses[name] = value
        }
        return StandaloneProcess(process: process, output: output, addresses: addresses)
    }

    /// The port of the address called `name` in the ready line.
    func port(_ name: String) -> Int? {
        addresses[name].flatMap { Int($0.split(separator: ":").last ?? "") }
    }
}
