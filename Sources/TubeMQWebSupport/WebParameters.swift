/// A parameter failed validation; the webapi answers errCode 400 with ``message``.
package struct WebParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text for `errMsg`.
    package var message: String

    /// Creates an error.
    package init(_ message: String) { self.message = message }

    /// A required parameter is absent or blank (the text of admin-api.md §4 rule 2).
    package static func missing(_ field: WebField) -> WebParameterError {
        WebParameterError("Parameter \(field.long) is missing or value is blank!")
    }

    package var description: String { message }
}

/// The parameters of one webapi request, read with the rules of admin-api.md §4: the long name
/// first, then the short alias; values trimmed and unquoted; blank means absent.
package struct WebParameters: Sendable {
    /// The most items a list parameter may carry.
    package static let maxListItems = 100
    /// The most items `filterConds` takes (admin-api.md §4 rule 3).
    package static let maxFilterItems = 500

    /// The raw values by name (first occurrence of each name).
    package var values: [String: String]

    /// Wraps decoded parameters.
    package init(_ values: [String: String]) { self.values = values }

    /// The cleaned value of `field`, or `nil` when it is absent or blank.
    package func value(_ field: WebField) -> String? {
        let raw = values[field.long] ?? values[field.short]
        guard let raw else { return nil }
        var text = Self.trim(Substring(raw))
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            text = Self.trim(text.dropFirst().dropLast())
        }
        return text.isEmpty ? nil : String(text)
    }

    /// Whether `field` has a non-blank value.
    package func has(_ field: WebField) -> Bool { value(field) != nil }

    /// The value of a text field, checked against its length and rule.
    ///
    /// - Throws: ``WebParameterError`` when required and absent, too long, or breaking its rule.
    package func string(_ field: WebField, required: Bool = false) throws(WebParameterError) -> String? {
        guard let text = value(field) else {
            if required { throw .missing(field) }
            return nil
        }
        try Self.check(text, field)
        return text
    }

    /// The value of a required text field.
    ///
    /// - Throws: ``WebParameterError`` as ``string(_:required:)``.
    package func requiredString(_ field: WebField) throws(WebParameterError) -> String {
        guard let text = try string(field, required: true) else { throw .missing(field) }
        return text
    }

    /// The items of a list field: split on `,`, blanks dropped, each checked, duplicates removed,
    /// sorted. Empty when absent (meaning "all" for queries).
    ///
    /// - Throws: ``WebParameterError`` when required and empty, an item breaks its rule, or there
    ///   are more than ``maxListItems`` items.
    package func list(_ field: WebField, required: Bool = false) throws(WebParameterError) -> [String] {
        guard let text = value(field) else {
            if required { throw .missing(field) }
            return []
        }
        var items = Set<String>()
        for part in text.split(separator: ",") {
            let item = String(Self.trim(part))
            guard !item.isEmpty else { continue }
            try Self.check(item, field)
            items.insert(item)
        }
        if items.isEmpty, required { throw .missing(field) }
        let limit = field == .filterConds ? Self.maxFilterItems : Self.maxListItems
        guard items.count <= limit else {
            throw WebParameterError("Parameter \(field.long)'s item count over max allowed count (\(limit))!")
        }
        return items.sorted()
    }

    /// The items of an integer list field, sorted and without duplicates.
    ///
    /// - Throws: ``WebParameterError`` as ``list(_:required:)``, or for an item that is not an
    ///   integer in `range`.
    package func int32List(
        _ field: WebField,
        required: Bool = false,
        range: ClosedRange<Int64> = 0...Int64(Int32.max)
    ) throws(WebParameterError) -> [Int32] {
        var out = Set<Int32>()
        for item in try list(field, required: required) {
            out.insert(Int32(try Self.integer(item, field, range: range)))
        }
        return out.sorted()
    }

    /// The value of a 32-bit integer field within `range`.
    ///
    /// - Throws: ``WebParameterError`` when required and absent, not an integer, or out of range.
    package func int32(
        _ field: WebField,
        required: Bool = false,
        range: ClosedRange<Int64> = Int64(Int32.min)...Int64(Int32.max)
    ) throws(WebParameterError) -> Int32? {
        guard let text = value(field) else {
            if required { throw .missing(field) }
            return nil
        }
        let clamped = max(range.lowerBound, Int64(Int32.min))...min(range.upperBound, Int64(Int32.max))
        return Int32(try Self.integer(text, field, range: clamped))
    }

    /// The value of a 64-bit integer field within `range`.
    ///
    /// - Throws: ``WebParameterError`` when required and absent, not an integer, or out of range.
    package func int64(
        _ field: WebField,
        required: Bool = false,
        range: ClosedRange<Int64> = Int64.min...Int64.max
    ) throws(WebParameterError) -> Int64? {
        guard let text = value(field) else {
            if required { throw .missing(field) }
            return nil
        }
        return try Self.integer(text, field, range: range)
    }

    /// The value of a boolean field: `true`/`false` in any case, or an integer (0 is false).
    ///
    /// - Throws: ``WebParameterError`` for any other value. The Java server reads it as absent, so
    ///   `isEnable=yes` silently turned a topic's authorisation control off; a setting a typo turns
    ///   into its opposite is refused instead, as a bad boolean in an ini file is.
    package func bool(_ field: WebField) throws(WebParameterError) -> Bool? {
        guard let text = value(field) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            guard let number = Int64(text) else {
                throw WebParameterError("Parameter \(field.long) must be true or false, got \(text)!")
            }
            return number != 0
        }
    }

    /// The value of a required boolean field.
    ///
    /// - Throws: ``WebParameterError`` when absent or unparseable.
    package func requiredBool(_ field: WebField) throws(WebParameterError) -> Bool {
        guard let flag = try bool(field) else { throw .missing(field) }
        return flag
    }

    /// The value of a date field (`yyyyMMddHHmmss`, local time) in ms since the epoch.
    ///
    /// - Throws: ``WebParameterError`` when required and absent, or malformed.
    package func date(_ field: WebField, required: Bool = false) throws(WebParameterError) -> Int64? {
        guard let text = value(field) else {
            if required { throw .missing(field) }
            return nil
        }
        guard let millis = WebDate.parse(text) else {
            throw WebParameterError("Parameter \(field.long) value \(text) must be a date as yyyyMMddHHmmss!")
        }
        return millis
    }

    // MARK: helpers

    static func trim(_ text: Substring) -> Substring {
        var slice = text
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }

    static func check(_ text: String, _ field: WebField) throws(WebParameterError) {
        if let limit = field.maxLength, text.count > limit {
            throw WebParameterError("Parameter \(field.long)'s length over max allowed length (\(limit))!")
        }
        guard field.rule.accepts(text) else {
            throw WebParameterError("Parameter \(field.long) value \(text) \(field.rule.explanation)!")
        }
    }

    static func integer(
        _ text: String,
        _ field: WebField,
        range: ClosedRange<Int64>
    ) throws(WebParameterError)
        -> Int64
    {
        let signOrDigit = text.first.map { $0 == "-" || ("0"..."9").contains($0) } ?? false
        guard signOrDigit, let number = Int64(text) else {
            throw WebParameterError("Parameter \(field.long) value \(text) must be an integer!")
        }
        guard number >= range.lowerBound else {
            throw WebParameterError("Parameter \(field.long) value must be >= \(range.lowerBound)!")
        }
        guard number <= range.upperBound else {
            throw WebParameterError("Parameter \(field.long) value must be <= \(range.upperBound)!")
        }
        return number
    }
}
