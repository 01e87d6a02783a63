/// A JSON value whose objects keep their keys in the order they were written.
///
/// The TubeMQ webapis build their bodies field by field in a fixed order (admin-api.md §3), and
/// admin scripts compare the text, so the order is part of the contract; `JSONEncoder` does not keep
/// it. Strings are escaped as JSON requires (the Java server inserts them raw).
package indirect enum JSON: Sendable, Hashable {
    /// A string.
    case string(String)
    /// An integer.
    case number(Int64)
    /// `true` or `false`.
    case bool(Bool)
    /// An array.
    case array([JSON])
    /// An object with ordered keys.
    case object(JSONObject)

    /// An integer from any fixed-width integer.
    package static func int(_ value: some BinaryInteger) -> JSON { .number(Int64(value)) }

    /// The compact JSON text.
    package var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    /// Appends the compact JSON text to `out`.
    package func write(into out: inout String) {
        switch self {
        case .string(let value): Self.writeString(value, into: &out)
        case .number(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let object): object.write(into: &out)
        }
    }

    static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A JSON object whose keys keep their insertion order.
package struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The fields, in order.
    package private(set) var fields: [Field]

    /// One key and its value.
    package struct Field: Sendable, Hashable {
        /// The key.
        package var key: String
        /// The value.
        package var value: JSON
    }

    /// An empty object.
    package init() { fields = [] }

    /// An object with the given fields, in literal order.
    package init(dictionaryLiteral elements: (String, JSON)...) {
        fields = elements.map { Field(key: $0.0, value: $0.1) }
    }

    /// Appends a field (after the existing ones).
    package mutating func append(_ key: String, _ value: JSON) {
        fields.append(Field(key: key, value: value))
    }

    /// Appends every field of `other`.
    package mutating func append(contentsOf other: JSONObject) {
        fields.append(contentsOf: other.fields)
    }

    /// The value of the first field named `key`.
    package subscript(key: String) -> JSON? { fields.first { $0.key == key }?.value }

    /// The compact JSON text.
    package var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        out += "{"
        for (index, field) in fields.enumerated() {
            if index > 0 { out += "," }
            JSON.writeString(field.key, into: &out)
            out += ":"
            field.value.write(into: &out)
        }
        out += "}"
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int64) { self = .number(value) }
    package init(arrayLiteral elements: JSON...) { self = .array(elements) }
}
