import ArgumentParser
import Foundation
import NIOSSL

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `tubemq admin`: the master's webapi (`/webapi.htm`) from the command line.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Call the master's admin webapi: topics, brokers, groups, or any admin_* method.",
        discussion: """
            Examples:
              tubemq admin topics
              tubemq admin brokers
              tubemq admin groups
              tubemq admin masters                 (the HA group: which master is active)
              tubemq admin transfer-master         (the active master hands over to the next one)
              tubemq admin top                     (live rates per topic from the brokers' /metrics)
              tubemq admin call admin_add_new_topic_record topicName=t1 brokerId=1 numPartitions=4
              tubemq admin offsets --group g1
              tubemq admin lag
              tubemq admin reset-offsets --group g1 --topic t1 --to-time 2026-12-01T10:00:00Z --data ./data
            """
    )

    @Argument(help: "topics, brokers, groups, masters, transfer-master, top, call, offsets, lag or reset-offsets.")
    var action: String

    @Argument(help: "With call: the method, then key=value parameters.")
    var parameters: [String] = []

    @Option(help: "The master's webapi base URL (https://host:port with --tls-ca).")
    var web = "http://127.0.0.1:8080"

    @Option(help: "With an https:// --web: trust the CAs in this file (PEM, or PKCS#12).")
    var tlsCa: String?

    @Option(help: "With an https:// --web: client certificate and key for two-way TLS.")
    var tlsCert: String?

    @Option(help: "File holding the password of a PKCS#12 --tls-ca or --tls-cert (its first line).")
    var tlsPasswordFile: String?

    @Flag(help: "Accept any certificate a trusted CA signed, whatever host it names.")
    var tlsNoVerifyHostname = false

    func validate() throws {
        guard let url = URL(string: web), ["http", "https"].contains(url.scheme ?? ""),
            url.host?.isEmpty == false
        else {
            throw ValidationError("--web takes http://host:port or https://host:port, got \(web)")
        }
    }

    /// The client TLS context for an `https://` `--web`.
    func webTLS() throws -> NIOSSLContext? {
        try ClusterOptions.tlsContext(
            ca: tlsCa,
            cert: tlsCert,
            passwordFile: tlsPasswordFile,
            noVerifyHostname: tlsNoVerifyHostname
        )
    }

    @Option(
        help:
            "confModAuthToken, for modify methods (default ASDFGHJKL, or the token of a `standalone --auth` --data folder)."
    )
    var token: String?

    /// The master's modify token: `--token`; for a `tubemq standalone --auth` data folder, its
    /// `webapi.token`; else TubeMQ's default.
    func masterToken() throws -> String {
        if let token { return token }
        if let data {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: data, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--data \(data) is not a standalone data folder")
            }
            if FileManager.default.fileExists(atPath: data + "/auth/users") { return try brokerToken() }
        }
        return "ASDFGHJKL"
    }

    @Option(help: "A `tubemq standalone` data folder: broker offset methods take the token in its webapi.token.")
    var data: String?

    @Option(
        name: .customLong("broker-token"),
        help: "reset-offsets: brokerId=token, for a broker whose webapi token is not --token's (repeatable)."
    )
    var brokerTokens: [String] = []

    /// The `--broker-token` pairs, by broker id.
    func brokerTokensByID() throws -> [Int64: String] {
        var tokens: [Int64: String] = [:]
        for pair in brokerTokens {
            guard let eq = pair.firstIndex(of: "="), let id = Int64(pair[..<eq]), id > 0,
                pair.index(after: eq) < pair.endIndex
            else {
                throw ValidationError("--broker-token takes brokerId=token, got \(pair)")
            }
            tokens[id] = String(pair[pair.index(after: eq)...])
        }
        return tokens
    }

    @Option(help: "The user recorded as creator/modifier.")
    var user = "tubemqcli"

    @OptionGroup var offsets: OffsetOptions

    @Option(parsing: .unconditional, help: "Whole seconds each webapi call may take before the command gives up.")
    var timeout: Int = Int(WebGet.defaultTimeout)

    @Option(parsing: .unconditional, help: "With top: seconds between refreshes.")
    var interval = 2.0

    @Option(parsing: .unconditional, help: "With top: refreshes before exiting (0: until interrupted).")
    var count = 0

    func run() async throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a whole number of seconds > 0") }
        if action == "top" {
            guard interval > 0, count >= 0 else { throw ValidationError("--interval must be > 0 and --count ≥ 0") }
            let terminal = isatty(STDOUT_FILENO) != 0
            try await AdminTop(
                web: web,
                tls: try webTLS(),
                timeout: TimeInterval(timeout),
                interval: interval,
                count: count,
                clearScreen: terminal
            )
            .run()
            return
        }
        let method: String
        var params: [(String, String)] = []
        switch action {
        case "topics": method = "admin_query_topic_info"
        case "brokers": method = "admin_query_broker_configure"
        case "groups": method = "admin_query_sub_info"
        case "masters": method = "admin_query_master_group_info"
        case "transfer-master": method = "admin_transfer_current_master"
        case "offsets", "lag", "reset-offsets":
            try await runOffsets()
            return
        case "call":
            guard let first = parameters.first else { throw ValidationError("call needs a method name") }
            method = first
            for item in parameters.dropFirst() {
                guard let eq = item.firstIndex(of: "=") else {
                    throw ValidationError("parameters are key=value, got \(item)")
                }
                params.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
            }
        default:
            throw ValidationError(
                "unknown action \(action): use topics, brokers, groups, masters, transfer-master, top, call, offsets, lag"
                    + " or reset-offsets"
            )
        }
        let isQuery = method.hasPrefix("admin_query") || method.hasPrefix("admin_get")
        var query = [("type", isQuery ? "op_query" : "op_modify"), ("method", method)]
        var token = try masterToken()
        let brokerMethods: Set = [
            "admin_rmv_offset", "admin_manual_set_current_offset", "admin_set_offset", "admin_set_offset_by_time",
        ]
        if brokerMethods.contains(method) { token = try brokerToken() }
        if !isQuery { query += [("confModAuthToken", token), ("createUser", user), ("modifyUser", user)] }
        guard var components = URLComponents(string: web) else { throw ValidationError("bad --web URL \(web)") }
        components.path = "/webapi.htm"
        components.queryItems = (query + params).map { URLQueryItem(name: $0.0, value: $0.1) }
        guard let url = components.url else { throw ValidationError("bad --web URL \(web)") }
        let tls = try webTLS()
        let data: Data
        do {
            let answer = try await WebGet.fetch(url, tls: tls, timeout: TimeInterval(timeout))
            guard answer.status == 200 else { throw WebAPIFailure("HTTP \(answer.status) from \(url)") }
            data = answer.data
        } catch let failure as WebAPIFailure {
            throw WebAPIFailure("cannot reach the master webapi at \(web): \(failure) (is --web right?)")
        }
        if let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        {
            print(String(decoding: pretty, as: UTF8.self))
            if let envelope = object as? [String: Any] {
                if envelope["result"] as? Bool == false { throw ExitCode(1) }
                // Batch methods answer result true with a record per item; a refused item fails the command too.
                let items = envelope["data"] as? [[String: Any]] ?? []
                let refused = items.filter { $0["success"] as? Bool == false }
                if !refused.isEmpty {
                    FileHandle.standardError.write(
                        Data("\(refused.count) of \(items.count) items were refused (see errInfo above)\n".utf8)
                    )
                    throw ExitCode(1)
                }
            }
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// The broker webapi token: `webapi.token` of `--data` when given, else `--token`.
    func brokerToken() throws -> String {
        guard let data else { return token ?? "ASDFGHJKL" }
        let path = URL(fileURLWithPath: data).appendingPathComponent("webapi.token").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the broker webapi token in \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
