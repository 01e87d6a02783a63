import Foundation
public import NIOSSL

/// A `[tlsSetting]` listener or client: key store, trust store and two-way auth (config.md §1.3).
///
/// Key and trust stores may be PKCS#12 (`.p12`, `.pfx`; the password opens them) or PEM (a file
/// holding the certificate chain and the private key; the password is unused). A Java key store
/// (JKS) is refused with the `keytool` command that converts it.
public struct TLSSettings: Sendable, Hashable {
    /// The TLS port (`tlsPort`).
    public var port: Int
    /// The key store (`tlsKeyStorePath`).
    public var keyStorePath: String
    /// Its password (`tlsKeyStorePassword`); never logged.
    public var keyStorePassword: String
    /// Clients must present a certificate the trust store vouches for (`tlsTwoWayAuthEnable`).
    public var twoWayAuth: Bool
    /// The trust store (`tlsTrustStorePath`): the CAs accepted for peers.
    public var trustStorePath: String?
    /// Its password (`tlsTrustStorePassword`).
    public var trustStorePassword: String

    /// Creates settings.
    public init(
        port: Int,
        keyStorePath: String,
        keyStorePassword: String = "",
        twoWayAuth: Bool = false,
        trustStorePath: String? = nil,
        trustStorePassword: String = ""
    ) {
        self.port = port
        self.keyStorePath = keyStorePath
        self.keyStorePassword = keyStorePassword
        self.twoWayAuth = twoWayAuth
        self.trustStorePath = trustStorePath
        self.trustStorePassword = trustStorePassword
    }

    /// The server context of these settings.
    ///
    /// - Throws: ``TLSSettingsError`` for a missing, unreadable or JKS store, or a store without a key.
    public func makeServerContext() throws -> NIOSSLContext {
        try NIOSSLContext(configuration: makeServerConfiguration())
    }

    /// The server configuration of these settings (for servers that build their own context, as the
    /// HTTPS webapi does).
    ///
    /// - Throws: ``TLSSettingsError`` for a missing, unreadable or JKS store, or a store without a key.
    public func makeServerConfiguration() throws -> TLSConfiguration {
        let (chain, key) = try Self.identity(keyStorePath, password: keyStorePassword)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        if twoWayAuth {
            guard let trustStorePath else { throw TLSSettingsError("two-way auth needs tlsTrustStorePath") }
            configuration.trustRoots = .certificates(
                try Self.certificates(trustStorePath, password: trustStorePassword)
            )
            configuration.certificateVerification = .noHostnameVerification
        }
        return configuration
    }

    /// A client context trusting the CAs of `trustStorePath`, presenting the key store's identity
    /// when one is given (two-way auth).
    ///
    /// - Parameter verifyHostname: check that the server's certificate names the host called (its
    ///   DNS name or IP address); `false` checks only that a trusted CA signed it.
    /// - Throws: ``TLSSettingsError`` for an unreadable store.
    public static func makeClientContext(
        trustStorePath: String,
        trustStorePassword: String = "",
        keyStorePath: String? = nil,
        keyStorePassword: String = "",
        verifyHostname: Bool = true
    ) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verifyHostname { configuration.certificateVerification = .noHostnameVerification }
        configuration.trustRoots = .certificates(try certificates(trustStorePath, password: trustStorePassword))
        if let keyStorePath {
            let (chain, key) = try identity(keyStorePath, password: keyStorePassword)
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TLSSettingsError("cannot read the store \(path)")
        }
        let bytes = Array(data)
        if bytes.starts(with: [0xFE, 0xED, 0xFE, 0xED]) {
            throw TLSSettingsError(
                "\(path) is a Java key store (JKS), which is not supported: convert it to PKCS#12 with "
                    + "`keytool -importkeystore -srckeystore \(path) -destkeystore store.p12 -deststoretype PKCS12`"
            )
        }
        return bytes
    }

    static func isPEM(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes.prefix(4096), as: UTF8.self).contains("-----BEGIN")
    }

    static func identity(_ path: String, password: String) throws -> ([NIOSSLCertificate], NIOSSLPrivateKey) {
        let bytes = try read(path)
        do {
            if isPEM(bytes) {
                let chain = try NIOSSLCertificate.fromPEMBytes(bytes)
                let key = try NIOSSLPrivateKey(bytes: bytes, format: .pem)
                guard !chain.isEmpty else { throw TLSSettingsError("\(path) holds no certificate") }
                return (chain, key)
            }
            let bundle = try NIOSSLPKCS12Bundle(buffer: bytes, passphrase: Array(password.utf8))
            return (bundle.certificateChain, bundle.privateKey)
        } catch let error as TLSSettingsError {
            throw error
        } catch {
            throw TLSSettingsError("cannot load the key store \(path): \(Self.reason(bytes, error))")
        }
    }

    static func certificates(_ path: String, password: String) throws -> [NIOSSLCertificate] {
        let bytes = try read(path)
        do {
            if isPEM(bytes) { return try NIOSSLCertificate.fromPEMBytes(bytes) }
            let bundle = try NIOSSLPKCS12Bundle(buffer: bytes, passphrase: Array(password.utf8))
            return bundle.certificateChain
        } catch {
            throw TLSSettingsError("cannot load the trust store \(path): \(Self.reason(bytes, error))")
        }
    }

    /// Why a store did not load: a file that is not PEM and not PKCS#12 is said to be so.
    static func reason(_ bytes: [UInt8], _ error: any Error) -> String {
        if isPEM(bytes) { return "\(error)" }
        return "it is neither PEM nor a PKCS#12 store that this password opens (\(error))"
    }
}

/// A TLS store that cannot be used; the message says why (never a password).
public struct TLSSettingsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
