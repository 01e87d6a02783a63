import TubeMQBroker
import TubeMQWebSupport

/// The broker's webapi (`http://host:webPort/<any path>?method=admin_…`, admin-api.md §5.6): a
/// group's offsets on this broker, queried and moved. When an admin token is set, the methods that
/// move or remove offsets need it in `confModAuthToken` (TubeMQ's broker checks none).
struct BrokerWebAPI: Sendable {
    /// The broker the methods act on.
    let broker: BrokerServer
    /// The token state-changing methods need; `nil` checks none.
    var adminToken: String? = nil

    /// Every method, by name.
    static let methods: [String: BrokerWebMethod] = {
        var table: [String: BrokerWebMethod] = [:]
        for method in offsetQueryMethods + offsetResetMethods + storeQueryMethods + infoMethods {
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
        if let adminToken, Self.changesState.contains(name) {
            guard let token = parameters.value(.authToken), !token.isEmpty else {
                return BrokerEnvelope.failure("Parameter confModAuthToken is missing or value is blank!")
            }
            guard Self.same(token, adminToken) else {
                return BrokerEnvelope.failure("illegal access, unauthorized request!")
            }
        }
        do {
            return try await method.run(self, parameters)
        } catch {
            return BrokerEnvelope.failure("Bad request from server: \(error.message)")
        }
    }

    static let method = WebField("method", "method")

    /// The methods that move or remove offsets.
    static let changesState: Set<String> = Set(offsetResetMethods.map(\.name))

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
    /// `{"result":false,"errCode":400,"errMsg":<message>}`.
    static func failure(_ message: String) -> JSONObject {
        ["result": false, "errCode": 400, "errMsg": .string(message)]
    }

    /// `{"result":true,"errCode":0,"errMsg":"OK"}`.
    static let ok: JSONObject = ["result": true, "errCode": 0, "errMsg": "OK"]
}
