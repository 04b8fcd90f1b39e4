import Foundation
import Testing
import TestSupport

/// A rendered Kubernetes object.
typealias Object = [String: Any]

extension Dictionary where Key == String, Value == Any {
    /// The value at a dotted path of mapping keys (`spec.template.spec`).
    func at(_ path: String) -> Any? {
        var current: Any? = self
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return current
    }

    var kind: String? { self["kind"] as? String }
    var name: String? { at("metadata.name") as? String }
}

extension Array where Element == [String: Any] {
    /// Whether an object of `kind` is among these.
    func has(kind: String) -> Bool { contains { $0.kind == kind } }
}

/// The one object of `kind` (and `name`, when given) in `objects`.
func object(_ kind: String, named name: String? = nil, in objects: [Object]) throws -> Object {
    let matches = objects.filter { $0.kind == kind && (name == nil || $0.name == name) }
    try #require(matches.count == 1, "want one \(kind) \(name ?? ""), found \(matches.count)")
    return matches[0]
}

/// Two YAML-or-JSON values are equal (compared as JSON with sorted keys).
func same(_ lhs: Any?, _ rhs: Any?) -> Bool {
    func json(_ value: Any?) -> Data? {
        guard let value else { return nil }
        return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    }
    return json(lhs) == json(rhs)
}

/// A scratch folder inside `.build` (kustomize only follows relative paths), removed by the caller.
func scratchFolder(_ prefix: String) throws -> URL {
    let folder = packageRoot.appendingPathComponent(".build/\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A copy of `deploy/` whose `overlays/certs/tls` holds what the README's
/// `triggergate certs --dns triggergate.triggergate.svc --out deploy/overlays/certs/tls` writes, made by the built binary.
func deployCopyWithCertificates() async throws -> URL {
    let folder = try scratchFolder("tg-deploy")
    let copy = folder.appendingPathComponent("deploy")
    try FileManager.default.copyItem(at: deployRoot, to: copy)
    let tls = copy.appendingPathComponent("overlays/certs/tls")
    try? FileManager.default.removeItem(at: tls)
    let result = try await run(triggergateBinary.path, ["certs", "--dns", "triggergate.triggergate.svc", "--out", tls.path])
    try #require(result.status == 0, "triggergate certs: \(result.stdout)\(result.stderr)")
    return copy
}

/// The Kubernetes versions the rendered manifests must validate against: the minimum supported one (1.25) and the
/// newest that the installed kubernetes-validate ships schemas for.
func kubernetesVersions() throws -> [String] {
    let lib = packageRoot.appendingPathComponent(".tools/venv/lib")
    var newest: [Int] = [1, 25, 0]
    for python in try FileManager.default.contentsOfDirectory(atPath: lib.path) {
        let schemas = lib.appendingPathComponent("\(python)/site-packages/kubernetes_validate/kubernetes-json-schema")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: schemas.path)) ?? [] where name.hasSuffix("-local-strict") {
            let version = name.dropFirst().dropLast("-local-strict".count).split(separator: ".").compactMap { Int($0) }
            if version.lexicographicallyPrecedes(newest) == false { newest = version }
        }
    }
    try #require(newest != [1, 25, 0], "kubernetes-validate ships no schema newer than 1.25: run `bash .ci/setup`")
    return ["1.25.0", newest.map(String.init).joined(separator: ".")]
}

/// Validates YAML files with `kubernetes-validate --strict` for each of `versions` (default ``kubernetesVersions()``) and returns every
/// problem it reports. A missing schema counts as a problem unless the kind's API group is in `groupsWithoutSchemas`.
func schemaProblems(_ files: [URL], groupsWithoutSchemas: Set<String>, versions: [String]? = nil) async throws -> [String] {
    var problems: [String] = []
    for version in try versions ?? kubernetesVersions() {
        let result = try await run(
            try deployTool("kubernetes-validate"), ["--strict", "--quiet", "-k", version] + files.map(\.path)
        )
        let lines = (result.stdout + result.stderr).split(separator: "\n").map(String.init)
        let unexpected = lines.filter { line in
            guard line.hasPrefix("WARN"), let range = line.range(of: "with api version ") else { return true }
            let group = line[range.upperBound...].split(separator: "/").first.map(String.init) ?? ""
            return !(line.contains("Couldn't find schema for kind") && groupsWithoutSchemas.contains(group))
        }
        problems += unexpected.map { "\(version): \($0)" }
        if result.status != 0, unexpected.isEmpty {
            problems.append("\(version): kubernetes-validate exited \(result.status) with only allowed warnings")
        }
    }
    return problems
}
