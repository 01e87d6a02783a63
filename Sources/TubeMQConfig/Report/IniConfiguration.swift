/// A configuration loaded from an ini file that can tell, once at start-up, which of the file's keys
/// have no effect: TubeMQ keys this implementation reads but does not act on ("ignored"), keys no
/// TubeMQ version knows ("unknown", often typos), and sections this component does not read.
///
/// ``MasterINI`` and ``BrokerINI`` conform. In a merged master + broker file, each ignores the
/// other component's sections silently.
public protocol IniConfiguration: Sendable {
    /// Every key that TubeMQ (or our additions) defines for this component's sections.
    static var knownKeys: Set<ConfigKey> { get }
    /// The known keys that this implementation acts on; the rest are reported as ignored.
    static var supportedKeys: Set<ConfigKey> { get }
    /// Sections that belong to the other component, skipped silently (merged files).
    static var otherComponentSections: Set<String> { get }
    /// The sections and keys of the loaded file.
    var fileOutline: FileOutline { get }
    /// Warnings recorded while loading (unparseable values, clamps, deprecated sections).
    var loadWarnings: [ConfigWarning] { get }
}

extension IniConfiguration {
    /// The known keys set to a non-blank value in the file that are not in `supportedKeys`, in file order.
    ///
    /// - Parameter supportedKeys: the keys the caller acts on; defaults to ``supportedKeys``.
    public func ignoredKeys(supportedKeys: Set<ConfigKey> = Self.supportedKeys) -> [ConfigKey] {
        fileOutline.keys.compactMap { occurrence in
            let key = occurrence.key
            guard !occurrence.isBlank, Self.knownKeys.contains(key), !supportedKeys.contains(key) else { return nil }
            return key
        }
    }

    /// Everything to log once at start-up: ``loadWarnings``, then for each non-blank key in file order an
    /// ``ConfigWarning/Kind/ignoredKey`` or ``ConfigWarning/Kind/unknownKey`` warning (the latter naming
    /// the closest known key), and an ``ConfigWarning/Kind/unknownSection`` warning per unread section.
    ///
    /// - Parameter supportedKeys: the keys the caller acts on; defaults to ``supportedKeys``.
    public func startupWarnings(supportedKeys: Set<ConfigKey> = Self.supportedKeys) -> [ConfigWarning] {
        // A value adjusted into range is not worth a note when the key has no effect anyway: the two
        // notes ("using 1000", then "no effect") contradicted each other.
        var warnings = loadWarnings.filter { warning in
            guard warning.kind == .adjustedValue, let key = warning.key else { return true }
            let configKey = ConfigKey(section: warning.section, name: key)
            return !Self.knownKeys.contains(configKey) || supportedKeys.contains(configKey)
        }
        let knownSections = Set(Self.knownKeys.map(\.section))
        for section in fileOutline.sections
        where !knownSections.contains(section.name) && !Self.otherComponentSections.contains(section.name) {
            warnings.append(
                ConfigWarning(
                    .unknownSection,
                    section: section.name,
                    line: section.line,
                    message: "section is not read by this component; its keys have no effect"
                )
            )
        }
        for occurrence in fileOutline.keys where !occurrence.isBlank {
            let key = occurrence.key
            guard knownSections.contains(key.section) else { continue }
            if !Self.knownKeys.contains(key) {
                let names = Self.knownKeys.filter { $0.section == key.section }.map(\.name).sorted()
                var message = "not a TubeMQ key of this section; it has no effect"
                if let close = KeySuggestion.closest(to: key.name, among: names) {
                    message += " (did you mean \(close)?)"
                }
                warnings.append(
                    ConfigWarning(
                        .unknownKey,
                        section: key.section,
                        key: key.name,
                        line: occurrence.line,
                        message: message
                    )
                )
            } else if !supportedKeys.contains(key) {
                warnings.append(
                    ConfigWarning(
                        .ignoredKey,
                        section: key.section,
                        key: key.name,
                        line: occurrence.line,
                        message: Self.ignoredReason(key.section, key: key.name)
                    )
                )
            }
        }
        return warnings
    }

    /// Why a known key has no effect.
    static func ignoredReason(_ section: String, key: String) -> String {
        if section == "master", key == "webResourcePath" {
            // TubeMQ's loader requires it, so a master.ini must keep it; the console is in the binary.
            return "required, as in TubeMQ, but not used: the console is built into this binary"
        }
        switch section {
        case "meta_zookeeper", "meta_bdb", "replication", "bdbStore":
            return "read but ignored: this master keeps its metadata in an embedded store under [master] metaDataPath"
        default:
            return "read but not acted on by this implementation; the value has no effect"
        }
    }
}
