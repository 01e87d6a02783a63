import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The samples of one `/metrics` page that `tubemq admin top` reads: `name{labels} value` lines
/// (comments and malformed lines skipped), parsed from the Prometheus text format.
struct MetricsScrape: Sendable {
    /// One sample.
    struct Sample: Sendable, Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample]

    /// Parses `text`.
    init(text: String) {
        samples = text.split(separator: "\n").compactMap { Self.sample(String($0)) }
    }

    /// GETs and parses `url`, waiting at most `timeout` seconds.
    ///
    /// - Throws: `ValidationError`-style text when the server cannot be reached or does not answer 200.
    static func fetch(_ url: URL, timeout: TimeInterval = WebGet.defaultTimeout) async throws -> MetricsScrape {
        let answer = try await WebGet.fetch(url, tls: nil, timeout: timeout)
        if answer.status != 200 {
            throw MetricsScrapeError(message: "HTTP \(answer.status) from \(url)")
        }
        return MetricsScrape(text: String(decoding: answer.data, as: UTF8.self))
    }

    /// The value of every `name` sample, keyed by the value of its label `label`, summed.
    func sum(_ name: String, by label: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for sample in samples where sample.name == name {
            result[sample.labels[label] ?? "", default: 0] += sample.value
        }
        return result
    }

    private static func sample(_ line: String) -> Sample? {
        let line = line.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        var labels: [String: String] = [:]
        let name: Substring
        let rest: Substring
        if let open = line.firstIndex(of: "{") {
            name = line[..<open]
            guard let close = line.lastIndex(of: "}") else { return nil }
            labels = Self.labels(line[line.index(after: open)..<close])
            rest = line[line.index(after: close)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = line[..<space]
            rest = line[space...]
        }
        guard let valueText = rest.split(separator: " ").first, let value = Double(valueText) else { return nil }
        return Sample(name: String(name), labels: labels, value: value)
    }

    /// `a="x",b="y"`, with `\"`, `\\` and `\n` escapes in values.
    private static func labels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var index = text.startIndex
        while index < text.endIndex {
            guard let equals = text[index...].firstIndex(of: "=") else { break }
            let key = text[index..<equals].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            var cursor = text.index(after: equals)
            guard cursor < text.endIndex, text[cursor] == "\"" else { break }
            cursor = text.index(after: cursor)
            var value = ""
            while cursor < text.endIndex, text[cursor] != "\"" {
                if text[cursor] == "\\", text.index(after: cursor) < text.endIndex {
                    cursor = text.index(after: cursor)
                    value.append(text[cursor] == "n" ? "\n" : text[cursor])
                } else {
                    value.append(text[cursor])
                }
                cursor = text.index(after: cursor)
            }
            labels[key] = value
            index = cursor < text.endIndex ? text.index(after: cursor) : cursor
        }
        return labels
    }
}

/// A `/metrics` page could not be read.
struct MetricsScrapeError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
