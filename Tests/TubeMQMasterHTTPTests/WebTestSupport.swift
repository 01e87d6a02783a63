import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TubeMQMaster
import TubeMQMasterHTTP
import TubeMQWebSupport

/// A master (in memory) with its webapi on a free port, and a client talking HTTP to it.
enum WebTestSupport {
    static let token = "abc"

    static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.web")
        logger.logLevel = .warning
        return logger
    }()

    static func withMaster<T: Sendable>(
        security: MasterSecurity? = nil,
        webLogger: Logger = logger,
        _ body: @escaping @Sendable (Master, WebClient) async throws -> T
    ) async throws -> T {
        let master = try await Master(logger: logger)
        let web = try await MasterHTTPServer.start(
            master: master,
            port: 0,
            authToken: token,
            security: security,
            logger: webLogger
        )
        do {
            let result = try await WebClient.with(port: web.port) { client in try await body(master, client) }
            await web.shutdown()
            await master.shutdown()
            return result
        } catch {
            await web.shutdown()
            await master.shutdown()
            throw error
        }
    }
}

/// One parsed webapi answer: the raw text and the JSON, keys in order.
struct WebAnswer: Sendable {
    var status: Int
    var text: String
    var json: JSONObject

    /// The top-level keys, in order.
    var keys: [String] { json.fields.map(\.key) }
    /// `result`.
    var result: Bool? { json["result"]?.boolValue }
    /// `errCode`.
    var errCode: Int64? { json["errCode"]?.numberValue }
    /// `errMsg`.
    var errMsg: String? { json["errMsg"]?.stringValue }
    /// The objects of `data`.
    var data: [JSONObject] { json["data"]?.items?.compactMap(\.object) ?? [] }
    /// `count`.
    var count: Int64? { json["count"]?.numberValue }
}

/// An HTTP client for the webapi.
struct WebClient: Sendable {
    let client: TestClient

    static func with<T: Sendable>(
        port: Int,
        _ body: @escaping @Sendable (WebClient) async throws -> T
    ) async throws
        -> T
    {
        // A generous read timeout: a 64 MiB upload on a loaded two-core CI machine took over 15 s.
        try await TestClient.withClient(
            host: "127.0.0.1",
            port: port,
            configuration: .init(timeout: .seconds(90))
        ) { client in
            try await body(WebClient(client: client))
        }
    }

    /// GET `path?query`, parsed.
    func get(_ query: String, path: String = "/webapi.htm") async throws -> WebAnswer {
        let response = try await client.get(query.isEmpty ? path : "\(path)?\(query)")
        return try Self.answer(response)
    }

    /// POST a form body to `path`, parsed.
    func post(form: String, path: String = "/webapi.htm") async throws -> WebAnswer {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.post(path, headers: headers, body: ByteBuffer(string: form))
        return try Self.answer(response)
    }

    /// The raw response of a GET.
    func raw(_ uri: String) async throws -> (status: Int, text: String, contentType: String?) {
        let response = try await client.get(uri)
        return (response.status.code, String(buffer: response.body ?? ByteBuffer()), response.headers[.contentType])
    }

    /// A query method call.
    func query(_ method: String, _ parameters: String = "") async throws -> WebAnswer {
        try await get("type=op_query&method=\(method)" + (parameters.isEmpty ? "" : "&\(parameters)"))
    }

    /// A modify method call with the right token.
    func modify(_ method: String, _ parameters: String) async throws -> WebAnswer {
        try await get("type=op_modify&method=\(method)&confModAuthToken=\(WebTestSupport.token)&\(parameters)")
    }

    /// `admin_get_methods` as method name → whether it needs the token, and the answer's `count`.
    func methods() async throws -> (needsAuth: [String: Bool], count: Int64?) {
        let answer = try await query("admin_get_methods")
        let pairs = answer.data.compactMap { item in
            item.string("method").map { ($0, item.bool("needAuth") ?? false) }
        }
        return (Dictionary(uniqueKeysWithValues: pairs), answer.count)
    }

    /// A modify call that must be refused: the method, its parameters and the `errMsg` expected.
    typealias Refusal = (method: String, parameters: String, errMsg: String)

    /// Makes each modify call (with the right token) and expects TubeMQ's parameter-failure envelope:
    /// `result` false, `errCode` 400 and the expected `errMsg`, with no `data`.
    func expectRefused(_ refusals: [Refusal], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for refusal in refusals {
            let answer = try await modify(refusal.method, refusal.parameters)
            let call: Comment = "\(refusal.method) \(refusal.parameters)"
            #expect(answer.keys == ["result", "errCode", "errMsg"], call, sourceLocation: sourceLocation)
            #expect(answer.result == false, call, sourceLocation: sourceLocation)
            #expect(answer.errCode == 400, call, sourceLocation: sourceLocation)
            #expect(answer.errMsg == refusal.errMsg, call, sourceLocation: sourceLocation)
        }
    }

    static func answer(_ response: TestClient.Response) throws -> WebAnswer {
        let text = String(buffer: response.body ?? ByteBuffer())
        let parsed = try JSON.parse(text)
        let json = try #require(parsed.object, "not a JSON object: \(text)")
        return WebAnswer(status: response.status.code, text: text, json: json)
    }
}

extension JSONObject {
    /// The keys, in order.
    var keys: [String] { fields.map(\.key) }
    /// A string field.
    func string(_ key: String) -> String? { self[key]?.stringValue }
    /// A number field.
    func number(_ key: String) -> Int64? { self[key]?.numberValue }
    /// A boolean field.
    func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    /// The objects of an array field.
    func objects(_ key: String) -> [JSONObject] { self[key]?.items?.compactMap(\.object) ?? [] }
}
