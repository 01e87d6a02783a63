import TubeMQMaster
import TubeMQWebSupport

/// `/broker-webapi.htm?brokerId=N&method=…`: the master hands a broker offset call to broker `N`'s
/// webapi (its `brokerIp` and `brokerWebPort`) and answers with the broker's reply unchanged. It
/// lets the console, which may only talk to its own origin, query and reset offsets; the broker
/// checks the token (`confModAuthToken`) of the calls that move offsets, the master passes it on.
/// Only the offset and store methods of admin-api.md §5.6 are forwarded.
struct BrokerWebProxy: Sendable {
    /// The path the console calls.
    static let path = "/broker-webapi.htm"

    /// The broker methods forwarded.
    static let methods: Set<String> = [
        "admin_query_group_offset", "admin_query_offset", "admin_set_offset", "admin_set_offset_by_time",
        "admin_manual_set_current_offset", "admin_query_broker_all_store_info", "admin_query_broker_memstore_info",
    ]

    let master: Master

    /// Forwards one request.
    func handle(_ request: WebRequest) async -> WebReply {
        WebReply(json: await forward(request.parameters))
    }

    func forward(_ parameters: WebParameters) async -> JSONObject {
        guard let method = parameters.value(MasterWebAPI.method) else {
            return Envelope.dispatchFailure("Please take with method parameter!")
        }
        guard Self.methods.contains(method) else {
            return Envelope.dispatchFailure("method \(method) is not a broker offset method!")
        }
        let id: Int32
        do throws(WebParameterError) {
            id = try parameters.int32(.brokerID, required: true, range: 0...Int64(Int32.max)) ?? 0
        } catch {
            return Envelope.failure(error.message)
        }
        guard let broker = await master.broker(id: id) else {
            return Envelope.failure("Not found the broker configure by brokerId=\(id)!")
        }
        let host = broker.config.host
        let port = broker.config.webPort
        let form = parameters.values
            .filter { $0.key != WebField.brokerID.long && $0.key != WebField.brokerID.short }
            .sorted { $0.key < $1.key }
            .map { "\(FormEncoding.encode($0.key))=\(FormEncoding.encode($0.value))" }
            .joined(separator: "&")
        let response: WebFetch.Response
        do {
            response = try await WebFetch.post(host: host, port: port, path: "/webapi.htm", form: form)
        } catch {
            return Envelope.failure("broker \(id) (\(host):\(port)) did not answer: \(error.message)")
        }
        guard response.status == 200, let reply = (try? JSON.parse(response.body))?.object else {
            return Envelope.failure(
                "broker \(id) (\(host):\(port)) answered HTTP \(response.status) without a JSON reply"
            )
        }
        return reply
    }
}

/// `application/x-www-form-urlencoded` encoding.
enum FormEncoding {
    /// `text` with every byte but unreserved ASCII percent-encoded.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
