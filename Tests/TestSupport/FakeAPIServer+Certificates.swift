public import Foundation

/// PEM files for a TLS fake API server: a CA, a serving certificate for 127.0.0.1 and localhost, and a client
/// certificate (CN=admin, O=system:masters), all made with the `openssl` command line tool.
public struct FakeAPICertificates: Sendable {
    /// The CA certificate that signed the others.
    public var caFile: String
    /// The server's certificate (SAN IP:127.0.0.1, DNS:localhost).
    public var serverCertFile: String
    /// The server's private key.
    public var serverKeyFile: String
    /// A client certificate the fake accepts as authenticated (CN=admin, O=system:masters).
    public var clientCertFile: String
    /// The client certificate's private key.
    public var clientKeyFile: String

    /// Creates the files in `directory`.
    public static func make(in directory: URL) async throws -> FakeAPICertificates {
        let dir = directory.path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await openssl(["req", "-x509"] + ec + ["-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.crt",
                                                   "-days", "2", "-subj", "/CN=fake-apiserver-ca"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: "\(dir)/server.ext", atomically: true, encoding: .utf8)
        for (name, subject, extensions) in [("server", "/CN=fake-apiserver", "\(dir)/server.ext"),
                                            ("client", "/CN=admin/O=system:masters", nil)] {
            try await openssl(["req"] + ec + ["-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).csr", "-subj", subject])
            try await openssl(["x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", "\(dir)/ca.crt", "-CAkey", "\(dir)/ca.key",
                               "-CAcreateserial", "-out", "\(dir)/\(name).crt", "-days", "2"]
                              + (extensions.map { ["-extfile", $0] } ?? []))
        }
        return FakeAPICertificates(
            caFile: "\(dir)/ca.crt", serverCertFile: "\(dir)/server.crt", serverKeyFile: "\(dir)/server.key",
            clientCertFile: "\(dir)/client.crt", clientKeyFile: "\(dir)/client.key")
    }

    private static func openssl(_ arguments: [String]) async throws {
        let result = try await run("openssl", arguments)
        guard result.status == 0 else { throw FakeAPIServerError(message: "openssl \(arguments[0]) failed: \(result.stderr)") }
    }
}
