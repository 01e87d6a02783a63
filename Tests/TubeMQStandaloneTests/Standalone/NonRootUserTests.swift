import Foundation
import Testing
import TubeMQTestKit

/// The servers and the command work for an ordinary user, not only for root. Every RPC socket used to
/// set option 1 at the socket level (SO_DEBUG, which needs CAP_NET_ADMIN) where TCP_NODELAY was meant:
/// as root it did nothing visible, and as any other user no connection could be made at all, the
/// standalone's own broker never registered, and the error was a bare `setsockopt … Permission denied`.
@Suite struct NonRootUserTests {
    /// `setpriv`, to drop to user `nobody` (root only).
    static let setpriv = "/usr/bin/setpriv"

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv)))
    func aStandaloneRunAsNobodyServesProduceAndConsume() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A folder and a copy of the binary that `nobody` can reach, wherever the build lives.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
        let binary = directory + "/tubemq"
        try FileManager.default.copyItem(atPath: ConsumeInterruptTests.binary, toPath: binary)
        let nobody = [Self.setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

        let standalone = try await StandaloneProcess.start(
            ["--data", directory + "/data"],
            output: directory + "/standalone.out",
            prefix: nobody,
            binary: binary
        )
        defer { standalone.process.signal(SIGKILL) }
        let master = "127.0.0.1:\(try #require(standalone.port("master")))"

        let lines = directory + "/lines"
        try "one\ntwo\nthree\n".write(toFile: lines, atomically: true, encoding: .utf8)
        let produce = try ChildProcess.spawn(
            nobody + [binary, "produce", "--master", master, "--topic", "demo"],
            output: directory + "/produce.out",
            input: lines
        )
        let produced = await produce.exit(within: .seconds(30))
        #expect(produced == 0, "produce as nobody: \(ConsumeInterruptTests.text(directory + "/produce.out"))")

        let consume = try ChildProcess.spawn(
            nobody + [
                binary, "consume", "--master", master, "--topic", "demo", "--group", "g_nobody", "--from", "first",
            ]
                + ["--max", "3"],
            output: directory + "/consume.out"
        )
        let consumed = await consume.exit(within: .seconds(30))
        if consumed == nil { consume.signal(SIGKILL) }
        let printed = ConsumeInterruptTests.printedBodies(directory + "/consume.out")
        #expect(consumed == 0, "consume as nobody: \(ConsumeInterruptTests.text(directory + "/consume.out"))")
        #expect(Set(printed) == ["one", "two", "three"])
        standalone.process.signal(SIGTERM)
        #expect(await standalone.process.exit(within: .seconds(15)) == 0)
    }
}
