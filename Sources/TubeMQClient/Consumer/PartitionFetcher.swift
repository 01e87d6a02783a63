import Logging
import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// The fetch loop of one held partition: get (method 17), hand the batch out, wait for its decision, repeat.
///
/// Delivery is at least once: a batch is confirmed to the broker only after the application decided
/// it (`lastPackConsumed` on the next get, an explicit commit, or readStatus 0 when unregistering).
/// Each get asks the broker to hold it until data arrives (``fetchWait``, our long-poll extension);
/// a broker that answers a 404 sooner (the original one skips the field) makes the loop back off with
/// its own doubling wait, as the Java client waits `msgNotFoundWaitPeriodMs`; the loop honours the broker's `minLimitTime` (capped at
/// ``maximumServerWait``) only on a speed-limit reply (452) or a refusal, registers
/// the partition again when the broker forgot the consumer (411), and ends when the partition is
/// given up or the task is cancelled, returning the `readStatus` to unregister with. Flow-control
/// rules from the master (``FlowLimiter``) pace the fetches: type 0 by bytes, type 1 after empty
/// fetches, type 3 after empty fetches and after filtered fetches that found data.
struct PartitionFetcher: Sendable {
    var handle: PartitionHandle
    var clientID: String
    var group: String
    var rpc: RPCClient
    var rpcTimeout: Duration
    var minimumBackoff: Duration
    var maximumBackoff: Duration
    /// How long the broker may hold a get that finds no data (`maxWaitMs`); `.zero` asks for none.
    var fetchWait: Duration
    /// The most messages a get asks for (`maxCount`); `nil` asks for the broker's usual batch.
    var maxFetchCount: Int? = nil
    /// Whether a get asks for each message's offset (`messageOffsets`).
    var messageOffsets = false
    /// The messages the consumer may still fetch, shared with its other partitions; `nil` for no limit.
    var budget: FetchBudget? = nil
    /// How long a handed-out batch may stay undecided; `nil` waits as long as the application takes.
    var confirmTimeout: Duration?
    var logger: Logger
    /// Queues a batch for the application; `nil` when the partition is being given up.
    var deliver: @Sendable (ReadyBatch) async -> Bool
    /// Registers the partition with its broker again (after a 411); returns whether it worked.
    var reregister: @Sendable (Partition) async -> Bool
    /// The flow-control rules of the consumer, shared by its partitions.
    var flow: FlowLimiter
    /// Whether the consumer filters this partition's topic by message type (type-3 rules space
    /// filtered fetches apart).
    var filtered = false

    private var partition: Partition { handle.partition }

    /// The longest wait a broker's `minLimitTime` can impose.
    static let maximumServerWait: Duration = .seconds(3)

    /// The broker's `minLimitTime` as a wait, capped at ``maximumServerWait``; `nil` when it gives none.
    static func serverWait(_ minLimitTime: Int32?) -> Duration? {
        guard let minLimitTime, minLimitTime > 0 else { return nil }
        return min(.milliseconds(minLimitTime), maximumServerWait)
    }

