import Foundation
import NIOSSL

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A failed webapi call or an answer the CLI cannot use; printed as `Error: <message>`.
struct WebAPIFailure: Error, CustomStringConvertible, LocalizedError {
    /// What went wrong, for the operator.
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
    var errorDescription: String? { message }
}

/// GET calls to a master or broker webapi, answered with a JSON object.
enum WebAPICall {
    /// Calls `method` at `base` (`http://host:port`) with `parameters` and returns the envelope;
    /// `timeout` bounds the call in seconds.
    ///
    /// - Throws: ``WebAPIFailure`` when the server cannot be reached, answers with another HTTP status
    ///   than 200, or with something that is not a JSON object; a `result:false` envelope is returned.
    static func get(
        _ base: String,
        path: String,
        method: String,
        _ parameters: [(String, String)],
        tls: NIOSSLContext? = nil,
        timeout: TimeInterval = WebGet.defaultTimeout
    ) async throws(WebAPIFailure) -> [String: Any] {
        guard var components = URLComponents(string: base) else { throw WebAPIFailure("bad webapi URL \(base)") }
        components.path = path
        components.queryItems = ([("method", method)] + parameters).map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is a space to a form decoder: send it encoded.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw WebAPIFailure("bad webapi URL \(base)") }
        let answer: WebGet.Answer
        do {
            answer = try await WebGet.fetch(url, tls: tls, timeout: timeout)
        } catch {
            throw WebAPIFailure("cannot reach \(base): \(error)")
        }
        if answer.status != 200 { throw WebAPIFailure("HTTP \(answer.status) from \(base) (\(method))") }
        let data = answer.data
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw WebAPIFailure("\(base) answered \(method) with something that is not a JSON object")
        }
        return object
    }

    /// The `errMsg` of a `result:false` envelope, `nil` for success.
    static func refusal(_ envelope: [String: Any]) -> String? {
        guard envelope["result"] as? Bool == false else { return nil }
        return envelope["errMsg"] as? String ?? "the call failed"
    }

    /// A JSON number as an `Int64`.
    static func int(_ value: Any?) -> Int64? {
        if let number = value as? NSNumber { return number.int64Value }
        if let text = value as? String { return Int64(text) }
        return nil
    }

    /// The objects of an array member.
    static func objects(_ value: Any?) -> [[String: Any]] {
        (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }
}
