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
        let (master, _, output) = try await ClusterTestSupport.startMasterProcess(
            in: directory,
            extra: "startProduceAuthenticate=true"
        )
        defer { if master.exitStatus() == nil { master.signal(SIGKILL) } }
        let text = ConsumeInterruptTests.text(output)
        #expect(text.contains("without [master] authUserFile"), "\(text)")
        #expect(text.contains("confModAuthToken is TubeMQ's public default"), "\(text)")
        master.signal(SIGTERM)
        _ = await master.exit(within: .seconds(20))
    }
}
