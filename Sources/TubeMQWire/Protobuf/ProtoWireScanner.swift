/// Walks raw protobuf bytes without a schema, to explain decoding failures the way protobuf-java does.
///
/// SwiftProtobuf reports *that* a message is malformed; peers expect the Java server's exact texts
/// (`"Protocol message contained an invalid tag (zero)."`, `"Message missing required fields: a, b"`).
enum ProtoWireScanner {
    static let invalidTagZero = "Protocol message contained an invalid tag (zero)."
    static let invalidWireType = "Protocol message tag had invalid wire type."
    static let malformedVarint = "CodedInputStream encountered a malformed varint."
    static let negativeSize =
        "CodedInputStream encountered an embedded string or message which claimed to have negative size."
    static let truncated =
        "While parsing a protocol message, the input ended unexpectedly in the middle of a field.  "
        + "This could mean either that the input has been truncated or that an embedded message misreported its own length."
    static let endGroupMismatch = "Protocol message end-group tag did not match expected tag."
    static let tooDeep =
        "Protocol message had too many levels of nesting.  May be malicious.  "
        + "Use CodedInputStream.setRecursionLimit() to increase the depth limit."
    /// How deep groups may nest: protobuf-java's default recursion limit. Each level is a stack frame
    /// here, and a request of nothing but group starts (70,000 of them in 280 KB) overflowed the
    /// stack and killed the server.
    static let maximumDepth = 100

    /// A top-level field occurrence: its number and, for length-delimited fields, the content range.
    struct Occurrence {
        let number: Int
        /// The wire type of the tag (0 varint, 1 fixed64, 2 length-delimited, 3 group, 5 fixed32).
        let wireType: Int
        /// The content of a length-delimited field.
        let content: Range<Int>?
        /// The value of a varint field.
        var varint: UInt64? = nil
    }

    /// Reads a varint at `index`; `nil` when malformed (over 10 bytes) or truncated (reported separately).
    static func readVarint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Result<UInt64, ScanProblem> {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count else { return .failure(.init(text: truncated)) }
            let byte = bytes[index]
            index += 1
            if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { return .success(value) }
            shift += 7
            if shift >= 70 { return .failure(.init(text: malformedVarint)) }
        }
    }

    struct ScanProblem: Error {
        let text: String
    }

    /// The top-level fields of `bytes`, or the Java text of the first structural problem.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Result<[Occurrence], ScanProblem> {
        var index = 0
        var found: [Occurrence] = []
        while index < bytes.count {
            switch scanField(bytes, &index, endGroup: nil, depth: 0) {
            case .failure(let problem): return .failure(problem)
            case .success(let occurrence?): found.append(occurrence)
            case .success(nil): return .failure(.init(text: endGroupMismatch))
            }
        }
        return .success(found)
    }

    /// Scans one field at `index`. Returns `nil` for an end-group tag.
    private static func scanField(
        _ bytes: UnsafeRawBufferPointer,
        _ index: inout Int,
        endGroup: Int?,
        depth: Int
    )
        -> Result<Occurrence?, ScanProblem>
    {
        let tag: UInt64
        switch readVarint(bytes, &index) {
        case .failure(let problem): return .failure(problem)
        case .success(let value): tag = value
        }
        let number = Int(truncatingIfNeeded: tag >> 3)
        guard number != 0 else { return .failure(.init(text: invalidTagZero)) }
        switch tag & 7 {
        case 0:
            switch readVarint(bytes, &index) {
            case .failure(let problem): return .failure(problem)
            case .success(let value):
                return .success(Occurrence(number: number, wireType: 0, content: nil, varint: value))
            }
        case 1, 5:
            let width = tag & 7 == 1 ? 8 : 4
            guard bytes.count - index >= width else { return .failure(.init(text: truncated)) }
            index += width
            return .success(Occurrence(number: number, wireType: Int(tag & 7), content: nil))
        case 2:
            let length: UInt64
            switch readVarint(bytes, &index) {
            case .failure(let problem): return .failure(problem)
            case .success(let value): length = value
            }
            guard Int64(bitPattern: length) >= 0, length <= UInt64(Int32.max) else {
                return .failure(.init(text: negativeSize))
            }
            guard UInt64(bytes.count - index) >= length else { return .failure(.init(text: truncated)) }
            let range = index..<(index + Int(length))
            index += Int(length)
            return .success(Occurrence(number: number, wireType: 2, content: range))
        case 3:
            guard depth < maximumDepth else { return .failure(.init(text: tooDeep)) }
            while true {
                guard index < bytes.count else { return .failure(.init(text: truncated)) }
                switch scanField(bytes, &index, endGroup: number, depth: depth + 1) {
                case .failure(let problem): return .failure(problem)
                case .success(.some): continue
                case .success(.none): return .success(Occurrence(number: number, wireType: 3, content: nil))
                }
            }
        case 4:
            guard endGroup == number else { return .failure(.init(text: endGroupMismatch)) }
            return .success(nil)
        default:
            return .failure(.init(text: invalidWireType))
        }
    }

    /// The names of required fields missing from `bytes` decoded as `messageName`, in declaration
    /// order, with nested paths as protobuf-java writes them (`authInfo.userName`, `messages[0].flag`).
    ///
    /// A field sent with a wire type other than its declared one is an unknown field to protobuf-java
    /// (it is kept aside, not parsed), so it neither counts as present nor is looked into.
    static func missingRequiredFields(messageName: String, in bytes: UnsafeRawBufferPointer) -> [String] {
        guard let fields = ProtoSchema.messages[messageName], case .success(let found) = scan(bytes) else {
            return []
        }
        var missing: [String] = []
        for field in fields {
            let occurrences = found.filter { $0.number == field.number && $0.wireType == field.wireType }
            if field.label == .required && occurrences.isEmpty {
                missing.append(field.name)
            }
            guard let nested = field.messageType else { continue }
            // protobuf-java merges repeated occurrences of a singular message field; checking the last
            // occurrence is enough for the names we report.
            let checked = field.label == .repeated ? occurrences : Array(occurrences.suffix(1))
            for (position, occurrence) in checked.enumerated() {
                guard let range = occurrence.content else { continue }
                let prefix = field.label == .repeated ? "\(field.name)[\(position)]" : field.name
                let inner = missingRequiredFields(
                    messageName: nested,
                    in: UnsafeRawBufferPointer(rebasing: bytes[range])
                )
                missing.append(contentsOf: inner.map { "\(prefix).\($0)" })
            }
        }
        return missing
    }
}

/// One field of a TubeMQ protobuf message, as declared in `Protos/*.proto`.
struct ProtoField: Sendable {
    enum Label: Sendable { case required, optional, repeated }
    let number: Int
    let name: String
    let label: Label
    /// The declared wire type: 0 for int32, int64, bool and enums, 2 for strings, bytes and messages.
    let wireType: Int
    /// The nested message type, for message-typed fields.
    let messageType: String?
}
