import NIOCore

extension ZooKeeperClient {
    /// Creates a node and returns its actual path (with the sequence suffix for sequential modes).
    ///
    /// - Parameters:
    ///   - path: absolute path; for sequential modes the prefix the server appends 10 digits to.
    ///   - acl: the node's ACL; everyone may do everything by default.
    /// - Throws: ``ZooKeeperError``: `nodeExists`, `noNode` (parent missing), `noChildrenForEphemerals`,
    ///   `badArguments`, `invalidACL`, `connectionLoss`, `sessionExpired`, `closed`.
    @discardableResult
    public func create(
        _ path: String,
        data: [UInt8] = [],
        mode: CreateMode = .persistent,
        acl: [ACL] = ACL.openUnsafe
    ) async throws(ZooKeeperError) -> String {
        let serverPath = try resolve(path)
        let body = RequestFrame.create(serverPath, data: data, acl: acl, flags: mode.flags)
        var reply = try await call(mode.opCode, body, path: path)
        let created = try decode(path) { () throws(JuteDecodingError) in try reply.readJuteString("create reply") }
        return connectString.clientPath(created)
    }

    /// Deletes a node; `version` -1 deletes whatever the version.
    ///
    /// - Throws: ``ZooKeeperError``: `noNode`, `badVersion`, `notEmpty`, `connectionLoss`, `sessionExpired`, `closed`.
    public func delete(_ path: String, version: Int32 = -1) async throws(ZooKeeperError) {
        let body = RequestFrame.pathAndVersion(try resolve(path), version: version)
        _ = try await call(.delete, body, path: path)
    }

    /// The node's stat, or `nil` when it does not exist.
    ///
    /// - Throws: ``ZooKeeperError``: `connectionLoss`, `sessionExpired`, `closed`.
    public func exists(_ path: String) async throws(ZooKeeperError) -> Stat? {
        try await exists(path, watch: nil)
    }

    /// Whether the connect string's chroot exists; `true` when it names none.
    ///
    /// ZooKeeper does not create a chroot: every call under a missing one fails with `noNode`, so a
    /// server checks this once at start and names the problem instead of retrying forever.
    ///
    /// - Throws: ``ZooKeeperError``: `connectionLoss`, `sessionExpired`, `closed`.
    public func chrootExists() async throws(ZooKeeperError) -> Bool {
        guard connectString.chroot != nil else { return true }
        return try await exists("/") != nil
    }

    /// A line telling an operator what to do about a missing chroot.
    public static func missingChrootAdvice(_ chroot: String, key: String) -> String {
        "\(key) names the chroot \(chroot), which does not exist in ZooKeeper: create it first "
            + "(zkCli.sh create \(chroot) \"\"), or drop it from \(key)"
    }

    /// The node's stat (or `nil`), and a watch that fires when the node is created, changed or deleted.
    ///
    /// - Throws: ``ZooKeeperError``: `connectionLoss`, `sessionExpired`, `closed`.
    public func existsAndWatch(_ path: String) async throws(ZooKeeperError) -> (stat: Stat?, watch: Watch) {
        let promise = eventLoop.makePromise(of: WatchedEvent.self)
        let stat = try await exists(path, watch: promise)
        return (stat, Watch(future: promise.futureResult))
    }

    private func exists(_ path: String, watch: EventLoopPromise<WatchedEvent>?) async throws(ZooKeeperError) -> Stat? {
        let serverPath = try resolve(path, failing: watch)
        let body = RequestFrame.pathAndWatch(serverPath, watch: watch != nil)
        var reply: ByteBuffer
        do {
            reply = try await call(
                .exists,
                body,
                path: path,
                watch: watch.map { WatchRequest(kind: .exists, path: serverPath, promise: $0) }
            )
        } catch  where error.code == .noNode {
            return nil
        }
        return try decode(path) { () throws(JuteDecodingError) in try reply.readStat() }
    }

