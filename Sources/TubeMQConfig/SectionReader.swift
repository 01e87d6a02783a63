/// Typed reads from one ini section with TubeMQ's rules: a blank value is absent, numbers parse as Java
/// does, and booleans are `true` or `false` (stricter than Java's `parseBoolean`).
///
/// Lenient reads (``int(_:default:)``, ``long(_:default:)``) record a ``ConfigWarning`` in ``warnings``
/// instead of failing; strict reads throw ``ConfigError``. A reader for an absent section behaves as if
/// every key were absent.
public struct SectionReader: Sendable {
    /// The section name.
    public let name: String
    /// The section, or `nil` if the file has no such header.
    public let section: IniFile.Section?
    /// The file name for error messages.
    public let source: String?
    /// Warnings recorded by lenient reads and clamps, in the order they happened.
    public private(set) var warnings: [ConfigWarning] = []
    /// The keys this section defines: a missing key's error never suggests one of them as its
    /// misspelling (`hostName` was offered for a missing `visitName`).
    public var ownKeys: Set<String> = []

    /// Creates a reader for the section `name` of `ini` (which may lack it).
    public init(_ ini: IniFile, section name: String) {
        self.name = name
        self.section = ini[section: name]
        self.source = ini.source
    }

    /// Whether the section exists and has at least one key.
    public var hasKeys: Bool { !(section?.entries.isEmpty ?? true) }

    /// The line of `key`'s effective occurrence, if it occurs.
    public func line(of key: String) -> Int? { section?.entry(key)?.line }

    /// The value of `key`, or `nil` if it is absent or blank.
    public func string(_ key: String) -> String? {
        guard let value = section?.value(key), !value.isEmpty else { return nil }
        return value
    }

    /// The value of `key`, or `defaultValue` if it is absent or blank.
    public func string(_ key: String, default defaultValue: String) -> String {
        string(key) ?? defaultValue
    }

    /// The value of a required key.
    ///
    /// - Throws: ``ConfigError`` ``ConfigError/Code/missingKey`` (with the closest key present as
    ///   ``ConfigError/suggestion``) if the key does not occur, ``ConfigError/Code/blankValue`` if it is blank.
    public func requiredString(_ key: String, neededBy cause: String? = nil) throws(ConfigError) -> String {
        guard let entry = section?.entry(key) else { throw missing(key, neededBy: cause) }
        guard !entry.value.isEmpty else {
            throw error(.blankValue, "Blank value for \(key)", key)
        }
        return entry.value
    }

