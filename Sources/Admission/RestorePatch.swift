import JSON

/// `/mutate`: the JSON patch that puts back controller-owned keys a writer dropped (SPEC §2).
struct RestorePatch {
    /// The keys put back, in `AnnotationKeys.controllerOwned` order, with their old values.
    var restored: [(key: String, value: String)]
    /// Whether the object had no annotations map, so the patch adds one.
    var addsMap: Bool

    /// The keys of `old` that `new` lacks, or `nil` when nothing was dropped.
    init?(new: [String: String]?, old: [String: String]) {
        restored = AnnotationKeys.controllerOwned.compactMap { key in
            guard new?[key] == nil, let value = old[key] else { return nil }
            return (key, value)
        }
        guard !restored.isEmpty else { return nil }
        addsMap = new == nil
    }

    /// The RFC 6902 patch text.
    var json: [UInt8] {
        var writer = JSONWriter()
        if addsMap {
            writer.raw(#"[{"op":"add","path":"/metadata/annotations","value":{"#)
            for (index, entry) in restored.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(entry.key)
                writer.raw(":")
                writer.string(entry.value)
            }
            writer.raw("}}]")
            return writer.bytes
        }
        writer.raw("[")
        for (index, entry) in restored.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw(#"{"op":"add","path":"#)
            writer.string(jsonPointer(["metadata", "annotations", entry.key]))
            writer.raw(#","value":"#)
            writer.string(entry.value)
            writer.raw("}")
        }
        writer.raw("]")
        return writer.bytes
    }

    /// The warning that tells the writer what was put back.
    var warning: String {
        boundedWarning("restored \(restored.map(\.key).joined(separator: ", ")) from oldObject")
    }
}
