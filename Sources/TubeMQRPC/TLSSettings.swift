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
        configuration.minimumTLSVersion = .tlsv12  // TLS 1.0 and 1.1 are broken (RFC 8996)
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
        configuration.minimumTLSVersion = .tlsv12
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
            // Say why: missing, not readable by this user, a folder.
            let reason =
                access(path, F_OK) != 0
                ? "no such file" : (access(path, R_OK) != 0 ? "permission denied" : "not a readable file")
            throw TLSSettingsError("cannot read the store \(path): \(reason)")
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
            guard hasKeyBag(bytes) else {
                throw TLSSettingsError(
                    "the key store \(path) is not PEM and holds no private key (a PKCS#12 store of certificates only,"
                        + " or a damaged file); it needs the certificate and its key"
                )
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
            // NIOSSL reads only PKCS#12 stores with a key (and stops the process on one without).
            guard hasKeyBag(bytes) else {
                throw TLSSettingsError(
                    "the trust store \(path) is not PEM and holds no private key: a PKCS#12 store of certificates only,"
                        + " which cannot be read here (convert it to PEM: openssl pkcs12 -in \(path) -nokeys -out ca.pem),"
                        + " or a damaged file"
                )
            }
            let bundle = try NIOSSLPKCS12Bundle(buffer: bytes, passphrase: Array(password.utf8))
            return bundle.certificateChain
        } catch let error as TLSSettingsError {
            throw error
        } catch {
            throw TLSSettingsError("cannot load the trust store \(path): \(Self.reason(bytes, error))")
        }
    }

    /// Whether a PKCS#12 store holds a private key: the DER object identifier of a key bag or of a
    /// shrouded key bag (PKCS#12 §4.2.1–2) appears in it. Key bags sit in the store's unencrypted
    /// content, as OpenSSL and Java's keytool write them; a store of certificates only has neither.
    static func hasKeyBag(_ bytes: [UInt8]) -> Bool {
        // 06 0B 2A 86 48 86 F7 0D 01 0C 0A 01 0n: 1.2.840.113549.1.12.10.1.n (1 keyBag, 2 pkcs8ShroudedKeyBag)
        let prefix: [UInt8] = [0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01]
        guard bytes.count > prefix.count else { return false }
        var index = 0
        while index + prefix.count < bytes.count {
            if bytes[index] == prefix[0], bytes[index..<(index + prefix.count)].elementsEqual(prefix) {
                let kind = bytes[index + prefix.count]
                if kind == 1 || kind == 2 { return true }
            }
            index += 1
        }
        return false
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