    /// `key`'s value as a boolean (`true` or `false` in any letter case), or `nil` if it is absent or blank.
    ///
    /// Java's `parseBoolean` reads any other value as false, so `tlsEnable=ture` or
    /// `startConsumeAuthenticate=yes` silently turns security off there; here it fails the start.
    /// - Throws: ``ConfigError`` ``ConfigError/Code/unparseableValue`` for any other value.
    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw error(
                .unparseableValue,
                "Translate key(\(key))'s value \(text) to boolean failure: use true or false!",
                key
            )
        }
    }

    /// `key`'s value as a boolean, or `defaultValue` if it is absent or blank.
    ///
    /// - Throws: ``ConfigError`` ``ConfigError/Code/unparseableValue`` for a value other than `true` or `false`.
    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        try bool(key) ?? defaultValue
    }

    /// An `int` value, or `defaultValue` if blank; an unparseable value also gives `defaultValue` and
    /// records an ``ConfigWarning/Kind/unparseableValue`` warning (Java's `getInt(section, key, default)`).
    public mutating func int(_ key: String, default defaultValue: Int) -> Int {
        lenient(key, defaultValue, "int", JavaValueParsing.parseInt)
    }

    /// A `long` value with the same rules as ``int(_:default:)``.
    public mutating func long(_ key: String, default defaultValue: Int64) -> Int64 {
        lenient(key, defaultValue, "long", JavaValueParsing.parseLong)
    }

    /// An `int` value, or `nil` if blank (the Java loaders' `if (isNotBlank) getInt(section, key)`).
    ///
    /// - Throws: ``ConfigError`` ``ConfigError/Code/unparseableValue`` if the value is not an `int`.
    public func int(_ key: String) throws(ConfigError) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = JavaValueParsing.parseInt(text) else { throw unparseable(key, text, "int") }
        return value
    }

    /// A `long` value, or `nil` if blank.
    ///
    /// - Throws: ``ConfigError`` ``ConfigError/Code/unparseableValue`` if the value is not a `long`.
    public func long(_ key: String) throws(ConfigError) -> Int64? {
        guard let text = string(key) else { return nil }
        guard let value = JavaValueParsing.parseLong(text) else { throw unparseable(key, text, "long") }
        return value
    }

    /// A required `int` (Java's `getInt(section, key)` without default).
    ///
    /// - Throws: ``ConfigError`` ``ConfigError/Code/missingKey`` (with a suggestion) if absent,
    ///   ``ConfigError/Code/blankValue`` ("Blank value for <key>") if blank,
    ///   ``ConfigError/Code/unparseableValue`` if not an `int`.
    public func requiredInt(_ key: String) throws(ConfigError) -> Int {
        let text = try requiredString(key)
        guard let value = JavaValueParsing.parseInt(text) else { throw unparseable(key, text, "int") }
        return value
    }

    /// A required `long`, with the same rules as ``requiredInt(_:)``.
    ///
    /// - Throws: as ``requiredInt(_:)``.
    public func requiredLong(_ key: String) throws(ConfigError) -> Int64 {
        let text = try requiredString(key)
        guard let value = JavaValueParsing.parseLong(text) else { throw unparseable(key, text, "long") }
        return value
    }

    /// Clamps `value` into `range`, recording an ``ConfigWarning/Kind/adjustedValue`` warning if it moved.
    public mutating func clamp<T: Comparable & Sendable>(_ key: String, _ value: T, to range: ClosedRange<T>) -> T {
        let clamped = min(max(value, range.lowerBound), range.upperBound)
        if clamped != value {
            warnings.append(
                ConfigWarning(
                    .adjustedValue,
                    section: name,
                    key: key,
                    line: line(of: key),
                    message: "\(value) is outside \(range.lowerBound)...\(range.upperBound); using \(clamped)"
                )
            )
        }
        return clamped
    }

    /// Raises `value` to at least `minimum`, recording a warning if it moved.
    public mutating func atLeast<T: Comparable & Sendable>(_ key: String, _ value: T, _ minimum: T) -> T {
        let raised = max(value, minimum)
        if raised != value {
            warnings.append(
                ConfigWarning(
                    .adjustedValue,
                    section: name,
                    key: key,
                    line: line(of: key),
                    message: "\(value) is below the minimum \(minimum); using \(minimum)"
                )
            )
        }
        return raised
    }

    /// Lowers `value` to at most `maximum`, recording a warning if it moved.
    public mutating func atMost<T: Comparable & Sendable>(_ key: String, _ value: T, _ maximum: T) -> T {
        let lowered = min(value, maximum)
        if lowered != value {
            warnings.append(
                ConfigWarning(
                    .adjustedValue,
                    section: name,
                    key: key,
                    line: line(of: key),
                    message: "\(value) is above the maximum \(maximum); using \(maximum)"
                )
            )
        }
        return lowered
    }

    /// Records a warning about this section.
    public mutating func warn(_ kind: ConfigWarning.Kind, _ key: String?, _ message: String) {
        warnings.append(ConfigWarning(kind, section: name, key: key, line: key.flatMap(line(of:)), message: message))
    }

    /// An error located at `key` in this section.
    public func error(_ code: ConfigError.Code, _ message: String, _ key: String? = nil) -> ConfigError {
        ConfigError(
            code,
            message,
            section: name,
            key: key,
            line: key.flatMap(line(of:)) ?? section?.line,
            source: source
        )
    }

    /// The error for an absent required key, naming the closest key present if there is one (keys the
    /// section defines for themselves, ``ownKeys``, are never taken for a misspelling). With `cause`,
    /// the key that makes it required, the error says so and points at that key's line.
    func missing(_ key: String, neededBy cause: String? = nil) -> ConfigError {
        let candidates = (section?.keys ?? []).filter { !ownKeys.contains($0) }
        let suggestion = KeySuggestion.closest(to: key, among: candidates)
        var message = "Config item \(key) is required in section [\(name)]"
        if let cause { message += " when \(cause) is true" }
        if let suggestion { message += " (a similar item \"\(suggestion)\" was found; is it misspelled?)" }
        let line = cause.flatMap(line(of:)) ?? section?.line
        var failure = ConfigError(.missingKey, message, section: name, key: key, line: line, source: source)
        failure.suggestion = suggestion
        return failure
    }

    private func unparseable(_ key: String, _ text: String, _ type: String) -> ConfigError {
        error(.unparseableValue, "Translate key(\(key))'s value \(text) to \(type) failure!\(hint(text))", key)
    }

    private mutating func lenient<T>(_ key: String, _ fallback: T, _ type: String, _ parse: (String) -> T?) -> T {
        guard let text = string(key) else { return fallback }
        if let value = parse(text) { return value }
        warn(
            .unparseableValue,
            key,
            "\(type) value \"\(text)\" cannot be parsed; using the default \(fallback)\(hint(text))"
        )
        return fallback
    }

    /// A note for values that look like they carry a trailing comment, which ini4j keeps in the value.
    private func hint(_ text: String) -> String {
        text.contains(";") || text.contains("#") ? " (ini files have no trailing comments)" : ""
    }
}