    /// The node's data and stat.
    ///
    /// - Throws: ``ZooKeeperError``: `noNode`, `connectionLoss`, `sessionExpired`, `closed`.
    public func getData(_ path: String) async throws(ZooKeeperError) -> NodeData {
        try await getData(path, watch: nil)
    }

    /// The node's data and stat, and a watch that fires when its data changes or it is deleted.
    ///
    /// - Throws: ``ZooKeeperError``: `noNode` (no watch is left), `connectionLoss`, `sessionExpired`, `closed`.
    public func getDataAndWatch(_ path: String) async throws(ZooKeeperError) -> (node: NodeData, watch: Watch) {
        let promise = eventLoop.makePromise(of: WatchedEvent.self)
        let node = try await getData(path, watch: promise)
        return (node, Watch(future: promise.futureResult))
    }

    private func getData(
        _ path: String,
        watch: EventLoopPromise<WatchedEvent>?
    ) async throws(ZooKeeperError) -> NodeData {
        let serverPath = try resolve(path, failing: watch)
        let body = RequestFrame.pathAndWatch(serverPath, watch: watch != nil)
        var reply = try await call(
            .getData,
            body,
            path: path,
            watch: watch.map { WatchRequest(kind: .data, path: serverPath, promise: $0) }
        )
        return try decode(path) { () throws(JuteDecodingError) in
            NodeData(data: try reply.readJuteBuffer("getData reply"), stat: try reply.readStat())
        }
    }

    /// Replaces the node's data; with a `version` other than -1 only if the node still has that version
    /// (compare-and-set). Returns the node's new stat.
    ///
    /// - Throws: ``ZooKeeperError``: `noNode`, `badVersion`, `connectionLoss`, `sessionExpired`, `closed`.
    @discardableResult
    public func setData(_ path: String, data: [UInt8], version: Int32 = -1) async throws(ZooKeeperError) -> Stat {
        let body = RequestFrame.setData(try resolve(path), data: data, version: version)
        var reply = try await call(.setData, body, path: path)
        return try decode(path) { () throws(JuteDecodingError) in try reply.readStat() }
    }

    /// The node's children (bare names, in no particular order) and its stat.
    ///
    /// - Throws: ``ZooKeeperError``: `noNode`, `connectionLoss`, `sessionExpired`, `closed`.
    public func getChildren(_ path: String) async throws(ZooKeeperError) -> NodeChildren {
        try await getChildren(path, watch: nil)
    }

    /// The node's children and stat, and a watch that fires when a child is created or deleted, or the
    /// node is deleted.
    ///
    /// - Throws: ``ZooKeeperError``: `noNode` (no watch is left), `connectionLoss`, `sessionExpired`, `closed`.
    public func getChildrenAndWatch(
        _ path: String
    ) async throws(ZooKeeperError) -> (children: NodeChildren, watch: Watch) {
        let promise = eventLoop.makePromise(of: WatchedEvent.self)
        let children = try await getChildren(path, watch: promise)
        return (children, Watch(future: promise.futureResult))
    }

    private func getChildren(
        _ path: String,
        watch: EventLoopPromise<WatchedEvent>?
    ) async throws(ZooKeeperError) -> NodeChildren {
        let serverPath = try resolve(path, failing: watch)
        let body = RequestFrame.pathAndWatch(serverPath, watch: watch != nil)
        var reply = try await call(
            .getChildren2,
            body,
            path: path,
            watch: watch.map { WatchRequest(kind: .child, path: serverPath, promise: $0) }
        )
        return try decode(path) { () throws(JuteDecodingError) in
            NodeChildren(names: try reply.readJuteStrings("getChildren2 reply"), stat: try reply.readStat())
        }
    }

    /// Waits until the server this client is connected to has caught up with the leader, so that reads
    /// issued afterwards see every write committed before the call.
    ///
    /// - Throws: ``ZooKeeperError``: `connectionLoss`, `sessionExpired`, `closed`.
    public func sync(_ path: String = "/") async throws(ZooKeeperError) {
        _ = try await call(.sync, RequestFrame.path(try resolve(path)), path: path)
    }

