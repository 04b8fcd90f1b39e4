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

    func validate() throws {
        guard !dnsNames.isEmpty || !ipAddresses.isEmpty else { throw ValidationError("give at least one --dns NAME or --ip ADDRESS") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
    }

    func run() throws {
        let generated = try GeneratedCertificates.make(dnsNames: dnsNames, ipAddresses: ipAddresses, validDays: days)
        try makeDirectories(out)
        try writeFile(out + "/ca.crt", generated.caPEM, mode: 0o644)
        try writeFile(out + "/tls.crt", generated.certificatePEM, mode: 0o644)
        try writeFile(out + "/tls.key", generated.keyPEM, mode: 0o600)
        print("wrote \(out)/ca.crt, \(out)/tls.crt and \(out)/tls.key (mode 0600), valid for \(days) days")
    }
}
