/// Cross-namespace consent (SPEC §4): a target namespace allows triggers from the namespaces its
/// `mlops.dev/trigger-sources` annotation lists (comma-separated), or from all with `*`.
public enum Consent {
    /// Whether a job in `source` may trigger resources in a namespace whose `mlops.dev/trigger-sources` is `annotation`.
    public static func allows(_ annotation: String?, source: String) -> Bool {
        guard let annotation else { return false }
        return annotation.split(separator: ",").contains { (entry: Substring) in
            let name = entry.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
            return String(name) == "*" || String(name) == source
        }
    }

    /// The message of a refused trigger, saying what the target namespace's owner must add.
    public static func refusal(source: String, target: TriggerTarget) -> String {
        "namespace \(target.namespace) does not allow triggers from namespace \(source): "
            + "add \(source) (or *) to its annotation \(AnnotationKeys.triggerSources)"
    }
}
