import Foundation

/// The outcome of one case.
public struct CaseResult: Sendable, Codable, Hashable {
    /// Pass, fail or skip.
    public enum Status: String, Sendable, Codable, Hashable {
        /// The cluster behaved as TubeMQ must.
        case passed
        /// It did not, or the case could not finish.
        case failed
        /// The case does not apply, or was filtered out.
        case skipped
    }

    /// The case name.
    public var name: String
    /// What happened.
    public var status: Status
    /// How long the case ran, cleanup included.
    public var seconds: Double
    /// Why it failed or was skipped; `nil` when it passed.
    public var reason: String?

    /// Creates a result.
    public init(name: String, status: Status, seconds: Double, reason: String? = nil) {
        self.name = name
        self.status = status
        self.seconds = seconds
        self.reason = reason
    }

    /// The report line: name, status, time, and the reason when there is one.
    public var line: String {
        let time = String(format: "%.1fs", seconds)
        let text =
            "\(status.rawValue.uppercased().padding(toLength: 7, withPad: " ", startingAt: 0)) "
            + "\(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(time)"
        guard let reason else { return text }
        return "\(text)  \(reason)"
    }
}

/// The outcome of a suite run: one result per case, in run order, and the totals.
public struct ConformanceReport: Sendable, Codable, Hashable {
    /// How many cases ended each way.
    public struct Totals: Sendable, Codable, Hashable {
        /// Cases that passed.
        public var passed: Int
        /// Cases that failed.
        public var failed: Int
        /// Cases that were skipped.
        public var skipped: Int
    }

    /// The run id the cases used for their groups and messages.
    public var runID: String
    /// The topic under test.
    public var topic: String
    /// Each case's result, in run order.
    public var cases: [CaseResult]

    /// Creates a report.
    public init(runID: String, topic: String, cases: [CaseResult]) {
        self.runID = runID
        self.topic = topic
        self.cases = cases
    }

    /// The counts per status.
    public var totals: Totals {
        Totals(
            passed: cases.filter { $0.status == .passed }.count,
            failed: cases.filter { $0.status == .failed }.count,
            skipped: cases.filter { $0.status == .skipped }.count
        )
    }

    /// Whether no case failed.
    public var succeeded: Bool { totals.failed == 0 }

    /// The closing line: `N passed, N failed`, then `, N skipped` when any was skipped.
    public var summaryLine: String {
        let totals = totals
        var line = "\(totals.passed) passed, \(totals.failed) failed"
        if totals.skipped > 0 { line += ", \(totals.skipped) skipped" }
        return line
    }

    /// The text report: one line per case, then ``summaryLine``.
    public var text: String {
        (cases.map(\.line) + [summaryLine]).joined(separator: "\n") + "\n"
    }

    private enum CodingKeys: String, CodingKey {
        case runID = "runId"
        case topic, cases, totals
    }

    /// Decodes a report (the totals are recomputed from the cases).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.decode(String.self, forKey: .runID)
        topic = try container.decode(String.self, forKey: .topic)
        cases = try container.decode([CaseResult].self, forKey: .cases)
    }

    /// Encodes the report with its totals.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(topic, forKey: .topic)
        try container.encode(cases, forKey: .cases)
        try container.encode(totals, forKey: .totals)
    }
}
