import Foundation
import TubeMQCore
import TubeMQMasterState

/// Replays the master side of a recording: every client request (methods 1–6) goes into a
/// ``MasterState`` at its recorded time, balance rounds run every 5 s from `firstRound`, and every
/// recorded response is compared with what the state answered for the same connection and serial.
struct VectorReplay {
    private enum Answer {
        case producerRegister(ProducerRegisterReply)
        case producerHeartbeat(ProducerHeartbeatReply)
        case consumerRegister(ConsumerRegisterReply)
        case consumerHeartbeat(ConsumerHeartbeatReply)
        case closed
        case failed(MasterError)
    }

    private(set) var state: MasterState
    private(set) var mismatches: [String] = []
    private(set) var comparedResponses = 0
    private(set) var comparedEvents = 0
    private var answers: [String: Answer] = [:]
    private var checksums: [Int64: Int64] = [-1: -1]
    private var rebalanceOffset: Int64?

    /// Sets up broker 1 (127.0.0.1:8123) serving `topics` with 2 partitions in 1 store, as recorded.
    init(topics: Set<String>, firstRound: Int64) throws {
        var timings = MasterTimings.recorded
        timings.brokerHeartbeatTimeoutMs = .max / 4
        let start = firstRound - timings.firstBalanceDelayMs
        state = MasterState(configuration: timings, now: start)
        _ = try state.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "replay", now: start)
        for topic in topics.sorted() {
            _ = try state.addTopicDeployment(
                topic: topic,
                brokerID: 1,
                settings: TopicSettingsPatch(numPartitions: 2, numTopicStores: 1),
                by: "replay",
                now: start
            )
        }
        let registered = try state.registerBroker(BrokerRegistration(id: 1, host: "127.0.0.1"), now: start)
        _ = try state.brokerHeartbeat(BrokerHeartbeat(id: 1, configVersion: registered.configVersion), now: start)
    }

    /// Replays `frames` in order.
    mutating func run(_ frames: [RecordedMasterFrame]) {
        for frame in frames {
            while state.nextBalanceAt <= frame.time { _ = state.tick(now: state.nextBalanceAt) }
            _ = state.expire(now: frame.time)
            let key = "\(frame.conn)/\(frame.serial)"
            if frame.isRequest {
                if let answer = answer(frame) { answers[key] = answer }
            } else if let answer = answers.removeValue(forKey: key) {
                compare(frame, answer)
            }
        }
    }

    private mutating func answer(_ frame: RecordedMasterFrame) -> Answer? {
        let clientID = frame.string("clientId") ?? ""
        let group = frame.string("groupName") ?? ""
        let now = frame.time
        do {
            switch frame.method {
            case 1:
                return .producerRegister(
                    state.registerProducer(
                        ProducerRegistration(
                            clientID: clientID,
                            hostName: frame.string("hostName") ?? "",
                            topics: frame.strings("topicList"),
                            brokerChecksum: ours(frame.int64("brokerCheckSum"))
                        ),
                        now: now
                    )
                )
            case 2:
                return .producerHeartbeat(
                    try state.producerHeartbeat(
                        ProducerHeartbeat(
                            clientID: clientID,
                            hostName: frame.string("hostName") ?? "",
                            topics: frame.strings("topicList"),
                            brokerChecksum: ours(frame.int64("brokerCheckSum"))
                        ),
                        now: now
                    )
                )
            case 3:
                state.closeProducer(clientID: clientID, now: now)
                return .closed
            case 4:
                return .consumerRegister(
                    try state.registerConsumer(
                        ConsumerRegistration(
                            clientID: clientID,
                            group: group,
                            hostName: frame.string("hostName") ?? "",
                            topics: Set(frame.strings("topicList")),
                            filters: RecordedVectors.filters(frame.strings("topicCondition")),
                            held: frame.strings("subscribeInfo").compactMap(RecordedVectors.subscription).map(
                                \.partition
                            )
                        ),
                        now: now
                    )
                )
            case 5:
                let report =
                    frame.bool("reportSubscribeInfo") == true
                    ? frame.strings("subscribeInfo").compactMap(RecordedVectors.subscription).map(\.partition) : nil
                return .consumerHeartbeat(
                    try state.consumerHeartbeat(
                        ConsumerHeartbeat(clientID: clientID, group: group, report: report, ack: ack(frame)),
                        now: now
                    )
                )
            case 6:
                state.closeConsumer(clientID: clientID, group: group, now: now)
                return .closed
            default:
                return nil
            }
        } catch {
            return .failed(error)
        }
    }

    /// The client's echo of an event, with our rebalance id.
    private func ack(_ frame: RecordedMasterFrame) -> RebalanceEvent? {
        guard let event = frame.object("event"), let id = (event["rebalanceId"] as? NSNumber)?.int64Value else {
            return nil
        }
        let subscriptions = (event["subscribeInfo"] as? [String] ?? []).compactMap(RecordedVectors.subscription)
        return RebalanceEvent(
            rebalanceID: id - (rebalanceOffset ?? 0),
            type: RebalanceEventType(rawValue: (event["opType"] as? NSNumber)?.int32Value ?? -1),
            status: RebalanceEventStatus(rawValue: (event["status"] as? NSNumber)?.int32Value ?? 0),
            subscriptions: subscriptions
        )
    }

    private func ours(_ recorded: Int64?) -> Int64 { checksums[recorded ?? -1] ?? recorded ?? -1 }

    private mutating func compare(_ frame: RecordedMasterFrame, _ answer: Answer) {
        comparedResponses += 1
        let at = "t=\(frame.time) conn \(frame.conn) serial \(frame.serial)"
        let code = frame.int64("errCode") ?? 200
        switch answer {
        case .failed(let error):
            expect(code == Int64(error.code.rawValue), "\(at): errCode \(code), ours \(error)")
            expect(
                frame.string("errMsg") == error.message,
                "\(at): errMsg \(frame.string("errMsg") ?? "-"), ours \(error.message)"
            )
            return
        default:
            expect(code == 200, "\(at): recorded errCode \(code), ours succeeded")
        }
        switch answer {
        case .producerRegister(let reply):
            if let recorded = frame.int64("brokerCheckSum") { checksums[recorded] = reply.brokerChecksum }
            expect(frame.strings("brokerInfos") == reply.brokers.map(RecordedVectors.format), "\(at): brokerInfos")
            expect(maxMsgSize(frame) == nil || maxMsgSize(frame) == reply.maxMsgSize, "\(at): maxMsgSize")
        case .producerHeartbeat(let reply):
            expect(ours(frame.int64("brokerCheckSum")) == reply.brokerChecksum, "\(at): brokerCheckSum")
            expect(
                frame.strings("brokerInfos") == (reply.brokers ?? []).map(RecordedVectors.format),
                "\(at): brokerInfos"
            )
            expect(frame.strings("topicInfos") == reply.topics.map(format), "\(at): topicInfos \(reply.topics)")
        case .consumerRegister(let reply):
            expect(frame.bool("notAllocated") == reply.notAllocated, "\(at): notAllocated")
        case .consumerHeartbeat(let reply):
            expect(frame.bool("notAllocated") == reply.notAllocated, "\(at): notAllocated")
            compareEvent(frame.object("event"), reply.event, at)
        case .closed, .failed:
            break
        }
    }

    private mutating func compareEvent(_ recorded: [String: Any]?, _ event: RebalanceEvent?, _ at: String) {
        guard let recorded, let event else {
            expect(
                recorded == nil && event == nil,
                "\(at): recorded event \(recorded.map { "\($0)" } ?? "none"), ours \(event.map { "\($0)" } ?? "none")"
            )
            return
        }
        comparedEvents += 1
        let id = (recorded["rebalanceId"] as? NSNumber)?.int64Value ?? 0
        let offset = rebalanceOffset ?? (id - event.rebalanceID)
        rebalanceOffset = offset
        expect(
            id - offset == event.rebalanceID,
            "\(at): rebalanceId \(id) is not ours \(event.rebalanceID) + \(offset)"
        )
        expect((recorded["opType"] as? NSNumber)?.int32Value == event.type.rawValue, "\(at): opType, ours \(event)")
        expect(recorded["status"] == nil, "\(at): pushed events carry no status")
        let subscriptions = (recorded["subscribeInfo"] as? [String] ?? []).compactMap(RecordedVectors.subscription)
        expect(subscriptions == event.subscriptions, "\(at): subscriptions \(subscriptions), ours \(event)")
    }

    private func maxMsgSize(_ frame: RecordedMasterFrame) -> Int32? {
        (frame.object("appdConfig")?["maxMsgSize"] as? NSNumber)?.int32Value
    }

    /// `topic#brokerId:numPartitions:numTopicStores[,…]#maxMsgSize`, the size blank at the 1 MiB default.
    private func format(_ info: TopicPublishInfo) -> String {
        let brokers = info.brokers.map { "\($0.brokerID):\($0.numPartitions):\($0.numTopicStores)" }.joined(
            separator: ","
        )
        return "\(info.topic)#\(brokers)#\(info.maxMsgSize == 1_048_576 ? "" : String(info.maxMsgSize))"
    }

    private mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { mismatches.append(message()) }
    }
}
