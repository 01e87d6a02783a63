import Testing
import TubeMQMaster
import TubeMQMasterHTTP
import TubeMQTestKit

/// The master's `/metrics`, on its web port and on the `[prometheus] promHttpPort` listener, and the
/// console's charts assets.
@Suite struct MetricsEndpointTests {
    @Test func webPortServesMetricsInPrometheusText() async throws {
        try await WebTestSupport.withMaster { _, client in
            let answer = try await client.raw("/metrics")
            #expect(answer.status == 200)
            #expect(answer.contentType == "text/plain; version=0.0.4; charset=utf-8")
            let samples = try await PrometheusText.parse(answer.text)
            #expect(samples.sum("tubemq_master_ha_role", ["role": "active"]) == 1)
            #expect(samples.sum("tubemq_master_ha_role", ["role": "standby"]) == 0)
            #expect(samples.contains("tubemq_master_broker_online_cnt"))
            #expect(samples.sum("tubemq_master_topic_cnt") == 0)
        }
    }

    @Test func prometheusListenerServesOnlyMetrics() async throws {
        let master = try await Master(logger: WebTestSupport.logger)
        let listener = try await MasterHTTPServer.startPrometheus(
            master: master,
            port: 0,
            logger: WebTestSupport.logger
        )
        do {
            let metrics = try await TestHTTP.get(port: listener.port, path: "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["access-control-allow-origin"] == "*")
            let samples = try await PrometheusText.parse(metrics.body)
            #expect(samples.sum("tubemq_master_ha_role", ["role": "active"]) == 1)
            let other = try await TestHTTP.get(port: listener.port, path: "/webapi.htm")
            #expect(other.status == 404)
        } catch {
            await listener.shutdown()
            await master.shutdown()
            throw error
        }
        await listener.shutdown()
        await master.shutdown()
    }

    @Test func chartsAssetsAreServed() async throws {
        try await WebTestSupport.withMaster { _, client in
            let page = try await client.raw("/")
            #expect(page.text.contains("/assets/console-charts.js"))
            #expect(page.text.contains("id=\"page-charts\""))
            let script = try await client.raw("/assets/console-charts.js")
            #expect(script.status == 200)
            #expect(script.text.contains("tubemq_broker_msg_in_total"))
            let style = try await client.raw("/assets/console-charts.css")
            #expect(style.contentType == "text/css;charset=UTF-8")
        }
    }
}
