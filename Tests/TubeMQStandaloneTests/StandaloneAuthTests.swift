import Foundation
import Testing
import TubeMQTestKit

/// `tubemq standalone --auth` does not leave the master webapi on TubeMQ's public default token: its
/// changes take the random token of `<data>/webapi.token`, which `tubemq admin --data` reads. Before,
/// anyone could add a user with `confModAuthToken=ASDFGHJKL` and then publish.
@Suite struct StandaloneAuthTests {
    @Test(.timeLimit(.minutes(2)))
    func theMasterWebapiTakesTheDataFoldersTokenNotTheDefault() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/standalone.out"
        let data = directory + "/data"
        let started = try await StandaloneProcess.start(["--auth", "--data", data], output: output)
        let standalone = started.process
        defer { if standalone.exitStatus() == nil { standalone.signal(SIGKILL) } }
        let web = try #require(started.addresses["web"])
        #expect(ConsumeInterruptTests.text(output).contains("master webapi changes take the token in"))

        func addUser(_ name: String, _ tokenOptions: [String]) async throws -> (Int32?, String) {
            let log = directory + "/\(name).out"
            let command = try ChildProcess.spawn(
                [ConsumeInterruptTests.binary, "admin", "--web", "http://\(web)"] + tokenOptions
                    + ["call", "admin_add_auth_user", "userName=\(name)", "password=secret1"],
                output: log
            )
            let status = await command.exit(within: .seconds(30))
            if status == nil { command.signal(SIGKILL) }
            return (status, ConsumeInterruptTests.text(log))
        }
        let (refused, refusedText) = try await addUser("eve", ["--token", "ASDFGHJKL"])
        #expect(refused == 1, "\(refusedText)")
        #expect(refusedText.contains("illegal access, unauthorized request!"), "\(refusedText)")
        let (accepted, acceptedText) = try await addUser("ops", ["--data", data])
        #expect(accepted == 0, "\(acceptedText)")

        standalone.signal(SIGTERM)
        _ = await standalone.exit(within: .seconds(30))
    }
}
