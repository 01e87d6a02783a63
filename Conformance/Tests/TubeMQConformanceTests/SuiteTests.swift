import Testing
import TubeMQConformance

/// The whole suite passes against this project's cluster, with one broker and with two.
@Suite struct SuiteTests {
    @Test(arguments: [1, 2])
    func everyCasePassesAgainstOurCluster(brokers: Int) async throws {
        let report = try await ConformanceCluster.with(brokers: brokers) { _, settings in
            try await ConformanceRunner(settings: settings).run()
        }
        #expect(report.cases.count == ConformanceSuite.all.count)
        // One master: the standby case does not apply.
        #expect(report.totals.passed == ConformanceSuite.all.count - 1, "\(brokers) broker(s):\n\(report.text)")
        #expect(report.cases.filter { $0.status == .skipped }.map(\.name) == ["standby_master"])
    }
}
