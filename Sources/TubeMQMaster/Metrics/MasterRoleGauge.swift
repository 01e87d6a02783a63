import Metrics
import Prometheus

/// `tubemq_master_ha_role`: 1 for the role a master has (`active` or `standby`), 0 for the other.
/// It lives in a registry of its own, owned by the master's web server, so that a standby (which
/// runs no ``Master``) reports it too.
public final class MasterRoleGauge: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let active: Meter
    private let standby: Meter

    /// Creates the gauge.
    public init() {
        let factory = PrometheusMetricsFactory(registry: registry)
        active = Meter(label: MasterMetricName.haRole, dimensions: [("role", "active")], factory: factory)
        standby = Meter(label: MasterMetricName.haRole, dimensions: [("role", "standby")], factory: factory)
    }

    /// Sets the gauge and renders it in the Prometheus text format.
    public func text(isActive: Bool) -> String {
        active.set(isActive ? 1 : 0)
        standby.set(isActive ? 0 : 1)
        return registry.emitToString()
    }
}
