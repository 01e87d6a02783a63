import Foundation

/// Parses the Prometheus text format with the reference parser (Python's `prometheus_client`, from
/// PyPI; `scripts/bootstrap` installs it), so tests check `/metrics` with a parser that is not ours.
public enum PrometheusText {
    /// One sample: its name (with `_total`, `_bucket`, … suffixes), labels and value.
    public struct Sample: Sendable, Hashable {
        /// The sample name.
        public var name: String
        /// The labels.
        public var labels: [String: String]
        /// The value.
        public var value: Double
    }

    /// The parser failed or is not installed.
    public struct ParseError: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    private static let script = """
        from json import dumps
        from sys import stdin
        from prometheus_client.parser import text_string_to_metric_families
        samples = []
        for family in text_string_to_metric_families(stdin.read()):
            for s in family.samples:
                samples.append({"name": s.name, "labels": s.labels, "value": s.value})
        print(dumps(samples))
        """

    /// Every sample of `text`.
    ///
    /// - Throws: ``ParseError`` when `python3` or `prometheus_client` is missing, or the text is not
    ///   valid Prometheus text.
    public static func parse(_ text: String) async throws -> [Sample] {
        let data = try await onOwnThread { try run(text) }
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw ParseError(description: "unexpected parser output")
        }
        return list.compactMap { entry in
            guard let name = entry["name"] as? String, let value = entry["value"] as? Double else { return nil }
            return Sample(name: name, labels: entry["labels"] as? [String: String] ?? [:], value: value)
        }
    }

    /// Runs the parser on `text` and returns what it printed (blocks until it exits).
    private static func run(_ text: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(text.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ParseError(
                description: "prometheus_client could not parse /metrics (scripts/bootstrap installs it): "
                    + String(decoding: failure, as: UTF8.self)
            )
        }
        return data
    }
}

extension Array where Element == PrometheusText.Sample {
    /// The sum of the samples named `name` whose labels include `labels`.
    public func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    /// Whether a sample named `name` with labels including `labels` exists.
    public func contains(_ name: String, _ labels: [String: String] = [:]) -> Bool {
        contains { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }
}
