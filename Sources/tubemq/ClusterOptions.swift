import ArgumentParser
import Logging
import TubeMQClient

/// Options shared by the commands that talk to a cluster.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: "Master RPC addresses, host:port[,host:port...].")
    var master = "127.0.0.1:8715"

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel = "warning"

    /// The parsed master list.
    func masters() throws -> [MasterAddress] {
        let list = MasterAddress.list(parsing: master)
        guard !list.isEmpty else { throw ValidationError("--master takes host:port[,host:port...], got \(master)") }
        return list
    }

    /// A logger at the chosen level.
    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        return logger
    }
}
