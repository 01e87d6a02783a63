import NIOCore

/// One access-control entry of a znode: permissions granted to an identity.
public struct ACL: Sendable, Hashable {
    /// Permission bits of an ACL entry.
    public struct Permissions: OptionSet, Sendable, Hashable {
        /// The bits, as on the wire.
        public var rawValue: Int32
        /// Wraps permission bits.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// Read data and list children.
        public static let read = Permissions(rawValue: 1)
        /// Set data.
        public static let write = Permissions(rawValue: 2)
        /// Create children.
        public static let create = Permissions(rawValue: 4)
        /// Delete children.
        public static let delete = Permissions(rawValue: 8)
        /// Set the ACL.
        public static let admin = Permissions(rawValue: 16)
        /// Everything.
        public static let all: Permissions = [.read, .write, .create, .delete, .admin]
    }

    /// What the identity may do.
    public var permissions: Permissions
    /// The identity scheme (`world`, `auth`, `digest`, `ip` ...).
    public var scheme: String
    /// The identity within the scheme (`anyone` for `world`).
    public var id: String

    /// Creates an entry.
    public init(permissions: Permissions, scheme: String, id: String) {
        self.permissions = permissions
        self.scheme = scheme
        self.id = id
    }

    /// Everyone may do everything (ZooKeeper's `OPEN_ACL_UNSAFE`): the project default.
    public static let openUnsafe: [ACL] = [ACL(permissions: .all, scheme: "world", id: "anyone")]
    /// Only the identities the creating client proved (``ZooKeeperAuthentication``) may do anything
    /// (ZooKeeper's `CREATOR_ALL_ACL`; the server refuses it from a client that proved none).
    public static let creatorAll: [ACL] = [ACL(permissions: .all, scheme: "auth", id: "")]
    /// Everyone may read (ZooKeeper's `READ_ACL_UNSAFE`).
    public static let readUnsafe: [ACL] = [ACL(permissions: .read, scheme: "world", id: "anyone")]
}

extension ByteBuffer {
    /// Writes a `vector<ACL>`.
    mutating func writeACLs(_ acls: [ACL]) {
        writeJuteInt(Int32(acls.count))
        for acl in acls {
            writeJuteInt(acl.permissions.rawValue)
            writeJuteString(acl.scheme)
            writeJuteString(acl.id)
        }
    }
}
