/// Every metric family triggergate exports, with its `# HELP` text (SPEC §6, §7): one line per family, so that a new
/// family is one more line here. `serve` gives these texts to Prometheus; a family missing here has no `# HELP` line,
/// and the metrics test fails. docs/metrics.md and the Grafana dashboard use these names.
public enum MetricCatalog {
    /// Family name → help text.
    public static let help: [String: String] = [
        // Admission (Sources/Server).
        "triggergate_admission_requests_total": "Admission requests answered, by webhook (validate, mutate, gate, other), result (allowed, denied, warned, error) and HTTP code.",
        "triggergate_admission_request_duration_seconds": "Time to answer an admission request, from its body read to its response ready, by webhook.",
        "triggergate_admission_requests_in_flight": "Admission requests being decided now.",
        "triggergate_gate_decisions_total": "Wave gate decisions, by result (allowed, blocked, unsynced).",
        "triggergate_admission_connections_open": "Connections open on the admission port.",
        "triggergate_admission_connections_refused_total": "Connections closed as soon as accepted because --max-connections were open.",
        "triggergate_tls_handshakes_total": "TLS handshakes completed on the admission port.",
        "triggergate_tls_handshake_failures_total": "TLS handshakes that failed or timed out on the admission port.",
        "triggergate_tls_certificate_expiration_timestamp_seconds": "When the serving certificate expires, in seconds since the Unix epoch.",
        "triggergate_subject_access_reviews_total": "SubjectAccessReviews of a requester's authority, by result (allowed, denied, error).",
        // Watch caches and leadership (Sources/Reconciler).
        "triggergate_watch_synced": "1 when the watch cache of a resource has completed its first list, else 0.",
        "triggergate_watch_objects": "Objects held in the watch cache of a resource.",
        "triggergate_watch_restarts_total": "Watches started again, by resource and reason (expired, error).",
        "triggergate_watch_errors_total": "Watch and list requests that failed, by resource and reason.",
        "triggergate_leader": "1 while this replica holds the leader Lease, else 0.",
        "triggergate_leader_election_errors_total": "Lease requests that failed during leader election, by reason.",
        // Triggers, Events and Application status (Sources/Reconciler).
        "triggergate_triggers_total": "Triggers finished, by action (restart, sync, refresh, annotation) and result (succeeded, failed).",
        "triggergate_trigger_retries_total": "Trigger attempts that failed temporarily and will be retried, by action.",
        "triggergate_trigger_latency_seconds": "Time from a job's success observed to its run's last trigger finished.",
        "triggergate_events_total": "Kubernetes Events written on jobs, by reason, counting repeats folded into one Event.",
        "triggergate_application_status_writes_total": "Merge patches of an Application's notebook status, by result (written, missing, error).",
    ]
}
