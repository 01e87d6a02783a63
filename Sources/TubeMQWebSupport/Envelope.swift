/// The master webapi's response envelopes (admin-api.md §3.1), with their keys in the order the
/// Java server writes them.
package enum Envelope {
    /// `{"result":false,"errCode":<code>,"errMsg":<message>}`: no `data` key.
    package static func failure(code: Int = 400, _ message: String) -> JSONObject {
        ["result": false, "errCode": .int(code), "errMsg": .string(message)]
    }

    /// `{"result":false,"errCode":400,"errMsg":"Bad request from client, <message>"}`: a failure
    /// found before the method ran (authentication, missing or unknown method).
    package static func dispatchFailure(_ message: String) -> JSONObject {
        failure("Bad request from client, \(message)")
    }

    /// `{"result":true,"errCode":0,"errMsg":"OK","data":[]}`.
    package static func success(message: String = "OK") -> JSONObject {
        ["result": true, "errCode": 0, "errMsg": .string(message), "data": []]
    }

    /// `{"result":true,"errCode":0,"errMsg":"OK","data":[…],"count":n}`, `count` being the number
    /// of items.
    package static func success(items: [JSON]) -> JSONObject {
        ["result": true, "errCode": 0, "errMsg": "OK", "data": .array(items), "count": .int(items.count)]
    }

    /// The success-with-list envelope around objects.
    package static func success(objects: [JSONObject]) -> JSONObject {
        success(items: objects.map(JSON.object))
    }
}
