/// A parsed ini file: named sections of `key=value` entries, as ini4j reads TubeMQ's master.ini and broker.ini.
///
/// Names are case-sensitive. A section header that appears twice opens the same section again, and a
/// key that appears twice keeps every occurrence; lookups return the last one ("last wins"), as ini4j's
/// `Section.get` does. Parse with ``init(parsing:source:)`` or load with ``init(contentsOfFile:)``.
public struct IniFile: Sendable, Hashable {
    /// One `key=value` line.
    public struct Entry: Sendable, Hashable {
        /// The key, unescaped and trimmed.
        public var key: String
        /// The value, unescaped and trimmed; empty for `key=`.
        public var value: String
        /// The 1-based line the entry starts on.
        public var line: Int

        /// Creates an entry.
        public init(key: String, value: String, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// A `[name]` section and its entries in file order.
    public struct Section: Sendable, Hashable {
        /// The section name, without brackets.
        public var name: String
        /// The 1-based line of the section's first header.
        public var line: Int
        /// Every entry in file order, duplicates included.
        public var entries: [Entry]

        /// Creates a section.
        public init(name: String, line: Int, entries: [Entry] = []) {
            self.name = name
            self.line = line
            self.entries = entries
        }

        /// The last entry for `key`, or `nil` if the key does not occur.
        public func entry(_ key: String) -> Entry? {
            entries.last { $0.key == key }
        }

        /// The last value for `key` (possibly empty), or `nil` if the key does not occur.
        public func value(_ key: String) -> String? {
            entry(key)?.value
        }

        /// The distinct keys in order of first occurrence.
        public var keys: [String] {
            var seen = Set<String>()
            return entries.compactMap { seen.insert($0.key).inserted ? $0.key : nil }
        }

        /// The effective (last) entry of each distinct key, in order of first occurrence.
        public var effectiveEntries: [Entry] {
            keys.compactMap { entry($0) }
        }
    }

    /// The sections in order of first appearance.
    public private(set) var sections: [Section]
    /// Where the text came from (a path), used in error messages; `nil` for in-memory text.
    public var source: String?

    /// Creates an ini from sections; sections with the same name are merged.
    public init(sections: [Section] = [], source: String? = nil) {
        self.sections = []
        self.source = source
        for section in sections { append(section) }
    }

    /// The section named `name`, or `nil` if the file has no such header.
    public subscript(section name: String) -> Section? {
        sections.first { $0.name == name }
    }

    /// The names of all sections in order of first appearance.
    public var sectionNames: [String] { sections.map(\.name) }

    /// This file with `other`'s sections added: a section in both gets `other`'s entries after its own,
    /// so `other`'s values win. Use it to read master.ini and broker.ini as one configuration.
    public func merging(_ other: IniFile) -> IniFile {
        var merged = self
        for section in other.sections { merged.append(section) }
        return merged
    }

    /// Adds `section`'s entries to the section of the same name, creating it if needed.
    mutating func append(_ section: Section) {
        if let index = sections.firstIndex(where: { $0.name == section.name }) {
            sections[index].entries.append(contentsOf: section.entries)
        } else {
            sections.append(section)
        }
    }

    /// Opens (or re-opens) a section and returns its index.
    mutating func openSection(_ name: String, line: Int) -> Int {
        if let index = sections.firstIndex(where: { $0.name == name }) { return index }
        sections.append(Section(name: name, line: line))
        return sections.count - 1
    }

    /// Adds an entry to the section at `index`.
    mutating func add(_ entry: Entry, toSectionAt index: Int) {
        sections[index].entries.append(entry)
    }
}
