/// One webapi parameter as `WebFieldDef` defines it (admin-api.md §4): a long name tried first, a
/// short alias tried next, a maximum length and the rule each value must follow.
package struct WebField: Sendable, Hashable {
    /// The rule a value (or each item of a list) must follow.
    package enum Rule: Sendable, Hashable {
        /// Any text.
        case any
        /// `^[a-zA-Z]\w+$`, or `__offset_history__` (topic names).
        case topicName
        /// `^[a-zA-Z][\w-]+$` (group names).
        case groupName
        /// `^[a-zA-Z]\w+$` (createUser, modifyUser).
        case userName
        /// An IPv4 dotted quad.
        case ipv4
        /// `^[_A-Za-z0-9.\-]+$` (consumer ids).
        case consumerID
        /// `^[_A-Za-z0-9\-]+$` (filter items).
        case filterItem
    }

    /// The long name, used first and in error texts.
    package var long: String
    /// The short alias, tried when the long name is absent.
    package var short: String
    /// The longest accepted value (per item for lists); `nil` for no limit.
    package var maxLength: Int?
    /// The rule each value follows.
    package var rule: Rule

    /// Creates a field definition.
    package init(_ long: String, _ short: String, maxLength: Int? = nil, rule: Rule = .any) {
        self.long = long
        self.short = short
        self.maxLength = maxLength
        self.rule = rule
    }
}

extension WebField.Rule {
    /// Whether `value` follows the rule.
    package func accepts(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        switch self {
        case .any:
            return true
        case .topicName:
            if value == "__offset_history__" { return true }
            return scalars.count >= 2 && Self.isLetter(scalars[0]) && scalars.dropFirst().allSatisfy(Self.isWord)
        case .userName:
            return scalars.count >= 2 && Self.isLetter(scalars[0]) && scalars.dropFirst().allSatisfy(Self.isWord)
        case .groupName:
            return scalars.count >= 2 && Self.isLetter(scalars[0])
                && scalars.dropFirst().allSatisfy { Self.isWord($0) || $0 == "-" }
        case .consumerID:
            return !scalars.isEmpty && scalars.allSatisfy { Self.isWord($0) || $0 == "." || $0 == "-" }
        case .filterItem:
            return !scalars.isEmpty && scalars.allSatisfy { Self.isWord($0) || $0 == "-" }
        case .ipv4:
            return IPv4Address(value) != nil
        }
    }

    /// The rule in words, for error texts.
    var explanation: String {
        switch self {
        case .any: "any value"
        case .topicName: "must be a letter followed by one or more letters, digits or underscores"
        case .userName: "must be a letter followed by one or more letters, digits or underscores"
        case .groupName: "must be a letter followed by one or more letters, digits, underscores or hyphens"
        case .consumerID: "must contain only letters, digits, underscores, dots or hyphens"
        case .filterItem: "must contain only letters, digits, underscores or hyphens"
        case .ipv4: "must be an IPv4 address"
        }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }
}

/// An IPv4 address parsed from its dotted-quad text.
package struct IPv4Address: Sendable, Hashable {
    /// The address as a big-endian 32-bit number.
    package var value: UInt32

    /// Parses `a.b.c.d` with each part 0…255; `nil` otherwise.
    package init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else {
                return nil
            }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    /// The broker id the master derives from the address: `abs` of it as a signed 32-bit number.
    package var derivedBrokerID: Int32 {
        let signed = Int32(bitPattern: value)
        return signed == .min ? .max : abs(signed)
    }
}
