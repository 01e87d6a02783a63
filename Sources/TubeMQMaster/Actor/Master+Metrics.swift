extension Master {
    /// `/metrics`: sets the gauges from the current state (brokers, topics, groups, consumers,
    /// producers) and renders the master's registry in the Prometheus text format.
    public func metricsText() -> String {
        metrics.update(from: state)
        return metrics.exposition()
    }
}
