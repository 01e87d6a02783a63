/// A configuration file that cannot be used: unreadable, malformed, or with a missing or invalid value.
///
/// Loading stops at the first error, as the Java loaders do. ``description`` gives the file, line,
/// section and key where they are known.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem was found. Extensible: compare against the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The file could not be read.
        public static let unreadableFile = Code(name: "unreadableFile")
        /// A line is not a section header, a `key=value` line, a comment or blank.
        public static let syntax = Code(name: "syntax")
        /// A required section is absent.
        public static let missingSection = Code(name: "missingSection")
        /// A section that must hold at least one key is empty.
        public static let emptySection = Code(name: "emptySection")
        /// A required key is absent; ``ConfigError/suggestion`` may name the closest key present.
        public static let missingKey = Code(name: "missingKey")
        /// A required key is present but its value is blank.
        public static let blankValue = Code(name: "blankValue")
        /// A value is not a number where one is needed.
        public static let unparseableValue = Code(name: "unparseableValue")
        /// A value is out of range or malformed (too long, bad address list, bad path).
        public static let invalidValue = Code(name: "invalidValue")
        /// Two settings contradict each other (equal ports, authorize without authenticate, both meta stores).
        public static let conflict = Code(name: "conflict")
        public var description: String { name }
    }

    /// The kind of problem.
    public var code: Code
    /// A human-readable explanation, in the Java loader's words where it has them.
    public var message: String
    /// The section concerned, if any.
    public var section: String?
    /// The key concerned, if any.
    public var key: String?
    /// The 1-based line in the file, if known.
    public var line: Int?
    /// The file the line belongs to, if known.
    public var source: String?
    /// For ``Code/missingKey``: the closest key name present in the section (a likely typo).
    public var suggestion: String?

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        section: String? = nil,
        key: String? = nil,
        line: Int? = nil,
        source: String? = nil,
        suggestion: String? = nil
    ) {
        self.code = code
        self.message = message
        self.section = section
        self.key = key
        self.line = line
        self.source = source
        self.suggestion = suggestion
    }

    /// `file:line: [section] key: message`, leaving out the parts that are unknown.
    public var description: String {
        var prefix = ""
        if let source { prefix += source }
        if let line { prefix += prefix.isEmpty ? "line \(line)" : ":\(line)" }
        if !prefix.isEmpty { prefix += ": " }
        if let section {
            prefix += "[\(section)]"
            prefix += key.map { " \($0): " } ?? ": "
        }
        return "configuration error (\(code)): \(prefix)\(message)"
    }
}
