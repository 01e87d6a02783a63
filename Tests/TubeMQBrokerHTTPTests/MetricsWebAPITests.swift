import Testing
import TubeMQWebSupport

/// `admin_get_metrics_info` and the statistics switches (`admin_enable_stats`,
/// `admin_disable_stats`, `admin_disable_all_stats`): a kind switched off stops counting, in the
/// report and in `/metrics`.
@Suite struct MetricsWebAPITests {
    /// The `metrics` object of `admin_get_metrics_info`.
    static func metrics(_ fixture: BrokerFixture, refresh: Bool = false) async throws -> JSONObject {
        let reply = try await fixture.get("method=admin_get_metrics_info&needRefresh=\(refresh)")
        return try #require(reply.objects("data").first?["metrics"]?.object, "\(reply.text)")
    }

    /// `t_off`'s counters in `msgStore`.
    static func topic(_ metrics: JSONObject) -> JSONObject? {
        metrics.objects("msgStore").first { $0.string("topicName") == BrokerFixture.topic }
    }

    /// The value of the series `name{topic="t_off"}` in `/metrics`.
    static func series(_ fixture: BrokerFixture, _ name: String) async throws -> Double? {
        let prefix = "\(name){topic=\"\(BrokerFixture.topic)\"} "
        let line = try await fixture.metricsText().split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    @Test func metricsInfoReportsWhatTheBrokerCounts() async throws {
        try await BrokerFixture.with { fixture in
            let reply = try await fixture.get("method=admin_get_metrics_info")
            #expect(reply.keys == ["result", "errCode", "errMsg", "data", "count"])
            #expect(reply.number("count") == 1)
            let item = try #require(reply.objects("data").first)
            #expect(item.keys == ["probeTime", "nodeName", "nodeRole", "metrics", "count"])
            #expect(item.string("nodeRole") == "Broker")
            #expect(item.number("count") == 3)
            #expect(item.string("probeTime")?.count == 14)

            try await fixture.send(3)
            try await fixture.register()
            let metrics = try await Self.metrics(fixture)
            #expect(metrics.keys == ["serviceStatus", "webAPI", "msgStore"])
            let service = try #require(metrics["serviceStatus"]?.object)
            #expect(
                service.keys == [
                    "reset_time", "isDiskSyncClosed", "file_sync_dlt", "msg_append_dlt", "consume_online_cnt",
                    "connection_cnt",
                ]
            )
            #expect(service.bool("isDiskSyncClosed") == false)
            #expect(service["msg_append_dlt"]?.object?.number("count") == 3)
            #expect(service["msg_append_dlt"]?.object?["cells"]?.object?.keys.first?.hasPrefix("cell_") == true)
            #expect(service.number("consume_online_cnt") == 1)
            #expect((service.number("connection_cnt") ?? 0) >= 1)
            let web = try #require(metrics["webAPI"]?.object)
            #expect(web.keys == ["reset_time", "isClosed", "web_calls", "methods"])
            #expect((web["web_calls"]?.object?.number("count") ?? 0) >= 1)
            #expect(web["methods"]?.object?["admin_get_metrics_info"]?.object?.number("count") == 1)
            let topic = try #require(Self.topic(metrics))
            #expect(
                topic.keys == [
                    "topicName", "isClosed", "msg_in_cnt", "msg_in_size", "msg_out_cnt", "msg_out_size",
                    "file_flushed_msg", "file_flushed_data",
                ]
            )
            #expect(topic.number("msg_in_cnt") == 3)
            #expect(topic.number("msg_in_size") == 6)

            // needRefresh: read, then start again from zero; the Prometheus series keep growing.
            _ = try await Self.metrics(fixture, refresh: true)
            let reset = try await Self.metrics(fixture)
            #expect(Self.topic(reset)?.number("msg_in_cnt") == 0)
            #expect(reset["serviceStatus"]?.object?["msg_append_dlt"]?.object?.number("count") == 0)
            #expect(try await Self.series(fixture, "tubemq_broker_msg_in_total") == 3)

            let bad = try await fixture.get("method=admin_get_metrics_info&needRefresh=maybe")
            #expect(
                bad.string("errMsg")
                    == "Bad request from server: Parameter needRefresh must be true or false, got maybe!"
            )
        }
    }

    @Test func aSwitchedOffKindStopsCounting() async throws {
        try await BrokerFixture.with { fixture in
            try await fixture.send(1)
            let off = try await fixture.get("method=admin_disable_stats&statsType=msgstore&topicName=t_off")
            #expect(off.text == #"{"result":true,"errCode":0,"errMsg":"OK","data":[]}"#)
            try await fixture.send(2)
            var metrics = try await Self.metrics(fixture)
            #expect(Self.topic(metrics)?.bool("isClosed") == true)
            #expect(Self.topic(metrics)?.number("msg_in_cnt") == 1)
            #expect(try await Self.series(fixture, "tubemq_broker_msg_in_total") == 1, "not in /metrics either")
            _ = try await fixture.get("method=admin_enable_stats&statsType=msgStore")
            try await fixture.send(1)
            #expect(try await Self.series(fixture, "tubemq_broker_msg_in_total") == 2)

            _ = try await fixture.get("method=admin_disable_stats&statsType=serviceStatus")
            let appends = try await Self.metrics(fixture)["serviceStatus"]?.object?["msg_append_dlt"]?.object?.number(
                "count"
            )
            try await fixture.send(1)
            metrics = try await Self.metrics(fixture)
            #expect(metrics["serviceStatus"]?.object?.bool("isDiskSyncClosed") == true)
            #expect(metrics["serviceStatus"]?.object?["msg_append_dlt"]?.object?.number("count") == appends)
            _ = try await fixture.get("method=admin_enable_stats&st=serviceStatus")

            _ = try await fixture.get("method=admin_disable_stats&statsType=webAPI")
            let calls = try await Self.metrics(fixture)["webAPI"]?.object?["web_calls"]?.object?.number("count")
            metrics = try await Self.metrics(fixture)
            #expect(metrics["webAPI"]?.object?.bool("isClosed") == true)
            #expect(metrics["webAPI"]?.object?["web_calls"]?.object?.number("count") == calls)

            _ = try await fixture.get("method=admin_enable_stats&statsType=all")
            _ = try await fixture.get("method=admin_disable_all_stats")
            try await fixture.send(1)
            metrics = try await Self.metrics(fixture)
            #expect(metrics["serviceStatus"]?.object?.bool("isDiskSyncClosed") == true)
            #expect(metrics["webAPI"]?.object?.bool("isClosed") == true)
            #expect(Self.topic(metrics)?.bool("isClosed") == true)
            #expect(try await Self.series(fixture, "tubemq_broker_msg_in_total") == 3, "the send of the last step")
            _ = try await fixture.get("method=admin_enable_stats&statsType=ALL")
            try await fixture.send(1)
            #expect(try await Self.series(fixture, "tubemq_broker_msg_in_total") == 4)
        }
    }

    @Test func switchesRefuseBadInputs() async throws {
        try await BrokerFixture.with { fixture in
            let cases: [(String, String)] = [
                ("method=admin_enable_stats", "Parameter statsType is missing or value is blank!"),
                (
                    "method=admin_disable_stats&statsType=disk",
                    "Unmatched stat type, allowed stat type are : [all,serviceStatus,webAPI,msgStore]"
                ),
                (
                    "method=admin_disable_stats&statsType=msgStore&topicName=t_none",
                    "topic t_none is not served by this broker"
                ),
                ("method=admin_disable_all_stats&topicName=t_none", "topic t_none is not served by this broker"),
                (
                    "method=admin_enable_stats&statsType=msgStore&topicName=1x",
                    "Parameter topicName value 1x must be a letter followed by one or more letters, digits or underscores!"
                ),
            ]
            for (query, message) in cases {
                let reply = try await fixture.get(query)
                #expect(reply.text == BrokerFixtureText.failure("Bad request from server: \(message)"), "\(query)")
            }
            // Nothing was switched by the refused calls.
            let metrics = try await Self.metrics(fixture)
            #expect(metrics["serviceStatus"]?.object?.bool("isDiskSyncClosed") == false)
            #expect(metrics["webAPI"]?.object?.bool("isClosed") == false)
        }
    }
}
