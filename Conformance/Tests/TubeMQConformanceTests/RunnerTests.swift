import Testing
import TubeMQConformance

/// The runner's own behaviour, with cases that need no cluster.
@Suite struct RunnerTests {
    struct Hanging: ConformanceCase {
        let name = "hanging"
        let summary = "never ends on its own"
        func run(_ context: CaseContext) async throws(ConformanceError) {
            // Ignores cancellation, as a case stuck in a call might.
            let end = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    struct Skipping: ConformanceCase {
        let name = "skipping"
        let summary = "does not apply"
        func run(_ context: CaseContext) async throws(ConformanceError) { throw .skipped("not here") }
    }

    struct Failing: ConformanceCase {
        let name = "failing"
        let summary = "finds a violation"
        func run(_ context: CaseContext) async throws(ConformanceError) { throw .violation("wrong answer") }
    }

    @Test func aCaseThatOverrunsIsReportedFailedAndTheRunMovesOn() async throws {
        var settings = ConformanceSettings(masters: [], topic: "t")
        settings.caseTimeout = .milliseconds(300)
        let runner = ConformanceRunner(settings: settings, cases: [Hanging(), Skipping(), Failing()])
        let start = ContinuousClock.now
        let report = try await runner.run()
        #expect(ContinuousClock.now - start < .seconds(60))  // only: it does not wait for the hung case
        #expect(report.cases.map(\.status) == [.failed, .skipped, .failed])
        #expect(report.cases[0].reason?.contains("case timeout") == true)
        #expect(report.cases[1].reason == "not here")
        #expect(report.cases[2].reason == "wrong answer")
        #expect(report.summaryLine == "0 passed, 2 failed, 1 skipped")
    }
}
