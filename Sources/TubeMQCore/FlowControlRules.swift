import Foundation

/// TubeMQ's flow-control rules (admin-api.md §5.4): the JSON array
/// `[{"type":T,"rule":[...]}, …]` set as a cluster default or per consumer group.
///
/// * type 0, data-lag rate limit: between `start` and `end` ("HH:mm"), when the group lags at
///   least `dltInM` MB behind, it may read `limitInM` MB per minute, and waits `freqInMs` once over.
/// * type 1, zero-fetch back-off: after `zeroCnt` fetches in a row found nothing, wait `freqInMs`.
/// * type 2, consume window by lag: between `start` and `end`, consume only while the lag is within
///   [`dltStInM`, `dltEdInM`] MB.
/// * type 3, filter-consume frequency: `normFreqInMs` between fetches, `filterFreqInMs` for filtered
///   consumption, never less than `minDataFilterFreqInMs` for filtered fetches that found data.
///
/// Times of day are in UTC+8, the zone TubeMQ's rule handlers evaluate them in.
public struct FlowControlRules: Sendable, Hashable, Codable {
    /// A type-0 rule.
    public struct DataLimit: Sendable, Hashable, Codable {
        /// Window start and end, minutes after midnight (UTC+8), both included.
        public var start: Int
        public var end: Int
        /// The lag from which the rule applies, in MB.
        public var dltInM: Int64
        /// The rate allowed, in MB per minute.
        public var limitInM: Int64
        /// The wait once over the limit, in ms.
        public var freqInMs: Int
    }

    /// A type-1 rule.
    public struct ZeroFetch: Sendable, Hashable, Codable {
        /// Empty fetches in a row before the wait applies.
        public var zeroCnt: Int
        /// The wait, in ms.
        public var freqInMs: Int
    }

    /// A type-2 rule.
    public struct ConsumeWindow: Sendable, Hashable, Codable {
        /// Window start and end, minutes after midnight (UTC+8).
        public var start: Int
        public var end: Int
        /// The lag range, in MB, within which consumption goes on.
        public var dltStInM: Int64
        public var dltEdInM: Int64
    }

    /// A type-3 rule.
    public struct FilterFrequency: Sendable, Hashable, Codable {
        public var normFreqInMs: Int
        public var filterFreqInMs: Int
        public var minDataFilterFreqInMs: Int
    }

    /// The type-0 rules.
    public var dataLimits: [DataLimit]
    /// The type-1 rules.
    public var zeroFetches: [ZeroFetch]
    /// The type-2 rules.
    public var consumeWindows: [ConsumeWindow]
    /// The type-3 rule, if any (TubeMQ keeps one).
    public var filterFrequency: FilterFrequency?

    /// No rules.
    public init() {
        dataLimits = []
        zeroFetches = []
        consumeWindows = []
        filterFrequency = nil
    }

    /// The number of rule types present (`flowCtrlRuleCount`, `ruleCnt`).
    public var ruleCount: Int {
        [!dataLimits.isEmpty, !zeroFetches.isEmpty, !consumeWindows.isEmpty, filterFrequency != nil]
            .filter { $0 }.count
    }

    /// What a type-0 rule allows now.
    public struct Limit: Sendable, Hashable {
        /// Bytes per minute.
        public var bytesPerMinute: Int64
        /// The wait once over, in ms.
        public var waitMs: Int

        /// Creates a limit.
        public init(bytesPerMinute: Int64, waitMs: Int) {
            self.bytesPerMinute = bytesPerMinute
            self.waitMs = waitMs
        }
    }

    /// The data limit that applies to a lag of `lagBytes` at `epochMs`: among the type-0 rules whose
    /// window contains the time and whose `dltInM` the lag reaches, the one with the largest
    /// `dltInM`; `nil` when none does.
    public func dataLimit(lagBytes: Int64, epochMs: Int64) -> Limit? {
        let minute = Self.minuteOfDay(epochMs: epochMs)
        let matching = dataLimits.filter {
            $0.start <= minute && minute <= $0.end && lagBytes >= $0.dltInM * Self.megabyte
        }
        guard let rule = matching.max(by: { $0.dltInM < $1.dltInM }) else { return nil }
        return Limit(bytesPerMinute: rule.limitInM * Self.megabyte, waitMs: rule.freqInMs)
    }

    /// The wait after `emptyFetches` empty fetches in a row, in ms: the largest `freqInMs` among the
    /// type-1 rules whose `zeroCnt` is reached; `nil` when none is.
    public func zeroFetchWait(emptyFetches: Int) -> Int? {
        zeroFetches.filter { emptyFetches >= $0.zeroCnt }.map(\.freqInMs).max()
    }

    static let megabyte: Int64 = 1_048_576

    /// Minutes after midnight in UTC+8.
    static func minuteOfDay(epochMs: Int64) -> Int {
        let minutes = (epochMs / 60_000 + 8 * 60) % (24 * 60)
        return Int(minutes < 0 ? minutes + 24 * 60 : minutes)
    }
}

// MARK: - JSON

/// Why a flow-control JSON text was refused.
public struct FlowControlRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The explanation.
    public var message: String
    public var description: String { message }
}

