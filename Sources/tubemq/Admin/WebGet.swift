import Foundation
import NIOSSL
import TubeMQWebSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One GET of a webapi URL: `http://` through URLSession, `https://` through NIO with the TLS
/// context of `--tls-ca` (or the system's trusted CAs without it).
enum WebGet {
    /// The answer: status and body.
    struct Answer {
        /// The HTTP status code.
        var status: Int
        /// The body.
        var data: Data
    }

    /// How long one GET may take when the caller names no limit, in seconds.
    static let defaultTimeout: TimeInterval = 10

    /// GETs `url`, following redirects (a standby master's) up to five hops.
    ///
    /// - Parameter timeout: seconds the whole GET (connecting included) may take.
    /// - Throws: ``WebAPIFailure`` when the server cannot be reached or does not answer within
    ///   `timeout` or, over HTTPS, the handshake fails (an untrusted certificate, a server that does
    ///   not speak TLS).
    static func fetch(
        _ url: URL,
        tls: NIOSSLContext?,
        timeout: TimeInterval = defaultTimeout,
        redirects: Int = 0
    ) async throws(WebAPIFailure) -> Answer {
        guard url.scheme?.lowercased() == "https" else {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            configuration.timeoutIntervalForResource = timeout
            let session = URLSession(configuration: configuration)
            defer { session.finishTasksAndInvalidate() }
            do {
                let (data, response) = try await session.data(from: url)
                return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 200, data: data)
            } catch let error as URLError where error.code == .timedOut {
                throw WebAPIFailure("no answer within \(Self.seconds(timeout)) s (--timeout)")
            } catch let error as URLError where error.code == .zeroByteResource || error.code == .badServerResponse {
                // What a TLS port answers a plain request: nothing an HTTP client can read.
                throw WebAPIFailure(
                    "\((error as NSError).localizedDescription): the port may serve HTTPS; use https:// and --tls-ca"
                )
            } catch {
                throw WebAPIFailure((error as NSError).localizedDescription)
            }
        }
        guard let host = url.host, !host.isEmpty else { throw WebAPIFailure("no host in \(url)") }
        let context: NIOSSLContext
        do {
            context = try tls ?? NIOSSLContext(configuration: .makeClientConfiguration())
        } catch {
            throw WebAPIFailure("TLS: \(error)")
        }
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path =
            (components?.percentEncodedPath.isEmpty == false ? components!.percentEncodedPath : "/")
            + (components?.percentEncodedQuery.map { "?" + $0 } ?? "")
        let response: WebFetch.Response
        do {
            response = try await WebFetch.get(
                host: host,
                port: url.port ?? 443,
                path: path,
                tls: context,
                timeoutMilliseconds: Int64(timeout * 1000)
            )
        } catch {
            // A plain port answering the handshake: say so, not the TLS library's error with its source path.
            if error.message.contains("WRONG_VERSION_NUMBER") || error.message.contains("HTTP_REQUEST") {
                throw WebAPIFailure("the TLS handshake failed: the port answers in plain HTTP; use http://")
            }
            throw WebAPIFailure(error.message)
        }
        // A standby master redirects to the active one: follow a few hops, as URLSession does.
        if (300..<400).contains(response.status), let location = response.location,
            let next = URL(string: location, relativeTo: url)?.absoluteURL, redirects < 5
        {
            return try await fetch(next, tls: tls, timeout: timeout, redirects: redirects + 1)
        }
        return Answer(status: response.status, data: Data(response.body.utf8))
    }

    /// `seconds` for a message: `10`, `0.5`.
    private static func seconds(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
