/// The names of the broker's metrics (`docs/metrics.md`); TubeMQ's own stat names where it has one.
public enum BrokerMetricName {
    /// Messages appended, per topic.
    public static let messagesIn = "tubemq_broker_msg_in_total"
    /// Payload bytes appended, per topic.
    public static let bytesIn = "tubemq_broker_msg_in_bytes_total"
    /// Messages returned to consumers, per topic.
    public static let messagesOut = "tubemq_broker_msg_out_total"
    /// Payload bytes returned to consumers, per topic.
    public static let bytesOut = "tubemq_broker_msg_out_bytes_total"
    /// Storage append latency (one append group).
    public static let appendLatency = "tubemq_broker_append_duration_seconds"
    /// Flush job latency (TubeMQ's `cache_flush_dlt`).
    public static let flushLatency = "tubemq_broker_cache_flush_dlt_seconds"
    /// Record bytes written from memory blocks to the segment files, per topic (TubeMQ's `file_flushed_data`).
    public static let flushedBytes = "tubemq_broker_file_flushed_data_bytes_total"
    /// Messages written from memory blocks to the segment files, per topic (TubeMQ's `file_flushed_msg`).
    public static let flushedMessages = "tubemq_broker_file_flushed_msg_total"
    /// Bytes in the segment files, per topic (TubeMQ's `file_total_data_size`, index files included).
    public static let diskBytes = "tubemq_broker_file_total_data_size_bytes"
    /// Record bytes still only in memory blocks, per topic (the memory blocks' fill).
    public static let memoryBytes = "tubemq_broker_cache_data_bytes"
    /// Messages still only in memory blocks, per topic.
    public static let memoryMessages = "tubemq_broker_cache_msg_count"
    /// Open RPC connections.
    public static let connections = "tubemq_broker_connections"
    /// Consumers holding partitions here (TubeMQ's `consumer_online_cnt`).
    public static let consumersOnline = "tubemq_broker_consumer_online_cnt"
    /// Replies, by method id and errCode.
    public static let replies = "tubemq_broker_replies_total"
    /// Messages stored after a group's committed offset, per group, topic and partition.
    public static let consumerLag = "tubemq_broker_consumer_lag"
}
