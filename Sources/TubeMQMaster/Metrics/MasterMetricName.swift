/// The names of the master's metrics (`docs/metrics.md`); TubeMQ's own stat names where it has one.
public enum MasterMetricName {
    /// Brokers configured (TubeMQ's `broker_configured_cnt`).
    public static let brokersConfigured = "tubemq_master_broker_configured_cnt"
    /// Brokers heartbeating online (TubeMQ's `broker_online_cnt`).
    public static let brokersOnline = "tubemq_master_broker_online_cnt"
    /// Topics configured.
    public static let topics = "tubemq_master_topic_cnt"
    /// Consumer groups with members (TubeMQ's `csm_online_group_cnt`).
    public static let groups = "tubemq_master_csm_online_group_cnt"
    /// Consumers registered (TubeMQ's `consumer_online_cnt`).
    public static let consumers = "tubemq_master_consumer_online_cnt"
    /// Producers registered (TubeMQ's `producer_online_cnt`).
    public static let producers = "tubemq_master_producer_online_cnt"
    /// Balance rounds that planned rebalance events.
    public static let rebalances = "tubemq_master_svr_balance_total"
    /// Rebalance events planned (one per consumer told to connect or disconnect partitions).
    public static let rebalanceEvents = "tubemq_master_svr_balance_events_total"
    /// RPC calls answered, by method name and errCode.
    public static let rpcCalls = "tubemq_master_rpc_calls_total"
    /// 1 for the role this master has now (`active` or `standby`).
    public static let haRole = "tubemq_master_ha_role"
}
