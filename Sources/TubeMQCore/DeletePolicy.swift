/// A topic's retention policy as TubeMQ writes it (`deletePolicy`): `delete,<N>[s|m|h]`, the method
/// in any case, a bare number meaning hours (admin-api.md §4.2).
///
/// The one parser of this grammar: the master normalises and bounds what an operator sends, the
/// broker turns the text it is given into a retention time.
public struct DeletePolicy: Sendable, Hashable {
    /// The longest retention the master accepts: 168 hours, in seconds.
    public static let maxSeconds: Int64 = 168 * 3600

    /// Why a text is not a delete policy.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, in words.
        public var reason: String
        public var description: String { reason }
    }

    /// The number of units.
    public var amount: Int64
    /// The unit: `s`, `m` or `h`.
    public var unit: Character

    /// The retention in seconds (saturating).
    public var seconds: Int64 {
        let multiplier: Int64 = unit == "s" ? 1 : (unit == "m" ? 60 : 3600)
        let (seconds, overflow) = amount.multipliedReportingOverflow(by: multiplier)
        return overflow ? .max : seconds
    }

    /// The canonical text, `delete,<N><unit>`.
    public var text: String { "delete,\(amount)\(unit)" }

    /// Parses `text`; spaces and tabs around either part are ignored.
    ///
    /// - Throws: ``ParseError`` when the text is not `delete,<N>[s|m|h]` with N above 0.
    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpacesAndTabs() }
        guard parts.count == 2, parts[0].lowercased() == "delete" else {
            throw ParseError(reason: "must be delete,<N>[s|m|h]")
        }
        var amount = parts[1]
        var unit: Character = "h"
        if let last = amount.last, "smhSMH".contains(last) {
            unit = Character(last.lowercased())
            amount.removeLast()
        }
        guard let value = Int64(amount), value > 0 else {
            throw ParseError(reason: "the duration must be a positive number")
        }
        self.amount = value
        self.unit = unit
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpacesAndTabs() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
