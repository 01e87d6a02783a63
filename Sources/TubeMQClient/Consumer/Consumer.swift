public import Foundation
public import NIOSSL

/// Settings shared by ``PushConsumer`` and ``PullConsumer``.
public enum Consumer {
    /// Where a consumer group starts reading a partition it has never read (`readStatus` on the
    /// first registration with the broker).
    public enum StartPosition: Sendable, Hashable {
        /// From the oldest message kept, or from the group's committed offset (`readStatus` 0).
        case first
        /// From the newest message, unless the group has a committed offset (`readStatus` 1; the Java default).
        case latest
        /// From the newest message, even when the group has a committed offset (`readStatus` 2).
        case latestAlways
        /// From the first message the broker stored at or after this time, even when the group has a
        /// committed offset; a time after the newest message starts at the newest. Like ``latestAlways``
        /// it applies to each partition's first registration by this consumer. The broker looks the
        /// offset up in its index (`startTime`, our extension of the register request); a broker that
        /// does not know the field treats it as ``first``.
        case time(Date)

        /// The `readStatus` sent on a partition's first registration.
        var readStatus: Int32 {
            switch self {
            case .first, .time: return 0
            case .latest: return 1
            case .latestAlways: return 2
            }
        }

        /// The `startTime` sent on a partition's first registration (ms since the epoch), if any.
        var startTime: Int64? {
            guard case .time(let date) = self else { return nil }
            let millis = (date.timeIntervalSince1970 * 1000).rounded(.down)
            guard millis.isFinite, millis > 0 else { return 0 }
            return millis < 9.2e18 ? Int64(millis) : Int64.max
        }
    }

    /// How a consumer joins its group and reads.
    public struct Configuration: Sendable {
        /// The masters of the cluster, tried in order (the active one answers, standbys are skipped).
        public var masters: [MasterAddress]
        /// The consumer group.
        public var group: String
        /// The topics to consume, each with the message types (`$msgType$`) to keep; an empty set keeps every
        /// message. Filtering happens on the broker.
        public var topics: [String: Set<String>]
        /// Where the group starts on partitions it has never read.
        public var startPosition: StartPosition
        /// Start at exact offsets ("bound consume"); `nil` for a normal consumer.
        public var boundConsume: BoundConsume?
        /// Who picks the partitions this consumer reads: the master (the default) or the consumer itself.
        public var assignment: Assignment
        /// The period of heartbeats to the master and to brokers. Java's default is 13 s; the master forgets
        /// a consumer silent for 30 s.
        public var heartbeatPeriod: Duration
        /// How long an RPC to a master or broker may take.
        public var rpcTimeout: Duration
        /// The first wait after the broker reports no new data (404) on a partition (the Java client's
        /// `msgNotFoundWaitPeriodMs`); it bounds how long a message sent just after the 404 waits to be
        /// fetched, so it is short: a partition that keeps getting data hardly ever waits longer.
        public var minimumFetchBackoff: Duration
        /// The longest such wait; the wait doubles from the minimum up to this while a partition stays empty,
        /// so an idle partition costs the broker about one fetch per this period.
        public var maximumFetchBackoff: Duration
        /// How long a broker may hold a fetch that finds no new data, waiting for a message to arrive
        /// (a long poll, a swift-tubemq extension field the original broker skips, answering at once as
        /// before). A message sent to a caught-up partition is then fetched as soon as it is stored,
        /// without polling. `.zero` turns it off; the broker caps it at 1 s.
        public var fetchWait: Duration
        /// The most messages one fetch of a partition returns (a swift-tubemq extension field; the original
        /// broker skips it and returns its usual batch of up to `transferSize` bytes). `nil` leaves the
        /// size to the broker. A consumer that stops after a few messages (the CLI's `consume --max`)
        /// sets it to that number, so that its first batch is one it can confirm whole: a batch is
        /// confirmed only when every message of it was handed out, else it is given back and
        /// delivered again. Each partition fetches up to this many; ``messageLimit`` bounds them together.
        public var maxFetchCount: Int?
        /// The most messages the consumer fetches in all, over its partitions together (batches the
        /// application gives back do not count); `nil` for no limit. Each fetch asks the broker for
        /// no more than is left of it (`maxCount`, as ``maxFetchCount``), so a consumer that stops
        /// after this many messages (the CLI's `consume --max`) has been handed only whole batches,
        /// and confirms them all: the group's next consumer starts right after them. Once it is
        /// reached the consumer fetches nothing more, and a `for try await` loop ends when it has
        /// worked through that many. The original broker skips `maxCount`, so against it a fetch may
        /// bring more than is left (the loop then ends after the batch that passes the limit).
        public var messageLimit: Int?
        /// Whether fetches ask for each message's own offset (a swift-tubemq extension field; the
        /// original broker skips it and sends none): ``ConsumedMessage/messageOffset`` is then set,
        /// so the application can tell exactly where a message is (the CLI's `consume` prints it).
        /// Off by default: it adds a few bytes per message to every fetch.
        public var messageOffsets = false
        /// How long a pulled batch may stay unconfirmed in the application's hands (counted from when the
        /// iteration hands it out, not from its fetch) before it is given back for redelivery; also how
        /// long a rebalance waits for a batch in the hands of the application before giving its partition up.
        public var confirmTimeout: Duration
        /// The client id to use; a Java-shaped one (`group_ip-pid-time-counter-kind-version`) when `nil`.
        public var clientID: String?
        /// The local address reported to the master; the first non-loopback IPv4 address when `nil`.
        public var localAddress: String?
        /// The user and password to sign master requests with, when the master authenticates
        /// consumers (`startConsumeAuthenticate`); `nil` sends none.
        public var credentials: Credentials?
        /// Speak TLS to masters and brokers (their `[tlsSetting]` ports) with this context; `nil`
        /// speaks plain TCP. The master, on its TLS port, tells the client each broker's TLS port.
        public var tls: NIOSSLContext?
        /// How long starting waits for an active master while the masters that answer all say they are
        /// standby: the active one is gone and the next is not yet elected (after a crash, up to the
        /// masters' `zkSessionTimeoutMs`, 30 s in TubeMQ's sample master.ini). Masters that do not
        /// answer at all fail the start at once, as does `.zero`.
        public var masterTakeoverWait: Duration = .seconds(30)
        /// How long ``PushConsumer/shutdown()`` (or the pull consumer's) may spend leaving: giving its
        /// partitions back to their brokers and closing at the master. A frozen or unreachable server
        /// answers nothing; after this the consumer closes its connections and returns, and the
        /// servers time it out as after a crash (its partitions go to the group's other members after
        /// the broker's and master's timeouts, and what it had not committed is delivered again).
        public var leaveTimeout: Duration = .seconds(5)

