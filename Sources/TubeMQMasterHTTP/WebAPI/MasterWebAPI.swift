import Logging
import Synchronization
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The master's webapi (`/webapi.htm?method=admin_…`): finds the method, checks the
/// `confModAuthToken`, runs the method against the ``TubeMQMaster/Master`` actor and renders the
/// envelope of admin-api.md §3.
///
/// Requests are independent; each method reads or changes the master with one or more calls on its
/// actor, so a list-valued call (several broker ids) is applied record by record.
struct MasterWebAPI: Sendable {
    /// The master the methods act on.
    let master: Master
    /// The token modify methods must carry.
    let authToken: String
    /// The master's permission checks, whose users and grants the security methods manage.
    var security: MasterSecurity? = nil
    /// The master's place in its HA group (`admin_query_master_group_info`,
    /// `admin_transfer_current_master`); `nil` for a master that is not in an HA group.
    var role: MasterRole? = nil
    /// Where changes and refused tokens are reported (an audit trail); `nil` reports none.
    var logger: Logger? = nil
    /// Refused tokens since the last one logged, and when that was: at most one line in 10 s.
    private let refusals = TokenRefusals()

    /// Every method, by name.
    static let methods: [String: MasterWebMethod] = {
        var table: [String: MasterWebMethod] = [:]
        let all = [
            brokerMethods, batchMethods, topicMethods, topicViewMethods, topicControlMethods, groupMethods,
            groupControlMethods, groupControlBatchMethods, filterConditionMethods,
        ]
        for method in all.joined() + clusterMethods + masterGroupMethods + securityMethods + flowControlMethods {
            table[method.name] = method
        }
        return table
    }()

    /// Answers one HTTP request: only `*.htm` / `*.html` paths are served, and only the `webapi`
    /// target; the answer is JSON, or JSONP when a valid `callback` is given.
    func handle(_ request: WebRequest) async -> WebReply {
        guard let target = Self.target(of: request.path) else { return .notFound }
        guard target == "webapi" else { return .notFound }
        let json = await dispatch(request.parameters, from: request.peer)
        guard let callback = request.parameters.value(Self.callback) else { return WebReply(json: json) }
        guard callback.count <= 128, callback.unicodeScalars.allSatisfy(Self.isCallbackScalar) else {
            return WebReply(json: Envelope.dispatchFailure("illegal callback parameter!"))
        }
        return WebReply(body: "\(callback)(\(json.text))", contentType: "text/plain;charset=UTF-8")
    }

    /// Runs the method the parameters name and returns its envelope; `peer`, the caller's address,
    /// goes into the audit lines.
    func dispatch(_ parameters: WebParameters, from peer: String? = nil) async -> JSONObject {
        guard let name = parameters.value(Self.method) else {
            return Envelope.dispatchFailure("Please take with method parameter!")
        }
        guard let method = Self.methods[name] else {
            return Envelope.dispatchFailure("unsupported method!")
        }
        if let failure = checkToken(parameters, required: method.needsAuth) {
            if parameters.value(.authToken) != nil, let logger, let count = refusals.due() {
                logger.notice(
                    "webapi call refused: wrong confModAuthToken",
                    metadata: [
                        "tubemq.method": "\(name)", "tubemq.refusedSinceLastLine": "\(count)",
                        "tubemq.peer": "\(peer ?? "?")",
                    ]
                )
            }
            return Envelope.dispatchFailure(failure)
        }
        if await master.isStopped {
            return Envelope.dispatchFailure("Server is stopping...")
        }
        let reply: JSONObject
        do {
            reply = try await method.run(self, parameters)
        } catch {
            reply = Envelope.failure(error.message)
        }
        if method.needsAuth, let logger {
            // Who changed what, and whether it was applied; never the other parameters (a password may
            // be among them). The user is the one the call names (`modifyUser`/`createUser`).
            let user = parameters.value(.modifyUser) ?? parameters.value(.createUser) ?? "?"
            logger.notice(
                "webapi change",
                metadata: [
                    "tubemq.method": "\(name)", "tubemq.user": "\(user)",
                    "tubemq.applied": "\(reply["result"] == .bool(true))", "tubemq.peer": "\(peer ?? "?")",
                ]
            )
        }
        return reply
    }

    /// The failure text of the token check, or `nil` when the request may go on: modify methods
    /// need the exact token; query methods need none, but a wrong one is refused.
    private func checkToken(_ parameters: WebParameters, required: Bool) -> String? {
        guard let token = parameters.value(.authToken) else {
            return required ? WebParameterError.missing(.authToken).message : nil
        }
        guard token.count <= 128 else {
            return "Parameter confModAuthToken's length over max allowed length (128)!"
        }
        return token == authToken ? nil : "illegal access, unauthorized request!"
    }

    /// The servlet target of `path`: the path without its leading `/` and its extension (the text
    /// from the first `.` on), when the extension is `.htm` or `.html`; `/` is `index`.
    static func target(of path: String) -> String? {
        let trimmed = path.drop { $0 == "/" }
        if trimmed.isEmpty { return "index" }
        guard let dot = trimmed.firstIndex(of: ".") else { return nil }
        let suffix = trimmed[dot...].lowercased()
        guard suffix == ".htm" || suffix == ".html" else { return nil }
        return String(trimmed[..<dot])
    }

    static let method = WebField("method", "method")
    static let callback = WebField("callback", "callback")

    private static func isCallbackScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }
}

/// One webapi method: its registered name, whether it needs the token, and what it does.
struct MasterWebMethod: Sendable {
    /// The `method` parameter value.
    var name: String
    /// Whether the method modifies state and needs `confModAuthToken`.
    var needsAuth: Bool
    /// Runs the method.
    var run: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject

    /// A query method (no token needed).
    static func query(
        _ name: String,
        _ run: @escaping @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject
    ) -> MasterWebMethod {
        MasterWebMethod(name: name, needsAuth: false, run: run)
    }

    /// A modify method (token required).
    static func modify(
        _ name: String,
        _ run: @escaping @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject
    ) -> MasterWebMethod {
        MasterWebMethod(name: name, needsAuth: true, run: run)
    }
}

/// Counts refused webapi tokens and says when one is due to be logged (at most once in 10 s).
final class TokenRefusals: Sendable {
    private let state = Mutex((unlogged: 0, loggedAt: ContinuousClock.now - .seconds(3_600)))

    /// Counts one refusal; the number since the last line when a line is due now, else `nil`.
    func due() -> Int? {
        let now = ContinuousClock.now
        return state.withLock { state -> Int? in
            state.unlogged += 1
            guard now - state.loggedAt >= .seconds(10) else { return nil }
            defer { state = (0, now) }
            return state.unlogged
        }
    }
}
