public import Foundation
import YAML

/// A deploy tool (`helm`, `kubectl`, `kubernetes-validate`) is not installed in the checkout.
public struct DeployToolMissing: Error, CustomStringConvertible {
    /// The tool's name.
    public var tool: String
    /// Where it was looked for.
    public var path: String
    public var description: String { "\(tool) is not at \(path): run `bash .ci/setup` to install the deploy tools" }
}

/// A deploy tool ran and failed.
public struct DeployToolFailed: Error, CustomStringConvertible {
    /// The command line that failed.
    public var command: String
    /// What the tool printed on standard error.
    public var stderr: String
    public var description: String { "`\(command)` failed: \(stderr)" }
}

/// The path of a deploy tool installed by `.ci/setup`: `helm` and `kubectl` in `.tools/bin`, Python tools in `.tools/venv/bin`.
///
/// Never a copy found on `PATH`: CI machines are fresh, so the tests must use what setup installs.
public func deployTool(_ name: String) throws -> String {
    let folder = name.hasPrefix("kubernetes-") ? ".tools/venv/bin" : ".tools/bin"
    let path = packageRoot.appendingPathComponent(folder).appendingPathComponent(name).path
    guard FileManager.default.isExecutableFile(atPath: path) else { throw DeployToolMissing(tool: name, path: path) }
    return path
}

/// Runs a deploy tool and returns its standard output, or throws ``DeployToolFailed``.
///
/// - Parameters:
///   - name: The tool, as ``deployTool(_:)`` finds it.
///   - arguments: Its arguments.
///   - directory: The working directory; the package root when `nil`.
public func runDeployTool(_ name: String, _ arguments: [String], directory: URL? = nil) async throws -> String {
    let result = try await run(try deployTool(name), arguments, directory: directory)
    guard result.status == 0 else {
        throw DeployToolFailed(command: ([name] + arguments).joined(separator: " "), stderr: result.stderr + result.stdout)
    }
    return result.stdout
}

/// The `deploy/` folder of this checkout.
public var deployRoot: URL { packageRoot.appendingPathComponent("deploy") }

/// The Helm chart of this checkout.
public var chartRoot: URL { packageRoot.appendingPathComponent("chart/triggergate") }

/// Renders a kustomization with `kubectl kustomize`.
public func renderKustomization(_ directory: URL) async throws -> String {
    try await runDeployTool("kubectl", ["kustomize", directory.path])
}

/// Renders the chart with `helm template` as release `triggergate` in namespace `triggergate`.
///
/// - Parameter arguments: More `helm template` arguments, such as `--set certificates.mode=selfSigned`.
public func renderChart(_ arguments: [String] = []) async throws -> String {
    try await runDeployTool(
        "helm", ["template", "triggergate", chartRoot.path, "--namespace", "triggergate"] + arguments
    )
}

/// The objects of a multi-document YAML stream, each as a mapping (empty documents are skipped), with plain scalars
/// resolved as Kubernetes reads them: `Bool`, `Int` (or `Double`), `NSNull`; every other scalar is a `String`.
public func manifestObjects(_ yaml: String) throws -> [[String: Any]] {
    var objects: [[String: Any]] = []
    try YAMLNode.loadDocuments(yaml) { root in
        if let object = foundationValue(root) as? [String: Any] { objects.append(object) }
    }
    return objects
}

/// A YAML node as the Foundation values `JSONSerialization` would build for the same object.
private func foundationValue(_ node: YAMLNode) -> Any {
    switch node.content {
    case let .sequence(items):
        return items.map(foundationValue)
    case let .mapping(entries):
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.key, foundationValue($0.value)) })
    case let .scalar(text, plain):
        switch YAMLScalarType(text, plain: plain) {
        case .string: return text
        case .null: return NSNull()
        case .boolean: return YAMLScalarType.boolean(text) ?? false
        case .number: return Int(text) ?? Double(text) ?? text
        }
    }
}
