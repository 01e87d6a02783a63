/// The result texts the real master and broker put in `errMsg`, with the codes they go with.
///
/// Clients and operators match on some of these strings, so they are reproduced exactly,
/// typos and missing spaces included (see `shared/vectors/README.md`, observations 19–25).
public enum ReplyText {
    /// Success text of most replies.
    public static let ok = "OK!"

    // MARK: Broker

    /// 404: nothing to read at the consumer's offset.
    public static let reachedMaxOffset = "The request offset reached maxOffset!"
    /// 404 for filtered reads past the data on disk.
    public static let exceedMaxFileOffset = "current offset is exceed max file offset"
    /// 400: a send with no data.
    public static let dataLengthZero = "data length is zero!"
    /// 401: a commit for a partition the consumer has not registered.
    public static let partitionNotRegistered = "The partition not registered by consumers"

    /// 403: unknown topic.
    public static func topicNotExisted(_ topic: String) -> String {
        "topicName \(quoted(topic)) not existed, please check your configure"
    }

    /// 403: unknown partition of a known topic.
    public static func partitionNotExisted(topic: String, partitionID: Int32) -> String {
        "partitionId \(quoted(topic))-\(partitionID) not existed, please check your configure"
    }

    /// 403: the checksum sent does not match the data.
    public static func checksumMismatch(sent: Int32, topic: String, computed: Int32) -> String {
        "Checksum msg data failure: \(sent) of \(quoted(topic)) not equal to the data's checksum of \(computed)"
    }

    /// 400: a payload over the topic's allowed length (its maximum message size plus the header allowance).
    public static func dataOverMaxLength(allowed: Int, size: Int) -> String {
        "data length over max length, allowed max length is \(allowed), data length is \(size)"
    }

    /// 411: a consumer the broker does not know.
    public static func unregisteredConsumer(_ clientID: String) -> String {
        "UnRegistered Consumer:\(quoted(clientID)), you have to register firstly!"
    }

    /// 410: registering a partition another consumer of the group holds.
    public static func duplicatedRegister(
        brokerID: Int32,
        group: String,
        topic: String,
        partitionID: Int32,
        owner: String
    )
        -> String
    {
        "[Duplicated Register] Partition \(brokerID)#\(quoted(group)):\(quoted(topic)):\(partitionID) has been registered by \(quoted(owner))"
    }

    /// 412: reading a partition another consumer of the group holds.
    public static func duplicatedRequest(
        group: String,
        topic: String,
        partitionID: Int32,
        brokerID: Int32,
        owner: String,
        consumer: String
    ) -> String {
        "[Duplicated Request] Partition=\(quoted(group)):\(quoted(topic)):\(partitionID) of Broker=\(brokerID) has been consumed by "
            + "\(quoted(owner));Current consumer \(quoted(consumer))"
    }

    /// 412: unregistering a partition another consumer of the group holds.
    public static func duplicatedUnregister(
        group: String,
        topic: String,
        partitionID: Int32,
        owner: String,
        consumer: String,
        brokerHost: String
    ) -> String {
        "[Duplicated Request]Partition \(quoted(group)):\(quoted(topic)):\(partitionID) has been consumed by \(quoted(owner));"
            + "Current consumer \(quoted(consumer)), broker=\(brokerHost)"
    }

    /// 503: the broker's writes are stopped.
    public static func writeServiceStopped(_ topic: String) -> String {
        "Write StoreService temporary unavailable! topic=\(quoted(topic))"
    }

    /// 503: the broker's reads are stopped.
    public static let readServiceStopped = "Read StoreService temporary unavailable!"

    /// 452: the consumer group read more than the default flow-control rules allow (our text).
    public static func flowControlLimited(group: String) -> String {
        "The consumer group \(quoted(group)) is over its flow-control limit, retry later!"
    }

    // MARK: Master

    /// 411: heartbeat from a producer the master does not know.
    public static func invalidNode(_ clientID: String) -> String {
        "Invalid node id:\(quoted(clientID)), you have to append node first!"
    }

    /// 411: heartbeat from a consumer whose group the master does not know.
    public static func groupNotFound(_ group: String) -> String {
        "Not found groupName \(quoted(group)) in holder!"
    }

    /// A name the peer sent, as a reply quotes it: whole up to 2048 bytes (every valid name), else its
    /// first 64 characters: a 1 MB topic name was echoed whole in the 403.
    static func quoted(_ name: String) -> String {
        name.utf8.count <= 2048 ? name : "\(name.prefix(64))…"
    }
}
