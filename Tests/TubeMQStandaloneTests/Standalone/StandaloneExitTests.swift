import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// `tubemq standalone`'s exit status tells a script whether every acknowledged message reached the
/// disk: 0 after a clean stop, non-zero when a full disk kept some of them in memory to the end.
@Suite struct StandaloneExitTests {
    /// Whether this process may mount a tmpfs (tried once).
    static let canMount: Bool = {
        let probe = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard mount("tmpfs", probe, "tmpfs", 0, "size=64k") == 0 else { return false }
        return umount(probe) == 0
    }()

    @Test(.enabled(if: StandaloneExitTests.canMount, "mounting a tmpfs is not permitted here"))
    func aStopThatCouldNotWriteAcknowledgedMessagesExitsNonZero() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(mount("tmpfs", directory, "tmpfs", 0, "size=8m") == 0)
        defer { _ = umount2(directory, Int32(MNT_DETACH)) }
        let output = directory + "/../standalone-exit-\(getpid()).out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let started = try await StandaloneProcess.start(["--data", directory + "/data"], output: output)
        let standalone = started.process
        defer { if standalone.exitStatus() == nil { standalone.signal(SIGKILL) } }
        let port = try #require(started.port("master"))

        // Fill the device, then send until the broker refuses: what it acknowledged last is in memory.
        let ballast = directory + "/ballast"
        #expect(FileManager.default.createFile(atPath: ballast, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ballast))
        while (try? handle.write(contentsOf: Data(repeating: 1, count: 1 << 16))) != nil {}
        try? handle.close()
        let producer = try await Producer(
            configuration: .init(masters: [MasterAddress(host: "127.0.0.1", port: port)]),
            logger: ClusterTestSupport.logger
        )
        try await producer.publish(["demo"])
        var refused = false
        for _ in 0..<5000 {
            do {
                try await producer.send(Message(body: [UInt8](repeating: 7, count: 1000)), to: "demo")
            } catch {
                refused = true
                break
            }
        }
        await producer.shutdown()
        #expect(refused, "the full device refuses sends")

        standalone.signal(SIGTERM)
        let status = await standalone.exit(within: .seconds(30))
        #expect(status != nil && status != 0, "exit status \(String(describing: status))")
        #expect(ConsumeInterruptTests.text(output).contains("stopped without writing every acknowledged message"))
    }
}
