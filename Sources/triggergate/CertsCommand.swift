import ArgumentParser
import TLS

/// `triggergate certs`: a development CA and a serving certificate signed by it, made through the OpenSSL API.
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Write a CA (ca.crt) and a serving certificate (tls.crt, tls.key) for the given names.",
        discussion: """
            Example, for the in-cluster Service:
              triggergate certs --dns triggergate.triggergate.svc --dns triggergate.triggergate.svc.cluster.local --out ./certs
            then put tls.crt and tls.key in a Secret and ca.crt (base64) in the webhooks' caBundle.
            """
    )

    @Option(name: .customLong("dns"), help: "A DNS name for the certificate (repeatable).")
    var dnsNames: [String] = []

    @Option(name: .customLong("ip"), help: "An IP address for the certificate (repeatable).")
    var ipAddresses: [String] = []

    @Option(name: .long, help: "The directory to write ca.crt, tls.crt and tls.key to (created if missing).")
    var out: String

    @Option(name: .long, help: "How many days the certificates are valid.")
    var days: Int = 365

    @Option(
        name: .customLong("key-type"), help: ArgumentHelp("ec (ECDSA P-256, the default) or rsa (RSA 2048), for the CA and the serving certificate.", valueName: "ec|rsa"),
        transform: parseKeyType)
    var keyType: GeneratedCertificates.KeyType = .ec

    func validate() throws {
        guard !dnsNames.isEmpty || !ipAddresses.isEmpty else { throw ValidationError("give at least one --dns NAME or --ip ADDRESS") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
    }

    func run() throws {
        let generated = try GeneratedCertificates.make(dnsNames: dnsNames, ipAddresses: ipAddresses, validDays: days, keyType: keyType)
        try makeDirectories(out)
        try writeFile(out + "/ca.crt", generated.caPEM, mode: 0o644)
        try writeFile(out + "/tls.crt", generated.certificatePEM, mode: 0o644)
        try writeFile(out + "/tls.key", generated.keyPEM, mode: 0o600)
        print("wrote \(out)/ca.crt, \(out)/tls.crt and \(out)/tls.key (mode 0600), \(keyType.rawValue.uppercased()) keys, valid for \(days) days")
    }
}

/// Parses `--key-type`.
private func parseKeyType(_ text: String) throws -> GeneratedCertificates.KeyType {
    guard let type = GeneratedCertificates.KeyType(rawValue: text) else {
        throw ValidationError("want ec (ECDSA P-256) or rsa (RSA 2048)")
    }
    return type
}
