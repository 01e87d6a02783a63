import TubeMQBroker
import TubeMQWebSupport

/// The broker's webapi (`http://host:webPort/<any path>?method=admin_…`, admin-api.md §5.6): a
/// group's offsets on this broker, queried, moved and backed up; its consumers, stores, messages and
/// statistics. When an admin token is set, the methods that change state (move, remove or back up
/// offsets, switch statistics) need it in `confModAuthToken` (TubeMQ's broker checks none).
struct BrokerWebAPI: Sendable {
    /// The broker the methods act on.
    let broker: BrokerServer
    /// The token state-changing methods need; `nil` checks none.
    var adminToken: String? = nil

    /// Every method, by name.
    static let methods: [String: BrokerWebMethod] = {
        var table: [String: BrokerWebMethod] = [:]
        let all =
            offsetQueryMethods + offsetResetMethods + offsetHistoryMethods + offsetBackupMethods
            + storeQueryMethods + infoMethods + consumerMethods + snapshotMethods + metricsMethods
            + statsSwitchMethods
        for method in all {
            table[method.name] = method
        }
        return table
    }()

    /// Answers one request, whatever its path.
    func handle(_ request: WebRequest) async -> WebReply {
        WebReply(json: await dispatch(request.parameters))
    }

    /// Runs the method the parameters name and returns its envelope.
    func dispatch(_ parameters: WebParameters) async -> JSONObject {
        guard let name = parameters.value(Self.method) else {
            return BrokerEnvelope.failure("Please take with method parameter! ")
        }
        guard let method = Self.methods[name] else {
            return BrokerEnvelope.failure("Unsupported method \(name)")
        }
        if let adminToken, Self.changesState.contains(name) || Self.resetsStatistics(name, parameters) {
            guard let token = parameters.value(.authToken), !token.isEmpty else {
                return BrokerEnvelope.failure("Parameter confModAuthToken is missing or value is blank!")
            }
            guard Self.same(token, adminToken) else {
                return BrokerEnvelope.failure("illegal access, unauthorized request!")
            }
        }
        let started = ContinuousClock.now
        defer { broker.metrics.recordWebCall(method: name, duration: ContinuousClock.now - started) }
        do {
            return try await method.run(self, parameters)
        } catch {
            return BrokerEnvelope.failure("Bad request from server: \(error.message)")
        }
    }

    static let method = WebField("method", "method")

    /// The methods that change state: move, remove or back up offsets, switch statistics.
    static let changesState: Set<String> = Set(
        (offsetResetMethods + offsetBackupMethods + statsSwitchMethods).map(\.name)
    )

    /// Whether a call resets the statistics (`admin_get_metrics_info` with `needRefresh=true`), which
    /// changes state as the switches do.
    static func resetsStatistics(_ name: String, _ parameters: WebParameters) -> Bool {
        name == "admin_get_metrics_info" && (try? parameters.bool(.needRefresh)) == true
    }

    /// Compares two tokens in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// One broker webapi method.
struct BrokerWebMethod: Sendable {
    /// The `method` parameter value.
    var name: String
    /// Runs the method.
    var run: @Sendable (BrokerWebAPI, WebParameters) async throws(BrokerWebError) -> JSONObject

    init(
        _ name: String,
        _ run: @escaping @Sendable (BrokerWebAPI, WebParameters) async throws(BrokerWebError) -> JSONObject
    ) {
        self.name = name
        self.run = run
    }
}

extension BrokerWebMethod {
    /// The same method under each of `names` (TubeMQ registers some methods under two names).
    static func aliases(
        _ names: String...,
        run: @escaping @Sendable (BrokerWebAPI, WebParameters) async throws(BrokerWebError) -> JSONObject
    ) -> [BrokerWebMethod] {
        names.map { BrokerWebMethod($0, run) }
    }
}

/// A broker webapi method failed: a bad parameter or a failed admin call.
struct BrokerWebError: Error, Sendable {
    /// The text after `Bad request from server: `.
    var message: String

    init(_ message: String) { self.message = message }
    init(_ error: WebParameterError) { message = error.message }
    init(_ error: BrokerAdminError) { message = error.message }
}

/// The broker webapi's envelopes (admin-api.md §3.3).
enum BrokerEnvelope {
    /// `{"result":false,"errCode":<code>,"errMsg":<message>}`, `code` 400 unless given.
    static func failure(code: Int = 400, _ message: String) -> JSONObject {
        ["result": false, "errCode": .int(code), "errMsg": .string(message)]
    }

    /// `{"result":true,"errCode":0,"errMsg":"Success!","dataSet":[…],<countKey>:n}`: the shape of
    /// most of TubeMQ's broker queries, `count` the number of items (`totalCnt`, or `dataCount`).
    static func dataSet(_ items: [JSON], countKey: String = "totalCnt") -> JSONObject {
        var object: JSONObject = ["result": true, "errCode": 0, "errMsg": "Success!", "dataSet": .array(items)]
        object.append(countKey, .int(items.count))
        return object
    }

    /// `{"result":true,"errCode":0,"errMsg":"OK"}`.
    static let ok: JSONObject = ["result": true, "errCode": 0, "errMsg": "OK"]
}
