/// Parsing and normalisation of a topic's retention policy (`deletePolicy`, admin-api.md §4.2).
public enum DeletePolicy {
    /// The longest retention the master accepts: 168 hours, in seconds.
    public static let maxSeconds: Int64 = 168 * 3600

    /// Normalises `text` to `delete,<N><unit>`.
    ///
    /// Accepts `delete,<N>[s|m|h]` with the method in any case; a bare number means hours. The
    /// duration must be above 0 and at most 168 h.
    /// - Throws: ``MasterError`` with code ``MasterError/Code/illegalValue`` (407) when malformed.
    public static func normalize(_ text: String) throws(MasterError) -> String {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingSpaces() }
        guard parts.count == 2, parts[0].lowercased() == "delete" else {
            throw illegal(text, "must be delete,<N>[s|m|h]")
        }
        var amount = parts[1]
        var unit: Character = "h"
        if let last = amount.last, "smhSMH".contains(last) {
            unit = Character(last.lowercased())
            amount.removeLast()
        }
        guard let value = Int64(amount), value > 0 else {
            throw illegal(text, "the duration must be a positive number")
        }
        let multiplier: Int64 = unit == "s" ? 1 : (unit == "m" ? 60 : 3600)
        let (seconds, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow, seconds <= maxSeconds else {
            throw illegal(text, "the duration must be at most 168h")
        }
        return "delete,\(value)\(unit)"
    }

    private static func illegal(_ text: String, _ reason: String) -> MasterError {
        MasterError(code: .illegalValue, message: "Illegal deletePolicy \"\(text)\": \(reason)")
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
