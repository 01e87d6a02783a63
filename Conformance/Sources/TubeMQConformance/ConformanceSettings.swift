public import Logging
public import TubeMQClient

/// What the suite runs against and how patient it is.
///
/// The cluster must already serve ``topic`` with at least two partitions; the suite creates nothing.
/// Cases share the topic with each other and with anything else writing to it: every message a case
/// sends carries ``runID`` and the case's name, and everything else is skipped.
public struct ConformanceSettings: Sendable {
    /// The masters of the cluster, in the order clients try them.
    public var masters: [MasterAddress]
    /// The masters' webapi addresses (`host:webPort`), in the order of ``masters``; empty when not
    /// given (the standby case then checks the RPC refusal only).
    public var masterWebAddresses: [MasterAddress] = []
    /// An existing topic with at least two partitions.
    public var topic: String
    /// Marks this run's groups and messages; a fresh random one by default.
    public var runID: String
    /// How long one case may take, cleanup excluded. The original master's first balance comes 30 s
    /// after it starts and then every 60 s, so cases that wait for a rebalance need minutes there.
    public var caseTimeout: Duration
    /// How long a case waits for the master to assign or move partitions (capped by ``caseTimeout``).
    public var balanceWait: Duration
    /// The heartbeat period of the consumers and producers the cases create (the Java default is 13 s;
    /// shorter makes rebalances show up sooner).
    public var heartbeatPeriod: Duration
    /// How long one RPC may take.
    public var rpcTimeout: Duration
    /// Where the clients the cases create log (payloads are never logged).
    public var logger: Logger

    /// Creates settings with generous defaults suited to the original Java server's balance timings.
    public init(
        masters: [MasterAddress],
        topic: String,
        runID: String = ConformanceSettings.makeRunID(),
        caseTimeout: Duration = .seconds(180),
        balanceWait: Duration = .seconds(150),
        heartbeatPeriod: Duration = .seconds(2),
        rpcTimeout: Duration = .seconds(10),
        logger: Logger = ConformanceSettings.quietLogger
    ) {
        self.masters = masters
        self.topic = topic
        self.runID = runID
        self.caseTimeout = caseTimeout
        self.balanceWait = balanceWait
        self.heartbeatPeriod = heartbeatPeriod
        self.rpcTimeout = rpcTimeout
        self.logger = logger
    }

    /// Eight random lowercase hex digits, starting with a letter so they also work inside names.
    public static func makeRunID() -> String {
        let digits = Array("0123456789abcdef")
        var text = String(digits[Int.random(in: 10..<16)])
        for _ in 0..<7 { text.append(digits[Int.random(in: 0..<16)]) }
        return text
    }

    /// A logger that reports only critical problems of the clients the cases create.
    public static var quietLogger: Logger {
        var logger = Logger(label: "tubemq.conformance")
        logger.logLevel = .critical
        return logger
    }
}
