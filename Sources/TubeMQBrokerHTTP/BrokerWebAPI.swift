import TubeMQBroker
import TubeMQWebSupport

/// The broker's webapi (`http://host:webPort/<any path>?method=admin_…`, admin-api.md §5.6): a
/// group's offsets on this broker, queried and moved. No token is checked.
struct BrokerWebAPI: Sendable {
    /// The broker the methods act on.
    let broker: BrokerServer

    /// Every method, by name.
    static let methods: [String: BrokerWebMethod] = {
        var table: [String: BrokerWebMethod] = [:]
        for method in offsetQueryMethods + offsetResetMethods { table[method.name] = method }
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
        do {
            return try await method.run(self, parameters)
        } catch {
            return BrokerEnvelope.failure("Bad request from server: \(error.message)")
        }
    }

    static let method = WebField("method", "method")
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