        /// Creates a configuration consuming every message of `topics`.
        public init(
            masters: [MasterAddress],
            group: String,
            topics: [String],
            startPosition: StartPosition = .latest,
            heartbeatPeriod: Duration = .seconds(13),
            rpcTimeout: Duration = .seconds(10)
        ) {
            self.masters = masters
            self.group = group
            self.topics = Dictionary(topics.map { ($0, []) }, uniquingKeysWith: { first, _ in first })
            self.startPosition = startPosition
            self.boundConsume = nil
            self.assignment = .server
            self.heartbeatPeriod = heartbeatPeriod
            self.rpcTimeout = rpcTimeout
            self.minimumFetchBackoff = .milliseconds(5)
            self.maximumFetchBackoff = .milliseconds(50)
            self.fetchWait = .milliseconds(200)
            self.maxFetchCount = nil
            self.messageLimit = nil
            self.confirmTimeout = .seconds(60)
            self.clientID = nil
            self.localAddress = nil
            self.credentials = nil
            self.tls = nil
        }

        /// Keeps only messages of `types` on `topic` (adding the topic if needed); the broker filters by
        /// the Java hash of each message's `$msgType$`.
        public mutating func filter(_ topic: String, messageTypes types: Set<String>) {
            topics[topic] = types
        }
    }

    /// Exact start offsets for a group ("bound consume", `requireBound`), so a job can resume from offsets
    /// it stored itself.
    ///
    /// Every consumer of the session sends the same ``sessionKey`` and ``consumerCount``; the master waits
    /// until that many consumers have joined, assigns the partitions asked for, and each consumer starts
    /// its partitions at the offsets given here. The offsets apply once per session: a consumer that joins
    /// the same session later resumes from the group's committed offsets.
    public struct BoundConsume: Sendable, Hashable {
        /// Identifies one bound session; change it to apply offsets again.
        public var sessionKey: String
        /// How many consumers take part in the session.
        public var consumerCount: Int
        /// Start offsets by partition key (``ConsumedMessage/partitionKey``, `brokerId:topic:partitionId`).
        public var offsets: [String: Int64]
        /// When two consumers ask for one partition, whether the larger offset wins.
        public var selectBig: Bool

        /// Offsets are positions of index entries: multiples of this (bytes). A consumer refuses others.
        public static let offsetUnit: Int64 = 28

        /// Creates a bound-consume setting.
        public init(sessionKey: String, consumerCount: Int = 1, offsets: [String: Int64], selectBig: Bool = true) {
            self.sessionKey = sessionKey
            self.consumerCount = consumerCount
            self.offsets = offsets
            self.selectBig = selectBig
        }

        /// The `requiredPartition` text: `brokerId:topic:partitionId=offset` entries joined by `,`.
        var requiredPartitionText: String {
            offsets.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
    }
}
