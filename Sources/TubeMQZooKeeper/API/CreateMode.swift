/// How a znode is created: whether it outlives its session and whether it gets a sequence suffix.
public enum CreateMode: Sendable, Hashable, CaseIterable {
    /// Stays until deleted.
    case persistent
    /// Deleted when the creating session ends (expires or closes). Cannot have children.
    case ephemeral
    /// Persistent, with a 10-digit sequence number appended to the name.
    case persistentSequential
    /// Ephemeral, with a 10-digit sequence number appended to the name: the election candidate node.
    case ephemeralSequential
    /// A container: the server deletes it some time after its last child is gone.
    case container

    /// The `flags` value of the create request.
    var flags: Int32 {
        switch self {
        case .persistent: 0
        case .ephemeral: 1
        case .persistentSequential: 2
        case .ephemeralSequential: 3
        case .container: 4
        }
    }

    /// The opcode the request uses (containers have their own).
    var opCode: OpCode { self == .container ? .createContainer : .create }

    /// Whether the node ends with its session.
    public var isEphemeral: Bool { self == .ephemeral || self == .ephemeralSequential }
    /// Whether the server appends a sequence number.
    public var isSequential: Bool { self == .persistentSequential || self == .ephemeralSequential }
}
