import Foundation
import Testing
import TubeMQConformance

@Suite struct ReportTests {
    @Test func theClosingLineCountsPassedFailedAndSkippedOnlyWhenAny() {
        var report = ConformanceReport(
            runID: "r",
            topic: "t",
            cases: [
                CaseResult(name: "a", status: .passed, seconds: 1),
                CaseResult(name: "b", status: .failed, seconds: 2, reason: "why"),
            ]
        )
        #expect(report.summaryLine == "1 passed, 1 failed")
        #expect(!report.succeeded)
        report.cases.append(CaseResult(name: "c", status: .skipped, seconds: 0, reason: "n/a"))
        #expect(report.summaryLine == "1 passed, 1 failed, 1 skipped")
        #expect(report.text.hasSuffix("1 passed, 1 failed, 1 skipped\n"))
        #expect(report.text.split(separator: "\n").count == 4)
        #expect(report.cases[1].line.contains("FAILED") && report.cases[1].line.contains("why"))
    }

    @Test func theJSONReportHasCasesAndTotals() throws {
        let report = ConformanceReport(
            runID: "r",
            topic: "t",
            cases: [CaseResult(name: "a", status: .passed, seconds: 1.5)]
        )
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Int])
        #expect(totals == ["passed": 1, "failed": 0, "skipped": 0])
        let cases = try #require(object["cases"] as? [[String: Any]])
        #expect(cases.first?["name"] as? String == "a")
        #expect(cases.first?["status"] as? String == "passed")
        #expect(try JSONDecoder().decode(ConformanceReport.self, from: data) == report)
    }

    @Test func filtersSelectCasesByNameAndRejectUnknownNames() throws {
        let runner = ConformanceRunner(settings: ConformanceSettings(masters: [], topic: "t"))
        #expect(try runner.selection(only: ["filter", "redelivery"]).map(\.name) == ["redelivery", "filter"])
        #expect(try runner.selection(skip: ["filter"]).count == ConformanceSuite.all.count - 1)
        #expect(throws: ConformanceError.self) { try runner.selection(only: ["nonsense"]) }
        #expect(Set(ConformanceSuite.all.map(\.name)).count == ConformanceSuite.all.count)
    }
}
