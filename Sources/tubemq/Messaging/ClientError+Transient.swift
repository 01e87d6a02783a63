import TubeMQClient

extension ClientError {
    /// Whether sending the same message again later may succeed: its broker did not answer, could not
    /// be reached or was unavailable (503), or the topic had no partition for the moment (`produce`
    /// counts that only once a message went out: before, it is a topic that does not exist).
    var isTransient: Bool {
        switch code {
        case .timeout, .brokerUnavailable, .masterUnavailable, .noPartition: true
        case .rejected: serverCode == 503
        default: false
        }
    }
}
