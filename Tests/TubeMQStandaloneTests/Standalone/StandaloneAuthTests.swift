import Foundation
import Testing
import TubeMQRPC
import TubeMQStandalone
import TubeMQTestKit
import TubeMQWire

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

        // `bench` takes --user and --password-file as produce and consume do: it ignored them, and
        // the master refused its clients (415).
        let master = try #require(started.addresses["master"])
        let benchLog = directory + "/bench.out"
        let bench = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "bench", "--master", master, "--user", "tubemq"]
                + [
                    "--password-file", data + "/auth/password", "--producers", "1", "--consumers", "1", "--count",
                    "200",
                ],
            output: benchLog
        )
        let benchStatus = await bench.exit(within: .seconds(60))
        if benchStatus == nil { bench.signal(SIGKILL) }
        #expect(benchStatus == 0, "\(ConsumeInterruptTests.text(benchLog))")
        #expect(ConsumeInterruptTests.text(benchLog).contains("consume "), "\(ConsumeInterruptTests.text(benchLog))")

        standalone.signal(SIGTERM)
        _ = await standalone.exit(within: .seconds(30))
    }
}

/// With authentication on (`tubemq standalone --auth`), the brokers check visit tokens too: a client
/// that never authenticated could otherwise send and read by calling a broker directly, with any
/// made-up token.
@Suite struct StandaloneVisitTokenTests {
    @Test func aMadeUpVisitTokenIsRefusedByTheBroker() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let users = directory + "/users"
        #expect(FileManager.default.createFile(atPath: users, contents: Data("tubemq pw-123456\n".utf8)))
        var configuration = ClusterTestSupport.configuration(
            brokers: 1,
            topics: [.init(name: "t_visit", partitions: 1)],
            directory: directory + "/data"
        )
        configuration.requireAuthentication(userFile: users)
        configuration.brokerVisitTokenGraceMs = 0
        let cluster = try await LocalCluster.start(configuration: configuration, logger: ClusterTestSupport.logger)
        let client = RPCClient()
        do {
            let broker = try #require(cluster.brokers.first)
            var send = SendMessageRequestP2B()
            send.clientID = "forger"
            send.topicName = "t_visit"
            send.partitionID = 0
            send.data = Data("forged".utf8)
            send.flag = 0
            send.checkSum = -1
            send.sentAddr = 0
            var info = AuthorizedInfo()
            info.visitAuthorizedToken = 1_796_588_792_531
            info.authAuthorizedToken = "tubemq 1 2 made-up"
            send.authInfo = info
            let request = send
            try await eventually("the broker refuses the made-up token") {
                let reply: SendMessageResponseB2P = try await client.call(
                    .sendMessage,
                    request,
                    host: "127.0.0.1",
                    port: broker.port
                )
                return reply.errCode == 415 && reply.errMsg == "Visit Authorized Token is invalid!"
            }
        } catch {
            await client.shutdown()
            await cluster.shutdown()
            throw error
        }
        await client.shutdown()
        await cluster.shutdown()
    }
}
