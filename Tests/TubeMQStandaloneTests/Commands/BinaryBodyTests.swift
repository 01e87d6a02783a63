import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStandalone
import TubeMQTestKit

/// `tubemq produce` sends each stdin line's bytes as they are, and `tubemq consume` prints a body's
/// bytes as they are: bytes that are not UTF-8 used to become U+FFFD on the way in and out.
@Suite struct BinaryBodyTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_bin", partitions: 1)

    @Test func binaryLinesTravelByteForByte() async throws {
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic]) { cluster, _ in
            let directory = ClusterTestSupport.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let bodies: [[UInt8]] = [
                [0x62, 0x69, 0x6E, 0xFF, 0xFE, 0x00, 0x7A],  // "bin", two bytes that are no UTF-8, a NUL
                Array("crlf".utf8),  // sent as "crlf\r\n": the line end goes, as readLine's did
                (0...255).compactMap { $0 == 10 ? nil : UInt8($0) },
                Array("last line without a newline".utf8),
            ]
            // An empty line (TubeMQ refuses empty bodies) is skipped; it used to stop the command.
            var input = bodies[0] + [10, 10] + bodies[1] + [13, 10] + bodies[2] + [10] + bodies[3]
            let inputPath = directory + "/in.bin"
            try Data(input).write(to: URL(fileURLWithPath: inputPath))
            input.removeAll()
            let master = "127.0.0.1:\(cluster.masterAddress.port)"
            let produce = try ChildProcess.spawn(
                [ConsumeInterruptTests.binary, "produce", "--master", master, "--topic", Self.topic.name],
                output: directory + "/produce.out",
                input: inputPath
            )
            #expect(
                await produce.exit(within: .seconds(60)) == 0,
                "\(ConsumeInterruptTests.text(directory + "/produce.out"))"
            )
            let produced = ConsumeInterruptTests.text(directory + "/produce.out")
            #expect(produced.contains("line 2 is empty: not sent"), "\(produced)")
            #expect(produced.contains("sent 4 messages to t_bin (1 empty lines not sent)"), "\(produced)")

            let consume = try ChildProcess.spawn(
                [
                    ConsumeInterruptTests.binary, "consume", "--master", master, "--topic", Self.topic.name,
                    "--group", "g_bin", "--from", "first", "--max", "4",
                ],
                output: directory + "/consume.out"
            )
            #expect(await consume.exit(within: .seconds(60)) == 0)
            let printed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/consume.out")))
            for body in bodies {
                let line = Array("] ".utf8) + body + [10]
                #expect(printed.firstRange(of: line) != nil, "printed as sent: \(body.prefix(12))")
            }
            // Each line shows its message's own offset (entry × 28), not its batch's (it printed 0 four
            // times): the offsets `produce --verbose` gives and `reset-offsets --to-offset` takes.
            for (index, body) in bodies.enumerated() {
                let line = Array(":\(Self.topic.name):0 \(index * 28) [] ".utf8) + body + [10]
                #expect(printed.firstRange(of: line) != nil, "message \(index) at offset \(index * 28)")
            }
        }
    }
}
