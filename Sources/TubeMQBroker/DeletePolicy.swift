import Foundation

/// Parses TubeMQ's retention policy `delete,<N>[s|m|h]` (a bare number means hours).
enum DeletePolicy {
    /// The retention in seconds, or `nil` when the text is not a valid policy.
    static func retentionSeconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts[0].lowercased() == "delete", let last = parts[1].last else { return nil }
        let unit: Int64
        var digits = parts[1]
        switch last {
        case "s", "S": unit = 1; digits.removeLast()
        case "m", "M": unit = 60; digits.removeLast()
        case "h", "H": unit = 3600; digits.removeLast()
        default: unit = 3600
        }
        guard let value = Int64(digits), value > 0 else { return nil }
        return value * unit
    }
}
