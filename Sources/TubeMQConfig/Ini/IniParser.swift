/// The ini4j line rules, applied to a whole text.
///
/// - Lines end at `\n`, `\r\n` or `\r`; each line is trimmed; a leading UTF-8 BOM is dropped.
/// - Blank lines are skipped. A line whose first character is `;` or `#` is a comment; there are no
///   trailing comments (`port=8715 ; x` has the value `8715 ; x`), as in ini4j.
/// - A line ending in an odd number of `\` continues on the next line (the `\` is dropped).
/// - `[name]` opens a section; a header without `]` or with an empty name is an error.
/// - Otherwise the line is `key=value` or `key: value`: it splits at the first unescaped `=` or `:`.
///   A line without one, with an empty key, or before any section header is an error.
/// - Keys and values are unescaped (`\\`, `\t`, `\n`, `\f`, `\uXXXX`; any other `\c` is `c`) and trimmed.
enum IniParser {
    /// Parses `text`.
    ///
    /// - Throws: ``ConfigError`` with code ``ConfigError/Code/syntax`` and the line, for the first bad line.
    static func parse(_ text: String, source: String?) throws(ConfigError) -> IniFile {
        var ini = IniFile(source: source)
        var current: Int?
        var pending = ""
        var pendingLine = 0

        func fail(_ message: String, _ line: Int) -> ConfigError {
            ConfigError(.syntax, message, line: line, source: source)
        }

        for (offset, rawLine) in lines(of: text).enumerated() {
            let lineNumber = offset + 1
            let line = javaTrim(rawLine)
            if line.isEmpty { continue }
            if pending.isEmpty, line.first == ";" || line.first == "#" { continue }
            if pending.isEmpty { pendingLine = lineNumber }
            if trailingBackslashes(line) % 2 == 1 {
                pending += line.dropLast()
                continue
            }
            let logical = pending + line
            pending = ""
            if logical.first == "[" {
                guard logical.last == "]", logical.count >= 2 else {
                    throw fail("section header must end with ']': \(logical)", pendingLine)
                }
                let name = javaTrim(try unescape(String(logical.dropFirst().dropLast()), pendingLine, source))
                guard !name.isEmpty else { throw fail("empty section name: \(logical)", pendingLine) }
                current = ini.openSection(name, line: pendingLine)
                continue
            }
            guard let sectionIndex = current else {
                throw fail("key outside of any [section]: \(logical)", pendingLine)
            }
            guard let split = operatorIndex(in: logical) else {
                throw fail("expected 'key=value' or 'key: value': \(logical)", pendingLine)
            }
            let key = javaTrim(try unescape(String(logical[..<split]), pendingLine, source))
            let value = javaTrim(try unescape(String(logical[logical.index(after: split)...]), pendingLine, source))
            guard !key.isEmpty else { throw fail("empty key: \(logical)", pendingLine) }
            ini.add(IniFile.Entry(key: key, value: value, line: pendingLine), toSectionAt: sectionIndex)
        }
        if !pending.isEmpty {
            throw fail("line continuation '\\' at end of file", pendingLine)
        }
        return ini
    }

    /// Splits at `\n`, `\r\n` and `\r`, as `java.io.LineNumberReader` does; drops a leading BOM.
    static func lines(of text: String) -> [Substring] {
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
        // Swift treats "\r\n" as one Character, so splitting on Characters handles all three endings.
        return body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    }

    /// Java's `String.trim`: drops leading and trailing characters at or below U+0020.
    static func javaTrim<S: StringProtocol>(_ text: S) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { $0.value > 0x20 }),
            let end = scalars.lastIndex(where: { $0.value > 0x20 })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }

    /// The number of `\` at the end of `line`.
    static func trailingBackslashes(_ line: String) -> Int {
        var count = 0
        for character in line.reversed() {
            guard character == "\\" else { break }
            count += 1
        }
        return count
    }

    /// The first `=` or `:` that is not preceded by `\`.
    static func operatorIndex(in line: String) -> String.Index? {
        var previous: Character?
        for index in line.indices {
            let character = line[index]
            if (character == "=" || character == ":") && previous != "\\" { return index }
            previous = character
        }
        return nil
    }

    /// ini4j's escape rules: `\\`, `\t`, `\n`, `\f`, `\uXXXX`; any other escaped character stands for itself.
    ///
    /// - Throws: ``ConfigError`` (``ConfigError/Code/syntax``) for a malformed `\u` escape.
    static func unescape(_ text: String, _ line: Int, _ source: String?) throws(ConfigError) -> String {
        guard text.contains("\\") else { return text }
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\" else {
                output.append(scalar)
                continue
            }
            guard let escaped = scalars.next() else {
                output.append(scalar)
                break
            }
            switch escaped {
            case "t": output.append("\t")
            case "n": output.append("\n")
            case "f": output.append("\u{0C}")
            case "u":
                var hex = ""
                for _ in 0..<4 { if let digit = scalars.next() { hex.unicodeScalars.append(digit) } }
                guard hex.count == 4, let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
                    throw ConfigError(.syntax, "malformed \\uxxxx escape in: \(text)", line: line, source: source)
                }
                output.append(decoded)
            default: output.append(escaped)
            }
        }
        return String(output)
    }
}

extension IniFile {
    /// Parses ini text with ini4j's rules (see the type's documentation).
    ///
    /// - Parameter source: a name for the text (a path) used in error messages.
    /// - Throws: ``ConfigError`` with code ``ConfigError/Code/syntax`` and the line, for the first malformed line.
    public init(parsing text: String, source: String? = nil) throws(ConfigError) {
        self = try IniParser.parse(text, source: source)
    }
}
