import Testing
import TubeMQBroker
import TubeMQConformance

/// No case passes vacuously: with one broker behaviour broken on purpose, exactly the case that checks it
/// fails, with a reason naming what went wrong, and every other case still passes.
@Suite struct FaultDetectionTests {
    struct Fault: Sendable, CustomTestStringConvertible {
        var faults: _BrokerFaults
        var failingCase: String
        var reasonMentions: String
        var testDescription: String { failingCase }
    }

    static let faults: [Fault] = [
        Fault(
            faults: _BrokerFaults(noRedelivery: true),
            failingCase: "redelivery",
            reasonMentions: "not delivered again"
        ),
        Fault(
            faults: _BrokerFaults(acceptBadChecksums: true),
            failingCase: "wrong_checksum",
            reasonMentions: "accepted"
        ),
        Fault(faults: _BrokerFaults(ignoreFilters: true), failingCase: "filter", reasonMentions: "of type"),
    ]

    @Test(arguments: faults)
    func exactlyTheMatchingCaseFails(_ fault: Fault) async throws {
        let report = try await ConformanceCluster.with(brokers: 1, faults: fault.faults) { _, settings in
            try await ConformanceRunner(settings: settings).run()
        }
        let failed = report.cases.filter { $0.status == .failed }
        #expect(failed.map(\.name) == [fault.failingCase], "\(report.text)")
        #expect(failed.first?.reason?.contains(fault.reasonMentions) == true, "\(report.text)")
        // The failing case, and the standby case (one master).
        #expect(report.totals.passed == ConformanceSuite.all.count - 2, "\(report.text)")
    }
}
