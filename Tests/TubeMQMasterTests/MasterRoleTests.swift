import Logging
import Synchronization
import Testing

@testable import TubeMQMaster

/// The active role holds only while its ZooKeeper session is fresh: a master resumed after a pause
/// longer than the session's read timeout answers as a standby at once, before its election hears
/// that the session is gone (zookeeper.md §8.3 rules 1 and 2).
@Suite struct MasterRoleTests {
    /// The election znode carries the HTTPS webapi port too, so a standby redirects HTTPS requests to
    /// the active master's port (it used its own: on one host, a redirect to itself).
    @Test func anAddressCarriesItsHTTPSPortWhenItHasOne() {
        let plain = MasterRole.Address(host: "10.0.0.1", port: 8715, webPort: 8080)
        #expect(plain.description == "10.0.0.1:8715:8080")
        #expect(MasterRole.Address("10.0.0.1:8715:8080") == plain)
        let secure = MasterRole.Address(host: "10.0.0.1", port: 8715, webPort: 8080, webTLSPort: 8443)
        #expect(secure.description == "10.0.0.1:8715:8080:8443")
        #expect(MasterRole.Address("10.0.0.1:8715:8080:8443")?.webTLSPort == 8443)
        #expect(MasterRole.Address("10.0.0.1:8715:8080:x") == nil)
        #expect(MasterRole.Address("10.0.0.1:8715") == nil)
    }

    @Test func anActiveRoleWhoseSessionWentStaleAnswersAsAStandby() async throws {
        let role = MasterRole()
        let master = try await Master(logger: Logger(label: "test"))
        let fresh = Atomic(true)
        role.activate(
            master,
            address: MasterRole.Address(host: "127.0.0.1", port: 8715, webPort: 8080),
            isFresh: { fresh.load(ordering: .relaxed) }
        )
        #expect(role.isActive)
        #expect(role.master != nil)

        // Nothing heard from ZooKeeper within the read timeout: the RPC service and the webapi, which
        // read `master` once per call, answer as a standby from now.
        fresh.store(false, ordering: .relaxed)
        #expect(!role.isActive)
        #expect(role.master == nil)

        fresh.store(true, ordering: .relaxed)  // heard again (a resumed session the election keeps)
        #expect(role.master != nil)
        role.deactivate()
        #expect(role.master == nil)
    }
}
