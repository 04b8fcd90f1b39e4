import Sockets
import TLS
import Testing

@Suite struct TLSConnectionTests {
    static let pair = try! GeneratedCertificates.localhost()

    static func serverContext(clientCA: [UInt8]? = nil) throws -> TLSServerContext {
        try TLSServerContext(certificateChainPEM: pair.certificatePEM, privateKeyPEM: pair.keyPEM, clientCAPEM: clientCA)
    }

    @Test(arguments: ["localhost", "127.0.0.1"])
    func aVerifiedClientExchangesDataAndNegotiatesHTTP11(serverName: String) async throws {
        let server = try await TLSEchoServer.start(try Self.serverContext())
        defer { server.stop() }
        let client = try await tlsConnect(port: server.port, context: try TLSClientContext(trustedCAPEM: Self.pair.caPEM), serverName: serverName)
        #expect(client.negotiatedProtocol == "http/1.1")
        try await client.write(Array("hello".utf8), deadline: .now + .seconds(30))
        var received: [UInt8] = []
        while received.count < "[http/1.1]hello".utf8.count {
            received += try await client.read(maxCount: 100, deadline: .now + .seconds(30))
        }
        #expect(String(decoding: received, as: UTF8.self) == "[http/1.1]hello")
        client.close()
    }

    @Test func aLargeTransferCrossesIntact() async throws {
        let server = try await TLSEchoServer.start(try Self.serverContext())
        defer { server.stop() }
        let client = try await tlsConnect(port: server.port, context: try TLSClientContext(trustedCAPEM: Self.pair.caPEM), serverName: "localhost")
        let payload = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        async let sent: Void = client.write(payload, deadline: .now + .seconds(30))
        var received: [UInt8] = []
        let tag = Array("[http/1.1]".utf8)
        while received.count < payload.count + tag.count {
            let bytes = try await client.read(maxCount: 65536, deadline: .now + .seconds(30))
            try #require(!bytes.isEmpty)
            received += bytes
        }
        try await sent
        #expect(received == tag + payload)
    }

    @Test(arguments: ["example.com", "10.1.2.3"])
    func aNameOrAddressNotInTheCertificateIsRefused(serverName: String) async throws {
        let server = try await TLSEchoServer.start(try Self.serverContext())
        defer { server.stop() }
        await #expect(throws: TLSError.self) {
            _ = try await tlsConnect(port: server.port, context: try TLSClientContext(trustedCAPEM: Self.pair.caPEM), serverName: serverName)
        }
    }

    @Test func anUntrustedCAIsRefused() async throws {
        let server = try await TLSEchoServer.start(try Self.serverContext())
        defer { server.stop() }
        let other = try GeneratedCertificates.localhost()
        let error = await #expect(throws: TLSError.self) {
            _ = try await tlsConnect(port: server.port, context: try TLSClientContext(trustedCAPEM: other.caPEM), serverName: "localhost")
        }
        #expect(error?.description.contains("certificate verify failed") == true)
    }

    @Test func aRequiredClientCertificateIsCheckedAndAccepted() async throws {
        let clientPair = try GeneratedCertificates.make(dnsNames: ["client"])
        let server = try await TLSEchoServer.start(try Self.serverContext(clientCA: clientPair.caPEM))
        defer { server.stop() }
        let withCertificate = try TLSClientContext(
            trustedCAPEM: Self.pair.caPEM, clientCertificatePEM: clientPair.certificatePEM, clientKeyPEM: clientPair.keyPEM)
        let client = try await tlsConnect(port: server.port, context: withCertificate, serverName: "localhost")
        try await client.write([1], deadline: .now + .seconds(30))
        #expect(try await client.read(maxCount: 100, deadline: .now + .seconds(30)).last == 1)

        // Without a certificate, TLS 1.3 reports the refusal on the first read after the handshake.
        let anonymous = try await tlsConnect(port: server.port, context: try TLSClientContext(trustedCAPEM: Self.pair.caPEM), serverName: "localhost")
        try? await anonymous.write([1], deadline: .now + .seconds(30))
        let answer = try? await anonymous.read(maxCount: 100, deadline: .now + .seconds(30))
        #expect(answer == nil || answer == [])
    }

    @Test func aStalledHandshakeTimesOut() async throws {
        let listener = try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let silent = try await AsyncSocket.connect(host: "127.0.0.1", port: listener.localPort, deadline: .now + .seconds(30))
        defer { silent.close() }
        let accepted = try await listener.accept()
        let started = ContinuousClock.now
        let error = await #expect(throws: SocketError.self) {
            _ = try await TLSConnection.accept(accepted, context: try Self.serverContext(), deadline: .now + .milliseconds(200))
        }
        #expect(error?.isTimeout == true)
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func generatedCertificatesCarryTheirFacts() throws {
        let info = try CertificateInfo(pem: Self.pair.certificatePEM)
        #expect(info.serial.count >= 30)
        #expect(info.notAfter > 1_700_000_000)
        #expect(try CertificateInfo(pem: Self.pair.caPEM).serial != info.serial)
        #expect(throws: TLSError.self) {
            _ = try TLSServerContext(certificateChainPEM: Self.pair.certificatePEM, privateKeyPEM: try GeneratedCertificates.localhost().keyPEM)
        }
        #expect(throws: TLSError.self) { _ = try TLSServerContext(certificateChainPEM: [], privateKeyPEM: Self.pair.keyPEM) }
    }
}
