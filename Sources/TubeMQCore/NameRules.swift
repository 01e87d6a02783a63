/// TubeMQ's rules for topic and consumer-group names (admin-api.md §4, `RegexDef`): checked by the
/// client before it calls anyone and by the master on every registration.
public enum NameRules {
    /// The longest topic name (`META_MAX_TOPICNAME_LENGTH`).
    public static let maxTopicLength = 64
    /// The longest group name (`META_MAX_GROUPNAME_LENGTH`).
    public static let maxGroupLength = 1024
    /// The internal topic TubeMQ accepts despite its leading underscores.
    public static let offsetHistoryTopic = "__offset_history__"

    /// Why `name` is not a valid topic name (`^[a-zA-Z]\w+$`, at most 64 characters), or `nil`.
    public static func topicProblem(_ name: String) -> String? {
        if name == offsetHistoryTopic { return nil }
        guard !name.isEmpty else { return "the topic name is blank" }
        guard name.utf8.count <= maxTopicLength else {
            return "topic name \"\(name.prefix(64))…\" is longer than \(maxTopicLength) characters"
        }
        guard matches(name, allowHyphen: false) else {
            return "illegal topic name \"\(name)\": it must start with a letter, be at least 2 characters long "
                + "and hold only letters, digits and '_'"
        }
        return nil
    }

    /// Why `name` is not a valid group name (`^[a-zA-Z][\w-]+$`, at most 1024 characters), or `nil`.
    public static func groupProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "the group name is blank" }
        guard name.utf8.count <= maxGroupLength else {
            return "group name \"\(name.prefix(64))…\" is longer than \(maxGroupLength) characters"
        }
        guard matches(name, allowHyphen: true) else {
            return "illegal group name \"\(name)\": it must start with a letter, be at least 2 characters long "
                + "and hold only letters, digits, '_' and '-'"
        }
        return nil
    }

    /// The longest client id: twice TubeMQ's `META_MAX_CLIENT_ID_LENGTH` (1024), because a consumer's
    /// id is its group name (up to 1024 characters) and some 60 more, and a valid group must be able
    /// to consume.
    public static let maxClientIDLength = 2048
    /// The longest client host name (`META_MAX_CLIENT_HOSTNAME_LENGTH`).
    public static let maxHostNameLength = 256

    /// Why a registration's client id or host name is refused: longer than TubeMQ allows (a 5 MiB
    /// id was kept and logged whole), or `nil`.
    public static func clientProblem(clientID: String, hostName: String) -> String? {
        guard clientID.utf8.count <= maxClientIDLength else {
            return "clientId \"\(clientID.prefix(64))…\" is longer than \(maxClientIDLength) characters"
        }
        guard hostName.utf8.count <= maxHostNameLength else {
            return "hostName \"\(hostName.prefix(64))…\" is longer than \(maxHostNameLength) characters"
        }
        return nil
    }

    /// The most filter items a consumer may give for one topic (`MAX_FILTER_ITEM_COUNT`).
    public static let maxFilterItems = 500
    /// The longest filter item (`META_MAX_FILTER_ITEM_LENGTH`).
    public static let maxFilterItemLength = 256

    /// Why `items` are not valid filter items of one topic (each `^[_A-Za-z0-9\-]+$`, at most 256
    /// characters, at most 500 of them), or `nil`. The broker compares a message's type with each item
    /// whole, so an item such as `A,B` (meant as two) or a blank one would match nothing, or everything.
    public static func filterProblem(_ items: Set<String>) -> String? {
        guard items.count <= maxFilterItems else {
            return "\(items.count) filter items given; at most \(maxFilterItems) are allowed"
        }
        for item in items.sorted() {
            guard !item.isEmpty else { return "a filter item is blank" }
            guard item.utf8.count <= maxFilterItemLength else {
                return "filter item \"\(item.prefix(32))…\" is longer than \(maxFilterItemLength) characters"
            }
            let legal = item.utf8.allSatisfy {
                isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
            guard legal else {
                return
                    "illegal filter item \"\(item)\": only letters, digits, '_' and '-' (give several items separately)"
            }
        }
        return nil
    }

    private static func matches(_ name: String, allowHyphen: Bool) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 2, isLetter(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy {
            isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || (allowHyphen && $0 == UInt8(ascii: "-"))
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
