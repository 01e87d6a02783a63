import NIOCore

/// What a read asked to watch, and the promise its ``Watch`` waits on.
struct WatchRequest {
    /// Which read armed it.
    enum Kind {
        /// getData: armed only when the node exists.
        case data
        /// exists: a data watch when the node exists, an exist watch when it does not.
        case exists
        /// getChildren: armed only when the node exists.
        case child
    }

    var kind: Kind
    /// The server path (chroot included).
    var path: String
    var promise: EventLoopPromise<WatchedEvent>
}

/// The one-shot watches armed on the server for this session, by server path, as ZooKeeper's client
/// keeps them: data watches (getData / exists on an existing node), exist watches (exists on an
/// absent node) and child watches (getChildren).
///
/// Event-loop confined (owned by ``SessionCore``).
struct WatchRegistry {
    private(set) var data: [String: [EventLoopPromise<WatchedEvent>]] = [:]
    private(set) var exist: [String: [EventLoopPromise<WatchedEvent>]] = [:]
    private(set) var child: [String: [EventLoopPromise<WatchedEvent>]] = [:]

    var isEmpty: Bool { data.isEmpty && exist.isEmpty && child.isEmpty }

    /// Records the watch of a read that completed with `err`; returns `false` when the server armed
    /// nothing (the caller then fails the promise).
    mutating func arm(_ request: WatchRequest, err: Int32) -> Bool {
        switch (request.kind, err) {
        case (.data, 0), (.exists, 0):
            data[request.path, default: []].append(request.promise)
        case (.exists, ZooKeeperError.Code.noNode.rawValue):
            exist[request.path, default: []].append(request.promise)
        case (.child, 0):
            child[request.path, default: []].append(request.promise)
        default:
            return false
        }
        return true
    }

    /// Removes and returns the promises a notification fires (one-shot semantics).
    mutating func trigger(_ kind: WatchedEvent.Kind, path: String) -> [EventLoopPromise<WatchedEvent>] {
        var fired: [EventLoopPromise<WatchedEvent>] = []
        switch kind {
        case .nodeCreated, .nodeDataChanged:
            fired += data.removeValue(forKey: path) ?? []
            fired += exist.removeValue(forKey: path) ?? []
        case .nodeDeleted:
            fired += data.removeValue(forKey: path) ?? []
            fired += exist.removeValue(forKey: path) ?? []
            fired += child.removeValue(forKey: path) ?? []
        case .nodeChildrenChanged:
            fired += child.removeValue(forKey: path) ?? []
        default:
            break
        }
        return fired
    }

    /// Removes and returns every promise (session over).
    mutating func removeAll() -> [EventLoopPromise<WatchedEvent>] {
        var all: [EventLoopPromise<WatchedEvent>] = []
        for promises in data.values { all += promises }
        for promises in exist.values { all += promises }
        for promises in child.values { all += promises }
        data = [:]
        exist = [:]
        child = [:]
        return all
    }
}
