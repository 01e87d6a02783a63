/// Java's text-to-value rules, which decide what TubeMQ accepts in its ini files.
public enum JavaValueParsing {
    /// `Integer.parseInt`: an optional `+` or `-` and decimal digits, within 32 bits; `nil` otherwise.
    public static func parseInt(_ text: String) -> Int? {
        guard isDecimal(text), let value = Int32(text) else { return nil }
        return Int(value)
    }

    /// `Long.parseLong`: an optional `+` or `-` and decimal digits, within 64 bits; `nil` otherwise.
    public static func parseLong(_ text: String) -> Int64? {
        guard isDecimal(text) else { return nil }
        return Int64(text)
    }

    /// `Boolean.parseBoolean`: `true` in any letter case is true; anything else, even `yes` or `1`, is false.
    public static func parseBoolean(_ text: String) -> Bool {
        text.count == 4 && text.lowercased() == "true"
    }

    /// Whether `text` is a sign followed by at least one ASCII digit (what both Java parsers accept).
    private static func isDecimal(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8[...]
        if let first = utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            utf8 = utf8.dropFirst()
        }
        return !utf8.isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
