import Foundation
import TubeMQCore
import TubeMQRPC

/// The certificates of `tubemq standalone --tls`, kept in `<data>/tls/`: a certificate authority
/// made on first start (`ca.pem`, what clients trust) and the servers' certificate it signed, with
/// its key (`server.pem`, owner-only). The authority's key is not kept: a new one is made only when
/// the files are removed.
public enum StandaloneCertificates {
    /// The files of a data folder's certificates.
    public struct Files: Sendable, Hashable {
        /// The authority's certificate, for clients' `--tls-ca`.
        public var caPath: String
        /// The servers' certificate chain and key (PEM), their key store.
        public var keyStorePath: String
    }

    /// The certificates in `<dataDirectory>/tls/`, created when missing for `hosts` (names and IP
    /// addresses the servers are reached at; `localhost` and 127.0.0.1 are always named).
    ///
    /// - Throws: ``TubeMQRPC/TLSSettingsError`` when they cannot be made or written.
    public static func prepare(dataDirectory: String, hosts: [String] = []) throws -> Files {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("tls").path
        let files = Files(caPath: folder + "/ca.pem", keyStorePath: folder + "/server.pem")
        let manager = FileManager.default
        if manager.fileExists(atPath: files.caPath), manager.fileExists(atPath: files.keyStorePath) { return files }
        var names = ["localhost", "127.0.0.1"]
        for host in hosts where !host.isEmpty && !names.contains(host) && host != "0.0.0.0" { names.append(host) }
        let authority = try CertificateAuthority(commonName: "tubemq standalone CA")
        let server = try authority.issue(commonName: "tubemq standalone", hosts: names)
        // The folder and the CA certificate are readable by every user (clients run as other users
        // need the CA); the server's key is its owner's only.
        do {
            try manager.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o755]
            )
        } catch {
            throw TLSSettingsError("cannot create \(folder): \(SystemErrorText.of(error))")
        }
        let keyStore = server.certificatePEM + "\n" + server.privateKeyPEM + "\n"
        guard
            manager.createFile(
                atPath: files.keyStorePath,
                contents: Data(keyStore.utf8),
                attributes: [.posixPermissions: 0o600]
            ),
            manager.createFile(
                atPath: files.caPath,
                contents: Data((authority.certificatePEM + "\n").utf8),
                attributes: [.posixPermissions: 0o644]
            )
        else { throw TLSSettingsError("cannot write the certificates in \(folder)") }
        return files
    }
}
