import TubeMQBroker
import TubeMQWebSupport

/// The broker's statistics: `admin_get_metrics_info`, and the switches `admin_enable_stats`,
/// `admin_disable_stats` and `admin_disable_all_stats`.
extension BrokerWebAPI {
    static let metricsMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_get_metrics_info") { api, p throws(BrokerWebError) in try api.metricsInfo(p) }
    ]

    static let statsSwitchMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_enable_stats") { api, p throws(BrokerWebError) in
            try api.switchStats(p, enabled: true)
        },
        BrokerWebMethod("admin_disable_stats") { api, p throws(BrokerWebError) in
            try api.switchStats(p, enabled: false)
        },
        BrokerWebMethod("admin_disable_all_stats") { api, p throws(BrokerWebError) in
            try api.switchStats(p, enabled: false, type: .all)
        },
    ]

    /// `admin_get_metrics_info`: `data:[{probeTime, nodeName, nodeRole:"Broker", metrics, count}]`, the
    /// statistics since their last reset; `needRefresh=true` resets them after reading (the Prometheus
    /// series of `/metrics` only grow). `metrics` holds TubeMQ's `serviceStatus` (`reset_time`,
    /// `isDiskSyncClosed`, the latencies in ms of flush jobs, `file_sync_dlt`, and of appends,
    /// `msg_append_dlt`, as `{count, min, max, cells}`, and the consumers and connections of now) and
    /// `webAPI` (`reset_time`, `isClosed`, `web_calls` and per method `{count, min, max}`), and, beyond
    /// TubeMQ's two, `msgStore`: per topic `isClosed` and the messages and bytes in, out and flushed.
    func metricsInfo(_ p: WebParameters) throws(BrokerWebError) -> JSONObject {
        let refresh: Bool
        do throws(WebParameterError) {
            refresh = try p.bool(.needRefresh) ?? false
        } catch {
            throw BrokerWebError(error)
        }
        let report = broker.statsReport(reset: refresh)
        let service = report.serviceStatus
        let web = report.webAPI
        var methods = JSONObject()
        for (method, calls) in web.methods {
            methods.append(
                method,
                .object(["count": .number(calls.count), "min": .number(calls.min), "max": .number(calls.max)])
            )
        }
        let topics: [JSON] = report.topics.map { totals in
            .object([
                "topicName": .string(totals.topic), "isClosed": .bool(totals.isClosed),
                "msg_in_cnt": .number(totals.messagesIn), "msg_in_size": .number(totals.bytesIn),
                "msg_out_cnt": .number(totals.messagesOut), "msg_out_size": .number(totals.bytesOut),
                "file_flushed_msg": .number(totals.flushedMessages), "file_flushed_data": .number(totals.flushedBytes),
            ])
        }
        let metrics: JSONObject = [
            "serviceStatus": .object([
                "reset_time": .string(WebDate.format(service.resetTime)), "isDiskSyncClosed": .bool(service.isClosed),
                "file_sync_dlt": Self.latency(service.fileSync), "msg_append_dlt": Self.latency(service.append),
                "consume_online_cnt": .int(service.consumersOnline), "connection_cnt": .int(service.connections),
            ]),
            "webAPI": .object([
                "reset_time": .string(WebDate.format(web.resetTime)), "isClosed": .bool(web.isClosed),
                "web_calls": Self.latency(web.calls), "methods": .object(methods),
            ]),
            "msgStore": .array(topics),
        ]
        let item: JSONObject = [
            "probeTime": .string(WebDate.format(broker.metrics.now)), "nodeName": .string(broker.configuration.host),
            "nodeRole": "Broker", "metrics": .object(metrics), "count": .int(metrics.fields.count),
        ]
        return Envelope.success(objects: [item])
    }

    /// `{count, min, max, cells}` with the cells that counted something, as TubeMQ's `ESTHistogram`.
    static func latency(_ summary: LatencySummary) -> JSON {
        var cells = JSONObject()
        for (index, count) in summary.cells.enumerated() where count > 0 {
            cells.append(LatencySummary.cellName(index), .number(count))
        }
        return .object([
            "count": .number(summary.count), "min": .number(summary.min), "max": .number(summary.max),
            "cells": .object(cells),
        ])
    }

    /// `admin_enable_stats` / `admin_disable_stats` (`statsType` required: `all`, `serviceStatus`,
    /// `webAPI` or `msgStore`, in any case) and `admin_disable_all_stats` (every type): switches the
    /// statistics (``TubeMQBroker/BrokerMetrics/setStats(_:enabled:topics:)``); for `msgStore` and
    /// `all`, those of the `topicName` list, or of every topic when absent. A topic this broker does
    /// not serve is refused (TubeMQ skips it silently, so a misspelt name switched nothing).
    func switchStats(
        _ p: WebParameters,
        enabled: Bool,
        type fixed: BrokerStatsType? = nil
    ) throws(BrokerWebError) -> JSONObject {
        let type: BrokerStatsType
        let topics: [String]
        do throws(WebParameterError) {
            if let fixed {
                type = fixed
            } else {
                let name = try p.requiredString(.statsType)
                guard let named = BrokerStatsType(named: name) else {
                    let allowed = BrokerStatsType.allCases.map(\.rawValue).joined(separator: ",")
                    throw WebParameterError("Unmatched stat type, allowed stat type are : [\(allowed)]")
                }
                type = named
            }
            topics = type == .all || type == .msgStore ? try p.list(.topicName) : []
        } catch {
            throw BrokerWebError(error)
        }
        let served = Set(broker.topics.map(\.name))
        if let unknown = topics.first(where: { !served.contains($0) }) {
            throw BrokerWebError("topic \(unknown) is not served by this broker")
        }
        broker.metrics.setStats(type, enabled: enabled, topics: topics)
        return Envelope.success()
    }
}
