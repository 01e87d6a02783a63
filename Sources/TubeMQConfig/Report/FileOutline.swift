/// The shape of a loaded ini file: which sections and keys it held and where, without the values.
///
/// A configuration keeps it to report, once at start-up, the keys it read but does not act on, and to
/// give line numbers in validation errors.
public struct FileOutline: Sendable, Hashable {
    /// A section header as it occurred in the file.
    public struct Section: Sendable, Hashable {
        /// The section name.
        public var name: String
        /// The 1-based line of its first header.
        public var line: Int

        /// Creates a section occurrence.
        public init(name: String, line: Int) {
            self.name = name
            self.line = line
        }
    }

    /// The file the outline was taken from, if known.
    public var source: String?
    /// The sections in order of first appearance.
    public var sections: [Section] = []
    /// Every distinct key, with its effective (last) occurrence, in file order.
    public var keys: [KeyOccurrence] = []

    /// An empty outline, for a configuration built in code.
    public init() {}

    /// The outline of `ini`.
    public init(_ ini: IniFile) {
        source = ini.source
        for section in ini.sections {
            sections.append(Section(name: section.name, line: section.line))
            for entry in section.effectiveEntries {
                let key = ConfigKey(section: section.name, name: entry.key)
                keys.append(KeyOccurrence(key: key, line: entry.line, isBlank: entry.value.isEmpty))
            }
        }
    }

    /// The line of `key`, or of its section's header, if the file held them.
    public func line(of key: ConfigKey) -> Int? {
        keys.first { $0.key == key }?.line ?? sections.first { $0.name == key.section }?.line
    }

    /// An error about `key`, located in this file.
    func error(_ code: ConfigError.Code, _ message: String, _ key: ConfigKey) -> ConfigError {
        ConfigError(code, message, section: key.section, key: key.name, line: line(of: key), source: source)
    }
}
