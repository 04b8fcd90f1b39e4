import Foundation
import Logging
import TLS
import Testing

@Suite struct CertificateReloaderTests {
    @Test func aChangedPairIsLoadedAndABrokenOneIsIgnored() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tg-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = CertificateFiles(
            certificate: directory.appendingPathComponent("tls.crt").path, key: directory.appendingPathComponent("tls.key").path)
        func write(_ pair: GeneratedCertificates, key: [UInt8]? = nil) throws {
            try Data(pair.certificatePEM).write(to: URL(fileURLWithPath: files.certificate))
            try Data(key ?? pair.keyPEM).write(to: URL(fileURLWithPath: files.key))
        }
        let first = try GeneratedCertificates.localhost()
        try write(first)
        let reloader = try CertificateReloader(files: files, logger: Logger(label: "test"))
        let firstSerial = try CertificateInfo(pem: first.certificatePEM).serial
        #expect(reloader.current.certificate.serial == firstSerial)
        #expect(reloader.reloadIfChanged() == nil)

        let second = try GeneratedCertificates.localhost()
        try write(second)
        let secondSerial = try CertificateInfo(pem: second.certificatePEM).serial
        #expect(reloader.reloadIfChanged()?.certificate.serial == secondSerial)
        #expect(reloader.current.certificate.serial == secondSerial)

        try write(try GeneratedCertificates.localhost(), key: first.keyPEM)
        #expect(reloader.reloadIfChanged() == nil)
        #expect(reloader.current.certificate.serial == secondSerial)
    }

    @Test func missingFilesAreRefusedAtStart() {
        #expect(throws: TLSError.self) {
            _ = try CertificateReloader(files: CertificateFiles(certificate: "/nonexistent/tls.crt", key: "/nonexistent/tls.key"), logger: Logger(label: "test"))
        }
    }
}