    /// Runs until the partition is given up; returns 0 when everything handed out was confirmed, else 1.
    func run() async -> Int32 {
        var consumed = false
        var unconfirmed = false
        var backoff = minimumBackoff
        var emptyFetches = 0
        fetching: while !handle.isStopping && !Task.isCancelled {
            if let wait = flow.delay() {
                guard await pause(wait) else { break fetching }
            }
            // With a message limit, ask for no more than is reserved of it; give back what did not come.
            var reserved = 0
            if let budget {
                guard let granted = await budget.reserve(upTo: maxFetchCount ?? FetchBudget.defaultReservation),
                    !handle.isStopping
                else { break fetching }
                reserved = granted
            }
            let reply: GetMessageReply
            let asked = ContinuousClock.now
            do {
                reply = try await rpc.getMessages(
                    request(consumed: consumed, maxCount: budget == nil ? maxFetchCount : reserved),
                    host: partition.broker.host,
                    port: partition.broker.port,
                    timeout: rpcTimeout.timeAmount
                )
            } catch {
                budget?.giveBack(reserved)
                // Whether the broker applied lastPackConsumed or handed out a new batch is unknown:
                // ask again without confirming (a redelivery at worst, never a loss).
                consumed = false
                unconfirmed = true
                logger.debug("fetch failed", metadata: metadata(["tubemq.error": "\(error)"]))
                guard await pause(maximumBackoff) else { break fetching }
                continue
            }
            consumed = false
            unconfirmed = false
            if reply.success {
                backoff = minimumBackoff
                emptyFetches = 0
                flow.consumed(bytes: reply.messages.reduce(0) { $0 + $1.payloadLength }, lagBytes: reply.currDataDlt)
                let offset = reply.currOffset ?? -1
                let (messages, dropped) = ConsumedMessage.decode(reply, partition: partition, offset: offset)
                if dropped > 0 {
                    logger.warning(
                        "dropped messages with a bad checksum",
                        metadata: metadata(["tubemq.count": "\(dropped)"])
                    )
                }
                budget?.giveBack(reserved - messages.count)
                guard !messages.isEmpty else {
                    consumed = true  // nothing to hand out: step over this slice of the index
                    if let wait = flow.requestWait(filtered: filtered, foundData: false) {
                        guard await pause(wait) else { break fetching }
                    }
                    continue
                }
                unconfirmed = true
                guard let sequence = handle.open(),
                    await deliver(ReadyBatch(handle: handle, sequence: sequence, offset: offset, messages: messages))
                else {
                    budget?.giveBack(messages.count)
                    break fetching
                }
                switch await handle.decision(for: sequence, timeout: confirmTimeout) {
                case .confirmed:
                    consumed = true
                    unconfirmed = false
                case .committed:
                    unconfirmed = false
                case .released:
                    budget?.giveBack(messages.count)
                }
                if let wait = flow.requestWait(filtered: filtered, foundData: true) {
                    guard await pause(wait) else { break fetching }
                }
                continue
            }
            budget?.giveBack(reserved)
            switch ErrorCode(rawValue: reply.errCode) {
            case .notFound where fetchWait > .zero && ContinuousClock.now - asked >= fetchWait / 2:
                // The broker held the get for the wait asked (a long poll): nothing came; ask again at once,
                // unless a zero-fetch flow-control rule says to wait.
                backoff = minimumBackoff
                emptyFetches += 1
                let ruleWait = max(
                    flow.zeroFetchWait(emptyFetches: emptyFetches) ?? .zero,
                    flow.requestWait(filtered: filtered, foundData: false) ?? .zero
                )
                if ruleWait > .zero {
                    guard await pause(ruleWait) else { break fetching }
                }
            case .notFound:
                // The client's own wait, as the Java client's msgNotFoundWaitPeriodMs: on a 404 the original
                // broker may fill minLimitTime with something else (a byte delta while data is unflushed).
                emptyFetches += 1
                let wait = max(
                    backoff,
                    flow.zeroFetchWait(emptyFetches: emptyFetches) ?? .zero,
                    flow.requestWait(filtered: filtered, foundData: false) ?? .zero
                )
                backoff = min(backoff * 2, maximumBackoff)
                guard await pause(wait) else { break fetching }
            case .consumeSpeedLimit:
                guard await pause(Self.serverWait(reply.minLimitTime) ?? backoff) else { break fetching }
            case .heartbeatNoNode:
                logger.info("broker forgot the consumer; registering the partition again", metadata: metadata())
                if await !reregister(partition) {
                    guard await pause(maximumBackoff) else { break fetching }
                }
            default:
                // 412 (another consumer of the group holds the partition) lasts until the master moves it.
                let routine = reply.errCode == ErrorCode.duplicatePartition.rawValue
                logger.log(
                    level: routine ? .debug : .info,
                    "fetch refused",
                    metadata: metadata(["tubemq.errCode": "\(reply.errCode)", "tubemq.errMsg": "\(reply.errMsg ?? "")"])
                )
                guard await pause(max(Self.serverWait(reply.minLimitTime) ?? .zero, maximumBackoff)) else {
                    break fetching
                }
            }
        }
        return unconfirmed ? 1 : 0
    }

    private func request(consumed: Bool, maxCount: Int?) -> GetMessageRequestC2B {
        var request = GetMessageRequestC2B()
        request.clientID = clientID
        request.partitionID = partition.id
        request.groupName = group
        request.topicName = partition.topic
        request.lastPackConsumed = consumed
        request.manualCommitOffset = false
        request.escFlowCtrl = flow.groupLimits
        if fetchWait > .zero {
            let millis = fetchWait.components.seconds * 1000 + fetchWait.components.attoseconds / 1_000_000_000_000_000
            request.maxWaitMs = Int32(clamping: max(1, millis))
        }
        if let maxCount { request.maxCount = Int32(clamping: max(1, maxCount)) }
        if messageOffsets { request.messageOffsets = true }
        return request
    }

    /// Sleeps; `false` when the partition is being given up or the task was cancelled.
    private func pause(_ duration: Duration) async -> Bool {
        guard !handle.isStopping else { return false }
        do { try await Task.sleep(for: duration) } catch { return false }
        return !handle.isStopping
    }

    private func metadata(_ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        extra.merging(["tubemq.partition": "\(partition)"]) { current, _ in current }
    }
}
