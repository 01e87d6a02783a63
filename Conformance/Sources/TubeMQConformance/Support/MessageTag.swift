import TubeMQClient
import TubeMQCore

/// The attributes that mark a message as sent by one case of one run, with its sequence number.
///
/// The topic is shared with other cases, other runs and other writers; a case keeps only the
/// messages whose tag names its run and itself.
struct MessageTag: Sendable, Hashable, CustomStringConvertible {
    static let runKey = "confRun"
    static let caseKey = "confCase"
    static let sequenceKey = "confSeq"

    /// The run id.
    var run: String
    /// The case name (or a case's sub-scope, such as `start_position.before`).
    var scope: String
    /// The message's number within the scope.
    var sequence: Int

    /// A message carrying this tag after `attributes` (the message type first, when given), with `body`.
    func message(body: [UInt8], type: String? = nil, attributes: [(key: String, value: String)] = []) -> Message {
        var message = Message(body: body)
        if let type { message.messageType = type }
        message.attributes += attributes
        message.attributes += [(Self.runKey, run), (Self.caseKey, scope), (Self.sequenceKey, String(sequence))]
        return message
    }

    /// The same tag written at the start of a body, `conf:<run>:<scope>:<sequence>:`, for messages
    /// that travel without attributes (flag 0).
    var bodyPrefix: [UInt8] { Array("conf:\(run):\(scope):\(sequence):".utf8) }

    /// The tag of `message`, from its attributes or else from a ``bodyPrefix``; `nil` when it has none.
    init?(_ message: Message) {
        if let run = message.attribute(Self.runKey), let scope = message.attribute(Self.caseKey),
            let text = message.attribute(Self.sequenceKey), let sequence = Int(text)
        {
            self.init(run: run, scope: scope, sequence: sequence)
            return
        }
        guard message.attributes.isEmpty, message.body.starts(with: Array("conf:".utf8)) else { return nil }
        let fields = message.body.prefix(200).split(
            separator: UInt8(ascii: ":"),
            maxSplits: 4,
            omittingEmptySubsequences: false
        )
        guard fields.count == 5, let sequence = Int(String(decoding: fields[3], as: UTF8.self)) else { return nil }
        self.init(
            run: String(decoding: fields[1], as: UTF8.self),
            scope: String(decoding: fields[2], as: UTF8.self),
            sequence: sequence
        )
    }

    init(run: String, scope: String, sequence: Int) {
        self.run = run
        self.scope = scope
        self.sequence = sequence
    }

    var description: String { "\(scope)#\(sequence)" }
}

extension ConsumedMessage {
    /// The conformance tag, if the message has one.
    var tag: MessageTag? { MessageTag(message) }
}
