import ArgumentParser
import Foundation
import NIOSSL

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `tubemq admin top`: live rates per topic, from every broker's `/metrics`, refreshed in the
/// terminal. The brokers and their web ports come from the master's `admin_query_broker_configure`.
struct AdminTop {
    /// The master's webapi base URL.
    var web: String
    /// The client TLS context for an `https://` `web`.
    var tls: NIOSSLContext?
    /// Seconds each webapi or `/metrics` GET may take.
    var timeout: TimeInterval
    /// Seconds between refreshes.
    var interval: Double
    /// Refreshes to show before exiting (0: until interrupted).
    var count: Int
    /// Whether to clear the screen before each refresh (off when the output is not a terminal).
    var clearScreen: Bool

    /// One broker's `/metrics` address.
    struct Broker {
        var id: Int
        var url: URL
    }

    /// The counters of one refresh, per topic (summed over the brokers).
    struct Totals {
        var messagesIn: [String: Double] = [:]
        var messagesOut: [String: Double] = [:]
        var bytesIn: [String: Double] = [:]
        var bytesOut: [String: Double] = [:]
        var lag: [String: Double] = [:]
        var unreachable: [Int] = []
    }

    func run() async throws {
        let brokers = try await self.brokers()
        guard !brokers.isEmpty else { throw ValidationError("the master at \(web) has no brokers") }
        var previous = await totals(brokers)
        var previousTime = Date()
        var shown = 0
        while count == 0 || shown < count {
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            let current = await totals(brokers)
            let now = Date()
            let seconds = max(now.timeIntervalSince(previousTime), 0.001)
            print(
                render(previous: previous, current: current, seconds: seconds, brokers: brokers.count),
                terminator: ""
            )
            fflush(nil)
            previous = current
            previousTime = now
            shown += 1
        }
    }

    /// The brokers the master knows, with their web ports.
    func brokers() async throws -> [Broker] {
        guard var components = URLComponents(string: web) else { throw ValidationError("bad --web URL \(web)") }
        components.path = "/webapi.htm"
        components.queryItems = [
            URLQueryItem(name: "type", value: "op_query"),
            URLQueryItem(name: "method", value: "admin_query_broker_configure"),
        ]
        guard let url = components.url else { throw ValidationError("bad --web URL \(web)") }
        let data: Data
        do {
            data = try await WebGet.fetch(url, tls: tls, timeout: timeout).data
        } catch {
            throw WebAPIFailure("cannot reach the master webapi at \(web): \(error) (is --web right?)")
        }
        guard let envelope = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            envelope["result"] as? Bool == true, let records = envelope["data"] as? [[String: Any]]
        else { throw WebAPIFailure("unexpected answer from \(url)") }
        return records.compactMap { record in
            guard let id = record["brokerId"] as? Int, let host = record["brokerIp"] as? String,
                let port = record["brokerWebPort"] as? Int, let url = URL(string: "http://\(host):\(port)/metrics")
            else { return nil }
            return Broker(id: id, url: url)
        }
        .sorted { $0.id < $1.id }
    }

    /// Reads every broker's counters (a broker that does not answer is listed as unreachable).
    func totals(_ brokers: [Broker]) async -> Totals {
        var totals = Totals()
        for broker in brokers {
            guard let scrape = try? await MetricsScrape.fetch(broker.url, timeout: timeout) else {
                totals.unreachable.append(broker.id)
                continue
            }
            totals.messagesIn.merge(scrape.sum("tubemq_broker_msg_in_total", by: "topic"), uniquingKeysWith: +)
            totals.messagesOut.merge(scrape.sum("tubemq_broker_msg_out_total", by: "topic"), uniquingKeysWith: +)
            totals.bytesIn.merge(scrape.sum("tubemq_broker_msg_in_bytes_total", by: "topic"), uniquingKeysWith: +)
            totals.bytesOut.merge(scrape.sum("tubemq_broker_msg_out_bytes_total", by: "topic"), uniquingKeysWith: +)
            totals.lag.merge(scrape.sum("tubemq_broker_consumer_lag", by: "topic"), uniquingKeysWith: +)
        }
        return totals
    }

    /// One refresh: a table of rates per topic between two reads.
    func render(previous: Totals, current: Totals, seconds: Double, brokers: Int) -> String {
        func rate(_ key: String, _ now: [String: Double], _ before: [String: Double]) -> Double {
            max(0, (now[key] ?? 0) - (before[key] ?? 0)) / seconds
        }
        let topics = Set(current.messagesIn.keys).union(current.messagesOut.keys).sorted()
        var lines: [String] = []
        let time = ISO8601DateFormatter().string(from: Date())
        lines.append("tubemq top  \(time)  \(brokers) broker(s)  every \(interval)s  (Ctrl-C to quit)")
        if !current.unreachable.isEmpty {
            lines.append("unreachable brokers: " + current.unreachable.map(String.init).joined(separator: ", "))
        }
        lines.append("")
        lines.append(Self.row(["TOPIC", "IN msg/s", "OUT msg/s", "IN KB/s", "OUT KB/s", "LAG msgs"]))
        for topic in topics {
            lines.append(
                Self.row([
                    topic,
                    Self.format(rate(topic, current.messagesIn, previous.messagesIn)),
                    Self.format(rate(topic, current.messagesOut, previous.messagesOut)),
                    Self.format(rate(topic, current.bytesIn, previous.bytesIn) / 1024),
                    Self.format(rate(topic, current.bytesOut, previous.bytesOut) / 1024),
                    String(Int(current.lag[topic] ?? 0)),
                ])
            )
        }
        if topics.isEmpty { lines.append("(no topic has traffic yet)") }
        let text = lines.joined(separator: "\n") + "\n"
        return clearScreen ? "\u{1B}[H\u{1B}[2J" + text : text + "\n"
    }

    static func row(_ cells: [String]) -> String {
        let first = cells[0].count >= 24 ? cells[0] : cells[0] + String(repeating: " ", count: 24 - cells[0].count)
        return first
            + cells.dropFirst().map { $0.count >= 12 ? " " + $0 : String(repeating: " ", count: 12 - $0.count) + $0 }
            .joined()
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }
}
