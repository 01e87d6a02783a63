/// A change reported by a one-shot watch.
public struct WatchedEvent: Sendable, Hashable, CustomStringConvertible {
    /// What happened to the node.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The `EventType` value on the wire.
        public var rawValue: Int32
        /// Wraps an `EventType` value.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// The node was created (watch set by exists on an absent node).
        public static let nodeCreated = Kind(rawValue: 1)
        /// The node was deleted.
        public static let nodeDeleted = Kind(rawValue: 2)
        /// The node's data changed.
        public static let nodeDataChanged = Kind(rawValue: 3)
        /// A child was created or deleted.
        public static let nodeChildrenChanged = Kind(rawValue: 4)

        public var description: String {
            switch rawValue {
            case 1: "nodeCreated"
            case 2: "nodeDeleted"
            case 3: "nodeDataChanged"
            case 4: "nodeChildrenChanged"
            default: "event \(rawValue)"
            }
        }
    }

    /// What happened.
    public var kind: Kind
    /// The node's path, as the caller addresses it (without chroot).
    public var path: String

    /// Creates an event.
    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    public var description: String { "\(kind) \(path)" }
}
