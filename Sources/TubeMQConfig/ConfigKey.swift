/// A key in a named section of an ini file, such as `[master] port`.
///
/// Section and key names are case-sensitive, as ini4j treats them.
public struct ConfigKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The section name, without brackets (`master`, `tlsSetting`).
    public var section: String
    /// The key name (`port`).
    public var name: String

    /// Creates a key.
    public init(section: String, name: String) {
        self.section = section
        self.name = name
    }

    /// Orders by section, then by key name.
    public static func < (lhs: ConfigKey, rhs: ConfigKey) -> Bool {
        (lhs.section, lhs.name) < (rhs.section, rhs.name)
    }

    /// `[section] name`.
    public var description: String { "[\(section)] \(name)" }
}

/// A key as it occurred in a loaded file: where it was, and whether its value was blank.
public struct KeyOccurrence: Sendable, Hashable {
    /// The section and key name.
    public var key: ConfigKey
    /// The 1-based line of the key's last (effective) occurrence.
    public var line: Int
    /// Whether the effective value was blank; a blank value counts as absent.
    public var isBlank: Bool

    /// Creates an occurrence.
    public init(key: ConfigKey, line: Int, isBlank: Bool) {
        self.key = key
        self.line = line
        self.isBlank = isBlank
    }
}

extension Set where Element == ConfigKey {
    /// Builds a set of keys that all live in `section`.
    static func keys(_ names: [String], in section: String) -> Set<ConfigKey> {
        Set(names.map { ConfigKey(section: section, name: $0) })
    }
}
