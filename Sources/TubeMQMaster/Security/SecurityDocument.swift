import Synchronization

/// A security document (the consumer-group grants, the users) as the master holds it, and where its
/// changes go: the master's own file, the HA group's znode while this master is the active one, or
/// nowhere on a standby (changes are made on the active master).
final class SecurityDocument<Value: Codable & Sendable>: Sendable {
    private enum Replication {
        case local
        case zooKeeper(ReplicatedDocument<Value>)
        case standby
    }

    private struct State {
        var value: Value
        var replication: Replication
    }

    private let state: Mutex<State>

    /// Holds `value`, its changes saved locally.
    init(_ value: Value) {
        state = Mutex(State(value: value, replication: .local))
    }

    /// Reads the document under the lock (no copy).
    func read<Result>(_ body: (Value) -> Result) -> Result {
        state.withLock { body($0.value) }
    }

    /// The whole document.
    var value: Value { read { $0 } }

    /// Applies `edit`: in an HA group to the znode first (the active master only), taking effect here
    /// once stored; otherwise here, then `saveLocally` with the result. Returns what `edit` returned.
    ///
    /// - Throws: ``UserDirectoryError`` naming `what` on a standby, or what the znode or `saveLocally`
    ///   throws.
    func change<Result: Sendable>(
        _ what: String,
        _ edit: @escaping @Sendable (inout Value) -> Result,
        saveLocally: (Value) throws(UserDirectoryError) -> Void
    ) async throws(UserDirectoryError) -> Result {
        switch state.withLock({ $0.replication }) {
        case .standby:
            throw UserDirectoryError(
                message: "\(what) not changed: this master is a standby; change them on the active master"
            )
        case .zooKeeper(let replica):
            let stored = try await replica.update(edit)
            state.withLock { $0.value = stored.value }
            return stored.result
        case .local:
            let (result, snapshot) = state.withLock { state -> (Result, Value) in
                let result = edit(&state.value)
                return (result, state.value)
            }
            try saveLocally(snapshot)
            return result
        }
    }

    /// Takes the document the HA group keeps in ZooKeeper (this master has become the active one):
    /// it replaces what is held here, and later changes are written there.
    func useReplica(_ replica: ReplicatedDocument<Value>) async {
        let stored = await replica.value
        state.withLock {
            $0.value = stored
            $0.replication = .zooKeeper(replica)
        }
    }

    /// Refuses changes from now on (this master is a standby of an HA group).
    func becomeStandby() {
        state.withLock { $0.replication = .standby }
    }
}
