import Testing
import TubeMQClient

@testable import TubeMQConformance

/// The cases that talk frame by frame fail against a server that accepts everything and ignores
/// malformed traffic: none of them passes just because nothing went wrong.
@Suite struct LenientServerTests {
    @Test func everyProtocolLevelCaseFailsAgainstAServerThatSaysYesToEverything() async throws {
        let server = try await LenientServer.start(topic: "conformance")
        let settings = ConformanceSettings(
            masters: [MasterAddress(host: "127.0.0.1", port: server.port)],
            topic: "conformance",
            // Generous: on a machine busy with builds the end-of-data case's fetches take seconds.
            caseTimeout: .seconds(60),
            balanceWait: .seconds(5),
            heartbeatPeriod: .milliseconds(200),
            rpcTimeout: .seconds(10),
            logger: ConformanceCluster.logger
        )
        let cases: [any ConformanceCase] = [
            MaxMessageSizeCase(), WrongChecksumCase(), UnregisteredConsumerCase(), EndOfDataCase(),
            ProtocolAbuseCase(wait: .seconds(1)),
        ]
        let report = try await ConformanceRunner(settings: settings, cases: cases).run()
        await server.shutdown()
        #expect(report.cases.map(\.status) == Array(repeating: .failed, count: cases.count), "\(report.text)")
        let reasons = report.cases.map { $0.reason ?? "" }
        #expect(reasons[0].contains("was accepted"), "\(report.text)")
        #expect(reasons[1].contains("wrong checksum was accepted"), "\(report.text)")
        #expect(reasons[2].contains("unregistered consumer succeeded"), "\(report.text)")
        #expect(reasons[3].contains("never reached 404"), "\(report.text)")
        #expect(reasons[4].contains("neither answered nor closed"), "\(report.text)")
    }

    /// Silence on a frame that cannot be read, with the connection left open, is what the original
    /// server does: it passes as long as every other connection is still served.
    @Test func silenceOnAnUnreadableFramePassesWhileOthersAreServed() async throws {
        let server = try await LenientServer.start(topic: "conformance", refusesUnregisteredGets: true)
        let report = try await ConformanceRunner(
            settings: Self.settings(port: server.port),
            cases: [UnreadableFrames()]
        )
        .run()
        await server.shutdown()
        #expect(report.cases.map(\.status) == [.passed], "\(report.text)")
    }

    /// A server that goes silent on an unreadable frame and stops serving everyone else fails.
    @Test func silenceThatStopsOtherConnectionsFails() async throws {
        let server = try await LenientServer.start(topic: "conformance", wedgesOnUnreadableFrame: true)
        let report = try await ConformanceRunner(
            settings: Self.settings(port: server.port),
            cases: [UnreadableFrames()]
        )
        .run()
        await server.shutdown()
        #expect(report.cases.map(\.status) == [.failed], "\(report.text)")
        #expect(
            report.cases.first?.reason?.contains("stopped serving after a bad begin token") == true,
            "\(report.text)"
        )
    }

    /// The protocol-abuse case restricted to the frames that cannot be read.
    struct UnreadableFrames: ConformanceCase {
        let name = "unreadable_frames"
        let summary = "protocol_abuse, bad token and oversize list only"
        func run(_ context: CaseContext) async throws(ConformanceError) {
            try await ProtocolAbuseCase(wait: .seconds(1), floodBytes: 1 << 20)
                .run(context, abuses: ProtocolAbuseCase.abuses.filter(\.unreadableFrame))
        }
    }

    static func settings(port: Int) -> ConformanceSettings {
        ConformanceSettings(
            masters: [MasterAddress(host: "127.0.0.1", port: port)],
            topic: "conformance",
            caseTimeout: .seconds(60),
            balanceWait: .seconds(5),
            heartbeatPeriod: .milliseconds(200),
            rpcTimeout: .seconds(3),
            logger: ConformanceCluster.logger
        )
    }
}