extension FlowControlRules {
    /// Parses TubeMQ's rule JSON; an empty or blank text means no rules.
    /// - Throws: ``FlowControlRuleError`` naming the first problem.
    public init(json text: String) throws(FlowControlRuleError) {
        self.init()
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return }
        guard let data = trimmed.data(using: .utf8),
            let root = try? JSONSerialization.jsonObject(with: data) as? [Any]
        else { throw FlowControlRuleError(message: "flowCtrlInfo must be a JSON array of {\"type\":…,\"rule\":[…]}") }
        var seen: Set<Int> = []
        for entry in root {
            guard let object = entry as? [String: Any], let type = Self.int(object["type"]) else {
                throw FlowControlRuleError(message: "each flowCtrlInfo item needs a numeric \"type\"")
            }
            guard (0...3).contains(type) else {
                throw FlowControlRuleError(message: "unknown flow-control type \(type)")
            }
            guard seen.insert(type).inserted else {
                throw FlowControlRuleError(message: "flow-control type \(type) is given twice")
            }
            guard let rules = object["rule"] as? [Any] else {
                throw FlowControlRuleError(message: "flow-control type \(type) needs a \"rule\" array")
            }
            for item in rules {
                guard let rule = item as? [String: Any] else {
                    throw FlowControlRuleError(message: "a rule of type \(type) is not an object")
                }
                try add(type: type, rule)
            }
        }
    }

    private mutating func add(type: Int, _ rule: [String: Any]) throws(FlowControlRuleError) {
        switch type {
        case 0:
            let (start, end) = try Self.window(rule, type: type)
            let item = DataLimit(
                start: start,
                end: end,
                dltInM: try Self.number(rule, "dltInM", min: 0),
                limitInM: try Self.number(rule, "limitInM", min: 0),
                freqInMs: Int(try Self.number(rule, "freqInMs", min: 0))
            )
            dataLimits.append(item)
        case 1:
            zeroFetches.append(
                ZeroFetch(
                    zeroCnt: Int(try Self.number(rule, "zeroCnt", min: 1)),
                    freqInMs: Int(try Self.number(rule, "freqInMs", min: 0))
                )
            )
        case 2:
            let (start, end) = try Self.window(rule, type: type)
            let low = try Self.number(rule, "dltStInM", min: 0)
            let high = try Self.number(rule, "dltEdInM", min: 0)
            guard high >= low else { throw FlowControlRuleError(message: "dltEdInM must not be below dltStInM") }
            consumeWindows.append(ConsumeWindow(start: start, end: end, dltStInM: low, dltEdInM: high))
        default:
            guard filterFrequency == nil else {
                throw FlowControlRuleError(message: "flow-control type 3 takes one rule")
            }
            filterFrequency = FilterFrequency(
                normFreqInMs: Int(try Self.number(rule, "normFreqInMs", min: 0)),
                filterFreqInMs: Int(try Self.number(rule, "filterFreqInMs", min: 0)),
                minDataFilterFreqInMs: Int(try Self.number(rule, "minDataFilterFreqInMs", min: 0))
            )
        }
    }

    /// The rules as TubeMQ's JSON, normalised (types in order, fields in a fixed order); `[]` when empty.
    public var json: String {
        var types: [String] = []
        if !dataLimits.isEmpty {
            let rules = dataLimits.map {
                "{\"start\":\"\(Self.clock($0.start))\",\"end\":\"\(Self.clock($0.end))\",\"dltInM\":\($0.dltInM),"
                    + "\"limitInM\":\($0.limitInM),\"freqInMs\":\($0.freqInMs)}"
            }
            types.append("{\"type\":0,\"rule\":[\(rules.joined(separator: ","))]}")
        }
        if !zeroFetches.isEmpty {
            let rules = zeroFetches.map { "{\"zeroCnt\":\($0.zeroCnt),\"freqInMs\":\($0.freqInMs)}" }
            types.append("{\"type\":1,\"rule\":[\(rules.joined(separator: ","))]}")
        }
        if !consumeWindows.isEmpty {
            let rules = consumeWindows.map {
                "{\"start\":\"\(Self.clock($0.start))\",\"end\":\"\(Self.clock($0.end))\",\"dltStInM\":\($0.dltStInM),"
                    + "\"dltEdInM\":\($0.dltEdInM)}"
            }
            types.append("{\"type\":2,\"rule\":[\(rules.joined(separator: ","))]}")
        }
        if let filter = filterFrequency {
            types.append(
                "{\"type\":3,\"rule\":[{\"normFreqInMs\":\(filter.normFreqInMs),\"filterFreqInMs\":"
                    + "\(filter.filterFreqInMs),\"minDataFilterFreqInMs\":\(filter.minDataFilterFreqInMs)}]}"
            )
        }
        return "[" + types.joined(separator: ",") + "]"
    }

    private static func window(_ rule: [String: Any], type: Int) throws(FlowControlRuleError) -> (Int, Int) {
        guard let startText = rule["start"] as? String, let start = minutes(startText),
            let endText = rule["end"] as? String, let end = minutes(endText)
        else {
            throw FlowControlRuleError(message: "a rule of type \(type) needs \"start\" and \"end\" as \"HH:mm\"")
        }
        guard start <= end else {
            throw FlowControlRuleError(message: "rule window \(startText)-\(endText): start is after end")
        }
        return (start, end)
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minutes: Int) -> String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    private static func number(_ rule: [String: Any], _ key: String, min: Int64) throws(FlowControlRuleError) -> Int64 {
        guard let value = int64(rule[key]) else {
            throw FlowControlRuleError(message: "rule field \(key) is missing or not a whole number")
        }
        guard value >= min else { throw FlowControlRuleError(message: "rule field \(key) must be at least \(min)") }
        return value
    }

    private static func int(_ value: Any?) -> Int? { int64(value).map { Int($0) } }

    private static func int64(_ value: Any?) -> Int64? {
        switch value {
        case let number as Int:
            return Int64(number)
        case let number as Int64:
            return number
        case let number as Double:
            guard number.rounded() == number, abs(number) < 9.0e15 else { return nil }
            return Int64(number)
        case let number as NSNumber:
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 9.0e15 else { return nil }
            return Int64(double)
        case let text as String:
            return Int64(text.trimmingCharacters(in: .whitespaces))
        default:
            return nil
        }
    }
}
