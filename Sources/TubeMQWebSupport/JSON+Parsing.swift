/// A JSON text could not be parsed.
package struct JSONParseError: Error, Sendable, Hashable {
    /// What was wrong, and where (a byte offset).
    package var message: String
}

extension JSON {
    /// Parses a JSON text, keeping object keys in order. Numbers must be integers; `null` is
    /// read as the empty string.
    ///
    /// - Throws: ``JSONParseError`` for malformed text, a fractional number, or trailing data.
    package static func parse(_ text: String) throws(JSONParseError) -> JSON {
        var parser = JSONParser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.error("trailing data") }
        return value
    }

    /// The object, if this is one.
    package var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The items, if this is an array.
    package var items: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The text, if this is a string.
    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, if this is one.
    package var numberValue: Int64? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The flag, if this is a boolean.
    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ what: String) -> JSONParseError { JSONParseError(message: "\(what) at \(index)") }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// How deep arrays and objects may nest: far beyond any admin document (they nest two or three
    /// levels), and far below what would exhaust the stack of this recursive parser.
    static let maximumDepth = 64
    var depth = 0

    mutating func value() throws(JSONParseError) -> JSON {
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maximumDepth else {
                throw error("arrays and objects nested more than \(Self.maximumDepth) deep")
            }
            depth += 1
            defer { depth -= 1 }
            return bytes[index] == UInt8(ascii: "{") ? .object(try object()) : .array(try array())
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .string("")
        default: return .number(try number())
        }
    }

    mutating func literal(_ word: String) throws(JSONParseError) {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw error("expected \(word)")
        }
        index += expected.count
    }

    mutating func number() throws(JSONParseError) -> Int64 {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard let value = Int64(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            throw error("expected an integer")
        }
        return value
    }

    mutating func string() throws(JSONParseError) -> String {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw error("unterminated escape") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard bytes.count - index >= 4,
                        let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw error("bad \\u escape") }
                    index += 4
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(escaped)
                }
            default: out.append(byte)
            }
        }
        throw error("unterminated string")
    }

    mutating func array() throws(JSONParseError) -> [JSON] {
        index += 1
        var items: [JSON] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return items
        }
        while true {
            items.append(try value())
            skipSpace()
            guard index < bytes.count else { throw error("unterminated array") }
            index += 1
            if bytes[index - 1] == UInt8(ascii: "]") { return items }
            guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("expected , or ]") }
        }
    }

    mutating func object() throws(JSONParseError) -> JSONObject {
        index += 1
        var object = JSONObject()
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return object
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected :") }
            index += 1
            object.append(key, try value())
            skipSpace()
            guard index < bytes.count else { throw error("unterminated object") }
            index += 1
            if bytes[index - 1] == UInt8(ascii: "}") { return object }
            guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("expected , or }") }
        }
    }
}
