import Foundation
import Testing
import TubeMQTestKit

/// `tubemq-master` with authentication on warns at start about settings that leave a hole or lose
/// data silently: no users file (users added through the webapi were gone after a restart), and
/// TubeMQ's public default webapi token (anyone could add a user).
@Suite struct MasterSecurityWarningTests {
    @Test func authenticationWithoutAUsersFileOrAPrivateTokenIsWarnedAbout() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try await unusedPort()
        let webPort = try await unusedPort()
        let ini = """
            [master]
            hostName=127.0.0.1
            port=\(port)
            webPort=\(webPort)
            webResourcePath=resources
            metaDataPath=\(directory)/meta
            startProduceAuthenticate=true

            """
        try ini.write(toFile: directory + "/master.ini", atomically: true, encoding: .utf8)
        let binary = URL(fileURLWithPath: ConsumeInterruptTests.binary).deletingLastPathComponent()
            .appendingPathComponent("tubemq-master").path
        let output = directory + "/master.out"
        let master = try ChildProcess.spawn([binary, "--config", directory + "/master.ini"], output: output)
        defer { if master.exitStatus() == nil { master.signal(SIGKILL) } }
        try await eventually("the master is ready") {
            ConsumeInterruptTests.text(output).contains("tubemq-master ready") || master.hasExited()
        }
        let text = ConsumeInterruptTests.text(output)
        #expect(text.contains("without [master] authUserFile"), "\(text)")
        #expect(text.contains("confModAuthToken is TubeMQ's public default"), "\(text)")
        master.signal(SIGTERM)
        _ = await master.exit(within: .seconds(20))
    }
}
