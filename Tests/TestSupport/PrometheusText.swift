import Foundation

/// One metric family of a Prometheus text exposition, as `prometheus_client`'s parser (the reference Python client)
/// reads it. For a counter, the parser names the family without its `_total` suffix; ``samples`` keep their full names.
public struct MetricFamily: Sendable, Decodable {
    /// One sample line.
    public struct Sample: Sendable, Decodable {
        /// The sample's name (`…_total`, `…_bucket`, …).
        public var name: String
        /// Its labels.
        public var labels: [String: String]
        /// Its value.
        public var value: Double
    }

    /// The family's name.
    public var name: String
    /// `counter`, `gauge`, `histogram`, … (`unknown` without a `# TYPE` line).
    public var type: String
    /// The `# HELP` text, empty without one.
    public var help: String
    /// The samples.
    public var samples: [Sample]
}

/// Parses a `/metrics` body with `prometheus_client.parser` from `.tools/venv`; throws with the parser's complaint
/// when the text is not valid exposition format.
public func parsePrometheusText(_ text: String) async throws -> [MetricFamily] {
    let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = [{"name": f.name, "type": f.type, "help": f.documentation,
                     "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
                    for f in text_string_to_metric_families(sys.stdin.read())]
        print(json.dumps(families))
        """
    let python = packageRoot.appendingPathComponent(".tools/venv/bin/python").path
    let result = try await run(python, ["-c", script], input: Array(text.utf8))
    guard result.status == 0 else { throw PrometheusTextError(message: result.stderr) }
    return try JSONDecoder().decode([MetricFamily].self, from: Data(result.stdout.utf8))
}

/// `prometheus_client` refused the text.
public struct PrometheusTextError: Error, CustomStringConvertible {
    /// The parser's complaint.
    public var message: String
    public var description: String { "not valid Prometheus text format: \(message)" }
}
