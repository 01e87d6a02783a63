import Crypto
import Foundation
import SwiftASN1
import X509

/// A small certificate authority made on the spot (EC P-256): its own certificate, and server or
/// client certificates it signs. `tubemq standalone --tls` makes one in its data folder; tests make
/// one per run.
public struct CertificateAuthority: Sendable {
    /// The authority's certificate, PEM: what clients put in their trust store.
    public let certificatePEM: String
    private let name: DistinguishedName
    private let key: P256.Signing.PrivateKey

    /// A new authority named `commonName`, valid from an hour ago for `validDays`.
    ///
    /// - Throws: ``TLSSettingsError`` when the certificate cannot be built.
    public init(commonName: String, validDays: Int = 3650) throws {
        let key = P256.Signing.PrivateKey()
        do {
            let name = try DistinguishedName { CommonName(commonName) }
            let signer = Certificate.PrivateKey(key)
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: signer.publicKey,
                notValidBefore: Date().addingTimeInterval(-3600),
                notValidAfter: Date().addingTimeInterval(Double(validDays) * 86_400),
                issuer: name,
                subject: name,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: signer.publicKey)
                },
                issuerPrivateKey: signer
            )
            self.certificatePEM = try certificate.serializeAsPEM().pemString
            self.name = name
            self.key = key
        } catch {
            throw TLSSettingsError("cannot create a certificate authority: \(error)")
        }
    }

    /// A certificate for `commonName` signed by this authority, with its private key, both PEM.
    ///
    /// - Parameters:
    ///   - hosts: the DNS names and IP addresses (v4 or v6) the certificate names, checked by clients
    ///     that verify host names.
    ///   - validDays: how long it is valid.
    /// - Throws: ``TLSSettingsError`` when a host is neither a name nor an address, or the
    ///   certificate cannot be built.
    public func issue(
        commonName: String,
        hosts: [String] = [],
        validDays: Int = 3650
    ) throws -> (certificatePEM: String, privateKeyPEM: String) {
        let leafKey = P256.Signing.PrivateKey()
        do {
            let names = try hosts.map(Self.generalName)
            let publicKey = Certificate.PrivateKey(leafKey).publicKey
            let issuerKey = Certificate.PrivateKey(key)
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: publicKey,
                notValidBefore: Date().addingTimeInterval(-3600),
                notValidAfter: Date().addingTimeInterval(Double(validDays) * 86_400),
                issuer: name,
                subject: try DistinguishedName { CommonName(commonName) },
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                    SubjectKeyIdentifier(hash: publicKey)
                    AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuerKey.publicKey).keyIdentifier)
                    if !names.isEmpty { SubjectAlternativeNames(names) }
                },
                issuerPrivateKey: issuerKey
            )
            return (try certificate.serializeAsPEM().pemString, leafKey.pemRepresentation)
        } catch let error as TLSSettingsError {
            throw error
        } catch {
            throw TLSSettingsError("cannot issue a certificate for \(commonName): \(error)")
        }
    }

    static func generalName(_ host: String) throws -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v4) { ArraySlice($0) }))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: withUnsafeBytes(of: &v6) { ArraySlice($0) }))
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "*" })
        else { throw TLSSettingsError("\(host) is neither a host name nor an IP address") }
        return .dnsName(host)
    }
}
