import Foundation
import Testing
import TubeMQRPC
import TubeMQStandalone

/// `tubemq standalone --tls`: the CA and server certificate made in the data folder.
@Suite struct StandaloneCertificatesTests {
    @Test func madeOnceOwnerOnlyAndUsableByServersAndClients() throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try StandaloneCertificates.prepare(dataDirectory: directory, hosts: ["10.1.2.3", "tubemq.example"])
        #expect(files.caPath == directory + "/tls/ca.pem")
        let attributes = try FileManager.default.attributesOfItem(atPath: files.keyStorePath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // The CA is for every user's clients: its folder and file are readable by all (the folder was 0700).
        for (path, mode) in [(files.caPath, 0o644), (directory + "/tls", 0o755)] {
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(permissions?.intValue == mode, "\(path)")
        }
        let keyStore = try String(contentsOfFile: files.keyStorePath, encoding: .utf8)
        #expect(keyStore.contains("BEGIN CERTIFICATE") && keyStore.contains("PRIVATE KEY"))
        let ca = try String(contentsOfFile: files.caPath, encoding: .utf8)
        #expect(!ca.contains("PRIVATE KEY"), "the CA file holds no key")

        // A second start keeps them.
        let again = try StandaloneCertificates.prepare(dataDirectory: directory)
        #expect(again == files)
        #expect(try String(contentsOfFile: files.keyStorePath, encoding: .utf8) == keyStore)

        // Servers load the key store; clients trust the CA.
        _ = try TLSSettings(port: 0, keyStorePath: files.keyStorePath).makeServerContext()
        _ = try TLSSettings.makeClientContext(trustStorePath: files.caPath)
    }

    @Test func aHostThatIsNeitherANameNorAnAddressIsRefused() throws {
        let authority = try CertificateAuthority(commonName: "test-ca")
        #expect(throws: TLSSettingsError.self) { try authority.issue(commonName: "x", hosts: ["bad host!"]) }
        let issued = try authority.issue(commonName: "x", hosts: ["::1", "127.0.0.1", "localhost"])
        #expect(issued.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
    }
}
