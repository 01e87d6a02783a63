/// One operation of an atomic ``ZooKeeperClient/multi(_:)`` transaction.
///
/// Fenced writes are a multi that starts with a ``check(_:version:)`` of the fencing node:
/// `[.check(epochPath, version: myEpoch), .setData(recordPath, data: bytes, version: -1)]`.
public enum MultiOperation: Sendable, Hashable {
    /// Creates a node (any ``CreateMode``; the default ACL is ``ACL/openUnsafe``).
    case create(_ path: String, data: [UInt8], mode: CreateMode, acl: [ACL])
    /// Deletes a node; `version` -1 means any version.
    case delete(_ path: String, version: Int32)
    /// Replaces a node's data; `version` -1 means any version.
    case setData(_ path: String, data: [UInt8], version: Int32)
    /// Fails the whole transaction unless the node exists with this version (-1: any version).
    case check(_ path: String, version: Int32)

    /// Creates a node with the open ACL.
    public static func create(_ path: String, data: [UInt8] = [], mode: CreateMode = .persistent) -> MultiOperation {
        .create(path, data: data, mode: mode, acl: ACL.openUnsafe)
    }

    /// The path the operation addresses.
    public var path: String {
        switch self {
        case .create(let path, _, _, _), .delete(let path, _), .setData(let path, _, _), .check(let path, _): path
        }
    }

    /// The same operation on another path (to apply or strip a chroot).
    func withPath(_ newPath: String) -> MultiOperation {
        switch self {
        case .create(_, let data, let mode, let acl): .create(newPath, data: data, mode: mode, acl: acl)
        case .delete(_, let version): .delete(newPath, version: version)
        case .setData(_, let data, let version): .setData(newPath, data: data, version: version)
        case .check(_, let version): .check(newPath, version: version)
        }
    }
}

/// The outcome of one operation of a successful ``ZooKeeperClient/multi(_:)``.
public enum MultiResult: Sendable, Hashable {
    /// The node was created under this name (with its sequence suffix if sequential).
    case created(path: String)
    /// The node was deleted.
    case deleted
    /// The data was replaced; the node's new stat.
    case dataSet(Stat)
    /// The check passed.
    case checked
}
