/// One field of a TubeMQ protobuf message, as declared in `Protos/*.proto`.
struct ProtoField: Sendable {
    enum Label: Sendable { case required, optional, repeated }
    let number: Int
    let name: String
    let label: Label
    /// The nested message type, for message-typed fields.
    let messageType: String?
}
