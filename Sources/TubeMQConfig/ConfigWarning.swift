/// Something in a configuration file that does not stop start-up but that an operator should see once:
/// a key we do not act on, a typo'd key, a value that could not be parsed or was clamped.
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    /// What kind of warning. Extensible: compare against the static members.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// A TubeMQ key that we read but do not act on (yet); its value has no effect.
        public static let ignoredKey = Kind(name: "ignoredKey")
        /// A key that no TubeMQ version reads in this section (Java ignores it too); often a typo.
        public static let unknownKey = Kind(name: "unknownKey")
        /// A section that this component does not read.
        public static let unknownSection = Kind(name: "unknownSection")
        /// A numeric value that could not be parsed; the default was used instead.
        public static let unparseableValue = Kind(name: "unparseableValue")
        /// A value outside its allowed range was clamped, as the Java loader does.
        public static let adjustedValue = Kind(name: "adjustedValue")
        /// A legacy section name (`[replication]`, `[bdbStore]`) that still works but is deprecated.
        public static let deprecatedSection = Kind(name: "deprecatedSection")
        public var description: String { name }
    }

    /// The kind of warning.
    public var kind: Kind
    /// The section concerned.
    public var section: String
    /// The key concerned, or `nil` for a whole section.
    public var key: String?
    /// The 1-based line in the file, if known.
    public var line: Int?
    /// A human-readable explanation.
    public var message: String

    /// Creates a warning.
    public init(_ kind: Kind, section: String, key: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.section = section
        self.key = key
        self.line = line
        self.message = message
    }

    /// The section and key as a ``ConfigKey``, or `nil` for a section-level warning.
    public var configKey: ConfigKey? { key.map { ConfigKey(section: section, name: $0) } }

    /// `line N: [section] key: message`.
    public var description: String {
        var text = line.map { "line \($0): " } ?? ""
        text += "[\(section)]"
        if let key { text += " \(key)" }
        return "\(text): \(message)"
    }
}
