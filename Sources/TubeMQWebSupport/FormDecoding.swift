/// Decoding of `application/x-www-form-urlencoded` text: query strings and form POST bodies.
package enum FormDecoding {
    /// The parameters of `text` (`a=1&b=2`), each name mapped to its first value, as a servlet's
    /// `getParameter` sees them: `+` is a space, `%XX` escapes are decoded as UTF-8 (a malformed
    /// escape is kept as written), and a name without `=` has the empty value.
    package static func parameters(_ text: Substring, into values: inout [String: String]) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            let key = decode(name)
            guard !key.isEmpty, values[key] == nil else { continue }
            values[key] = decode(value)
        }
    }

    /// `text` with `+` turned into spaces and `%XX` escapes decoded as UTF-8.
    package static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "+" }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
