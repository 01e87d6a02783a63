/// One webapi request as the handlers see it: the path and the decoded parameters (query string
/// and form body together; the query string wins when a name is in both).
package struct WebRequest: Sendable {
    /// The request path, percent-decoded (`/webapi.htm`).
    package var path: String
    /// The parameters.
    package var parameters: WebParameters
    /// The raw query string (without `?`), if any: what a redirect to another master carries on.
    package var query: String?
    /// The caller's address (`127.0.0.1:53412`), for audit lines; `nil` when unknown.
    package var peer: String?

    /// Creates a request.
    package init(path: String, parameters: WebParameters, query: String? = nil, peer: String? = nil) {
        self.path = path
        self.parameters = parameters
        self.query = query
        self.peer = peer
    }
}

/// What a webapi handler answers: a body, its content type and the HTTP status (200 for every
/// API answer, errors included; admin-api.md §1).
package struct WebReply: Sendable {
    /// The body text.
    package var body: String
    /// The `Content-Type` header.
    package var contentType: String
    /// The HTTP status code.
    package var status: Int
    /// The `Location` header of a redirect.
    package var location: String?
    /// Whether the reply carries `Access-Control-Allow-Origin: *` (`/metrics`, read by the master's
    /// console from the brokers' web ports).
    package var allowsAnyOrigin = false

    /// Creates a reply.
    package init(body: String, contentType: String = WebReply.jsonContentType, status: Int = 200) {
        self.body = body
        self.contentType = contentType
        self.status = status
    }

    /// A JSON reply with status 200.
    package init(json: JSONObject) {
        self.init(body: json.text)
    }

    /// `application/json;charset=UTF-8`.
    package static let jsonContentType = "application/json;charset=UTF-8"

    /// A 302 redirect to `location` (a standby master's answer, admin-api.md §1).
    package static func redirect(to location: String) -> WebReply {
        var reply = WebReply(body: "", contentType: "text/plain;charset=UTF-8", status: 302)
        reply.location = location
        return reply
    }

    /// A plain 404 for paths the server does not serve.
    package static let notFound = WebReply(body: "Not Found", contentType: "text/plain;charset=UTF-8", status: 404)
}
