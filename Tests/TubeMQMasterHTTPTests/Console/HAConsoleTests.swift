import Foundation
import Testing
import TubeMQTestKit
import TubeMQWebSupport

@testable import TubeMQMaster
@testable import TubeMQMasterHTTP

/// The console of a master in an HA group: the active one serves the whole console; a standby
/// serves a page that says it is a standby and links to the active master's console.
@Suite struct HAConsoleTests {
    @Test func aStandbySaysSoAndLinksToTheActiveAndTheActiveServesTheConsole() async throws {
        let role = MasterRole()
        let web = try await MasterHTTPServer.start(role: role, port: 0, logger: WebTestSupport.logger)
        let master = try await Master(logger: WebTestSupport.logger)
        do {
            // No active master known yet.
            var page = try await WebFetch.get(host: "127.0.0.1", port: web.port, path: "/", tls: nil)
            #expect(page.status == 200)
            #expect(page.body.contains("This master is a hot standby"))
            #expect(page.body.contains("No master is active"))
            // Another master is active: the page links to its console, the assets are served here.
            role.setActive(MasterRole.Address(host: "10.9.8.7", port: 8715, webPort: 8080))
            page = try await WebFetch.get(host: "127.0.0.1", port: web.port, path: "/", tls: nil)
            #expect(page.body.contains(#"href="http://10.9.8.7:8080/""#), "\(page.body)")
            let style = try await WebFetch.get(host: "127.0.0.1", port: web.port, path: "/assets/console.css", tls: nil)
            #expect(style.status == 200)
            let api = try await WebFetch.get(
                host: "127.0.0.1",
                port: web.port,
                path: "/webapi.htm?type=op_query&method=admin_query_topic_info",
                tls: nil
            )
            #expect(api.status == 302)
            // This master becomes the active one: the whole console.
            role.activate(master, address: MasterRole.Address(host: "127.0.0.1", port: 8715, webPort: web.port))
            page = try await WebFetch.get(host: "127.0.0.1", port: web.port, path: "/", tls: nil)
            #expect(page.status == 200)
            #expect(!page.body.contains("hot standby"))
            #expect(page.body.contains("/assets/console-core.js"))
        } catch {
            await web.shutdown()
            await master.shutdown()
            throw error
        }
        await web.shutdown()
        await master.shutdown()
    }

    @Test func theActiveAddressIsEscapedInTheStandbyPage() {
        let page = ConsoleStandbyPage.text(active: #"http://"><script>x</script>/"#)
        #expect(!page.contains("<script>x</script>"))
    }
}
