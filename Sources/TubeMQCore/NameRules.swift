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
        if let problem = lengthProblem("topic name", name, max: maxTopicLength) { return problem }
        guard matches(name, allowHyphen: false) else {
            return "illegal topic name \"\(name)\": it must start with a letter, be at least 2 characters long "
                + "and hold only letters, digits and '_'"
        }
        return nil
    }

    /// Why `name` is not a valid group name (`^[a-zA-Z][\w-]+$`, at most 1024 characters), or `nil`.
    public static func groupProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "the group name is blank" }
        if let problem = lengthProblem("group name", name, max: maxGroupLength) { return problem }
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
        lengthProblem("clientId", clientID, max: maxClientIDLength)
            ?? lengthProblem("hostName", hostName, max: maxHostNameLength)
    }

    /// The most filter items a consumer may give for one topic (`MAX_FILTER_ITEM_COUNT`).
    public static let maxFilterItems = 500
    /// The longest filter item (`META_MAX_FILTER_ITEM_LENGTH`).
    public static let maxFilterItemLength = 256

    /// Why `items` are not valid filter items of one topic for a consumer (not blank, without `,` or
    /// `#`, at most 256 characters, at most 500 of them), or `nil`. The broker compares a message's type
    /// with each item whole, so an item such as `A,B` (meant as two) or a blank one would match nothing,
    /// or everything, and `#` and `,` separate topic and items on the wire. Other characters are the
    /// producer's business (`tubemq produce --type order.created`): only consume control's allowed
    /// items (admin API `filterConds`) keep to TubeMQ's `^[_A-Za-z0-9\-]+$`.
    public static func filterProblem(_ items: Set<String>) -> String? {
        if let problem = filterSizeProblem(items) { return problem }
        for item in items.sorted() {
            guard item.contains(where: { !$0.isWhitespace }) else { return "a filter item is blank" }
            guard !item.utf8.contains(UInt8(ascii: ",")), !item.utf8.contains(UInt8(ascii: "#")) else {
                return "illegal filter item \"\(item)\": no ',' or '#' in an item (give several items separately)"
            }
        }
        return nil
    }

    /// Why a consumer's filter items for one topic are refused by the servers, or `nil`: more than
    /// 500, or one longer than 256 characters (the limits TubeMQ's clients check). The servers do not
    /// check the characters (``filterProblem(_:)`` does, for our own clients and tools), so a message
    /// type an official client filters by is never refused; the limits bound what one registration
    /// makes a server keep (a 1 MB item was kept for as long as its consumer stayed).
    public static func filterSizeProblem(_ items: Set<String>) -> String? {
        guard items.count <= maxFilterItems else {
            return "\(items.count) filter items given; at most \(maxFilterItems) are allowed"
        }
        for item in items {
            if let problem = lengthProblem("filter item", item, max: maxFilterItemLength) { return problem }
        }
        return nil
    }

    /// The most topics one producer may publish to (`META_MAX_BOOKED_TOPIC_COUNT`).
    public static let maxBookedTopics = 1024

    /// Why a producer's topic list is refused by the master, or `nil`: more than 1024 topics, or a name
    /// longer than 64 characters (no topic can have one). The characters are not checked, as an
    /// unknown topic only gets no partitions; the limits bound what a registration makes the master keep.
    public static func bookedTopicsProblem(_ topics: [String]) -> String? {
        guard topics.count <= maxBookedTopics else {
            return "\(topics.count) topics given; a producer may publish to at most \(maxBookedTopics)"
        }
        for topic in topics {
            if let problem = lengthProblem("topic name", topic, max: maxTopicLength) { return problem }
        }
        return nil
    }

    /// The longest bound-consume session key the master keeps (as long as a group name).
    public static let maxSessionKeyLength = 1024

    /// Why `value` (`what`, e.g. "group name") is refused for being longer than `max` UTF-8 bytes, or
    /// `nil`; the text quotes its first 64 characters only.
    public static func lengthProblem(_ what: String, _ value: String, max: Int) -> String? {
        guard value.utf8.count > max else { return nil }
        return "\(what) \"\(value.prefix(64))…\" is longer than \(max) characters"
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