    /// Applies `operations` atomically: all of them, or none.
    ///
    /// Returns one result per operation. When any operation fails, nothing is applied and the call
    /// throws the first failing operation's code (`badVersion`, `noNode`, `nodeExists`, `notEmpty` ...),
    /// with ``ZooKeeperError/failedOperationIndex`` and every op's outcome in
    /// ``ZooKeeperError/operationCodes``.
    ///
    /// - Throws: ``ZooKeeperError``: as above, or `connectionLoss`, `sessionExpired`, `closed`.
    @discardableResult
    public func multi(_ operations: [MultiOperation]) async throws(ZooKeeperError) -> [MultiResult] {
        if operations.isEmpty { return [] }
        var resolved: [MultiOperation] = []
        resolved.reserveCapacity(operations.count)
        for operation in operations { resolved.append(operation.withPath(try resolve(operation.path))) }
        var reply = try await call(.multi, MultiCodec.encode(resolved), path: nil)
        let outcomes = try decode(nil) { () throws(JuteDecodingError) in try MultiCodec.decode(&reply) }
        guard outcomes.count == operations.count else {
            throw ZooKeeperError(
                .protocolError,
                "multi of \(operations.count) ops answered with \(outcomes.count) results"
            )
        }
        var results: [MultiResult] = []
        var codes: [ZooKeeperError.Code] = []
        var firstFailure: (index: Int, code: ZooKeeperError.Code)?
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(.created(let path)):
                results.append(.created(path: connectString.clientPath(path)))
                codes.append(.ok)
            case .success(let result):
                results.append(result)
                codes.append(.ok)
            case .failure(let err):
                let code = ZooKeeperError.Code(rawValue: err)
                codes.append(code)
                if firstFailure == nil, code != .ok, code != .runtimeInconsistency { firstFailure = (index, code) }
            }
        }
        if codes.contains(where: { $0 != .ok }) {
            let failure =
                firstFailure ?? (codes.firstIndex { $0 != .ok } ?? 0, codes.first { $0 != .ok } ?? .systemError)
            throw ZooKeeperError(
                failure.code,
                "multi failed at op \(failure.index) (\(operations[failure.index].path))",
                path: operations[failure.index].path,
                failedOperationIndex: failure.index,
                operationCodes: codes
            )
        }
        return results
    }

    // MARK: plumbing

    /// The server path for `path`; fails (and fails `watch`, so no promise leaks) on a relative path.
    private func resolve(
        _ path: String,
        failing watch: EventLoopPromise<WatchedEvent>? = nil
    ) throws(ZooKeeperError) -> String {
        guard path.hasPrefix("/") else {
            let error = ZooKeeperError(.invalidArgument, "path must be absolute", path: path)
            watch?.fail(error)
            throw error
        }
        return connectString.serverPath(path)
    }

    /// Submits a request on the session's event loop and waits for the reply's body.
    private func call(
        _ opCode: OpCode,
        _ body: ByteBuffer,
        path: String?,
        watch: WatchRequest? = nil
    ) async throws(ZooKeeperError) -> ByteBuffer {
        let promise = eventLoop.makePromise(of: ByteBuffer.self)
        let core = self.core
        eventLoop.execute { core.value.submit(opCode, body, promise: promise, watch: watch) }
        do {
            return try await promise.futureResult.get()
        } catch {
            var wrapped = ZooKeeperError.wrapping(error, path: path)
            if let path, wrapped.message.hasSuffix("failed") { wrapped.message += " on \(path)" }
            throw wrapped
        }
    }

    private func decode<Value>(
        _ path: String?,
        _ body: () throws(JuteDecodingError) -> Value
    ) throws(ZooKeeperError) -> Value {
        do {
            return try body()
        } catch {
            throw ZooKeeperError(.protocolError, "\(error)", path: path, underlying: error)
        }
    }
}
