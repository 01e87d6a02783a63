/// A reply of the method table that carries TubeMQ's `errCode` (every response message of
/// ``RPCMethod``): lets servers count their replies by errCode without knowing each type.
public protocol ReplyErrorCode {
    /// The reply's errCode (200 for success).
    var errCode: Int32 { get }
}

extension RegisterResponseM2P: ReplyErrorCode {}
extension HeartResponseM2P: ReplyErrorCode {}
extension CloseResponseM2P: ReplyErrorCode {}
extension RegisterResponseM2C: ReplyErrorCode {}
extension HeartResponseM2C: ReplyErrorCode {}
extension CloseResponseM2C: ReplyErrorCode {}
extension RegisterResponseM2B: ReplyErrorCode {}
extension HeartResponseM2B: ReplyErrorCode {}
extension CloseResponseM2B: ReplyErrorCode {}
extension RegisterResponseM2CV2: ReplyErrorCode {}
extension HeartResponseM2CV2: ReplyErrorCode {}
extension GetPartMetaResponseM2C: ReplyErrorCode {}
extension SendMessageResponseB2P: ReplyErrorCode {}
extension RegisterResponseB2C: ReplyErrorCode {}
extension HeartBeatResponseB2C: ReplyErrorCode {}
extension GetMessageResponseB2C: ReplyErrorCode {}
extension CommitOffsetResponseB2C: ReplyErrorCode {}
