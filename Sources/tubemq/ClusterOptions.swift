import ArgumentParser
import Foundation
import Logging
import NIOSSL
import TubeMQClient
import TubeMQRPC
import TubeMQStandalone

/// Options shared by the commands that talk to a cluster.
struct ClusterOptions: ParsableArguments {
    @Option(
        name: .long,
        help: """
            Master RPC addresses of the cluster, host:port[,host:port...] (a host without a port means 8715). \
            `consume` and `produce` take it \
            once per cluster to use several clusters (`--master a:8715,b:8715 --master c:8715`).
            """
    )
    var master: [String] = ["127.0.0.1:8715"]

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "warning"

    @Option(help: "User name to sign master requests with (a master with authentication on).")
    var user: String?

    @Option(help: "File holding the password for --user (its first line); `tubemq standalone --auth` prints it.")
    var passwordFile: String?

    @Option(
        help: ArgumentHelp(
            "Speak TLS to the master and the brokers, trusting the CAs in this file (PEM, or a PKCS#12 store with a key).",
            discussion:
                "--master must then name the master's TLS port (8716); it tells the client the brokers' TLS ports."
        )
    )
    var tlsCa: String?

    @Option(help: "Client certificate and key for two-way TLS (one PEM file with both, or PKCS#12).")
    var tlsCert: String?

    @Option(help: "File holding the password of a PKCS#12 --tls-ca or --tls-cert (its first line).")
    var tlsPasswordFile: String?

    @Flag(help: "Accept any certificate a trusted CA signed, whatever host it names.")
    var tlsNoVerifyHostname = false

    /// The TLS context of `--tls-ca` and friends; `nil` when `--tls-ca` is not given (plain TCP).
    func tls() throws -> NIOSSLContext? {
        try Self.tlsContext(
            ca: tlsCa,
            cert: tlsCert,
            passwordFile: tlsPasswordFile,
            noVerifyHostname: tlsNoVerifyHostname
        )
    }

    /// The client TLS context of `--tls-ca`, `--tls-cert`, `--tls-password-file` and
    /// `--tls-no-verify-hostname`; `nil` without a CA.
    static func tlsContext(
        ca tlsCa: String?,
        cert tlsCert: String?,
        passwordFile tlsPasswordFile: String?,
        noVerifyHostname tlsNoVerifyHostname: Bool
    ) throws -> NIOSSLContext? {
        guard let tlsCa else {
            if tlsCert != nil || tlsPasswordFile != nil || tlsNoVerifyHostname {
                throw ValidationError("--tls-cert, --tls-password-file and --tls-no-verify-hostname need --tls-ca")
            }
            return nil
        }
        var password = ""
        if let tlsPasswordFile {
            guard let text = try? String(contentsOfFile: tlsPasswordFile, encoding: .utf8) else {
                throw ValidationError("cannot read \(tlsPasswordFile)")
            }
            password = Self.firstLine(text)
        }
        do {
            return try TLSSettings.makeClientContext(
                trustStorePath: tlsCa,
                trustStorePassword: password,
                keyStorePath: tlsCert,
                keyStorePassword: password,
                verifyHostname: !tlsNoVerifyHostname
            )
        } catch {
            throw ValidationError("TLS: \(error)")
        }
    }

    /// The first line of a password file without surrounding blanks; CRLF and LF line ends alike
    /// (`"\r\n"` is one `Character`, so splitting on `"\n"` kept it).
    static func firstLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// The credentials of `--user` and `--password-file`, if given.
    func credentials() throws -> Credentials? {
        guard let user else {
            if passwordFile != nil { throw ValidationError("--password-file needs --user") }
            return nil
        }
        guard let passwordFile else { throw ValidationError("--user needs --password-file") }
        guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8),
            case let password = Self.firstLine(text), !password.isEmpty
        else { throw ValidationError("cannot read a password from \(passwordFile)") }
        return Credentials(userName: user, password: password)
    }

    /// The parsed master list, for commands that talk to one cluster.
    func masters() throws -> [MasterAddress] {
        let clusters = try clusters()
        guard clusters.count == 1 else { throw ValidationError("this command takes one --master list") }
        return clusters[0]
    }

    /// One parsed master list per `--master`: the clusters of `consume` and `produce`.
    func clusters() throws -> [[MasterAddress]] {
        try master.map { text in
            let list = MasterAddress.list(parsing: text)
            guard !list.isEmpty else { throw ValidationError("--master takes host:port[,host:port...], got \(text)") }
            return list
        }
    }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level takes trace, debug, info, notice, warning, error or critical, got \(logLevel)"
            )
        }
    }

    /// A logger at the chosen level.
    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label, factory: EscapingLogHandler.standardError)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        return logger
    }
}
