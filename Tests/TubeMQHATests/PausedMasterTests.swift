import Foundation
import Testing
import TubeMQTestKit

/// Part of ``FailoverTests`` (serialized with them): master processes under ZooKeeper.
extension FailoverTests {
    /// The active master is paused (SIGSTOP) for longer than its session timeout, so ZooKeeper expires
    /// its session and another master takes over. A producer registration sent to the paused master
    /// waits in its socket; when the master resumes it must answer as a standby, not register the
    /// producer before its election notices the lost session (two masters acting as active).
    @Test(.timeLimit(.minutes(2)))
    func aMasterResumedAfterItsSessionExpiredAnswersAsAStandby() async throws {
        try await ZooKeeperTestServer.with { zk in
            let directory = HATestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let masters = try await MasterProcessGroup(
                zooKeeper: zk.connectString,
                directory: directory,
                root: "/tubemq-paused",
                sessionTimeoutMs: 3_000
            )
            do {
                _ = try await HATestSupport.waitFor("a master to be active", timeout: .seconds(60)) {
                    await masters.activeIndex() != nil
                }
                let paused = try #require(await masters.activeIndex())
                let others = (0..<3).filter { $0 != paused }
                masters.signal(paused, SIGSTOP)
                func newActive() async -> Int? {
                    for index in others where await masters.role(index) == .active { return index }
                    return nil
                }
                _ = try await HATestSupport.waitFor("another master to take over", timeout: .seconds(60)) {
                    await newActive() != nil
                }
                let other = try #require(await newActive())
                try await Task.sleep(for: .seconds(3))  // well past the paused master's session timeout
                // Sent while the master is paused: it waits in the socket until the master resumes.
                let port = masters.addresses[paused].port
                let answer = Task { await MasterProcessGroup.register(port: port, timeout: .seconds(20)) }
                try await Task.sleep(for: .milliseconds(500))
                masters.signal(paused, SIGCONT)
                #expect(await answer.value == .standby, "the resumed master answered as the active one")
                #expect(await masters.role(other) == .active)
            } catch {
                await masters.stop()
                throw error
            }
            await masters.stop()
        }
    }
}
