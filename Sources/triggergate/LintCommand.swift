import Admission
import ArgumentParser
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// `triggergate lint FILE…|-`: checks manifests offline with the admission rules and messages.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check NotebookValidationJob manifests offline with the same rules and messages as admission.",
        discussion: """
        Reads multi-document YAML from each FILE ("-" reads standard input) and prints one line per problem, \
        "file: document N: message". Exits 1 when any problem or warning is found, 0 otherwise. \
        Cross-namespace consent (mlops.dev/trigger-sources) cannot be checked offline and is skipped.
        """
    )

    /// How findings are printed.
    enum OutputFormat: String, ExpressibleByArgument {
        case text
        case json
    }

    @Argument(help: "Manifest files, or - for standard input.")
    var files: [String]

    @Option(name: .long, help: "Output format: text or json.")
    var output: OutputFormat = .text

    func run() throws {
        var lines: [LintLine] = []
        var crossNamespace = false
        for file in files {
            let label = file == "-" ? "stdin" : file
            let text: String
            do {
                text = try file == "-" ? readStandardInput() : String(decoding: Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            } catch {
                lines.append(LintLine(file: label, document: 0, severity: "error", message: "cannot read the file: \(error)"))
                continue
            }
            let report = lintManifests(text)
            crossNamespace = crossNamespace || report.crossNamespaceTargets
            lines += report.findings.map {
                LintLine(file: label, document: $0.document, severity: $0.severity.rawValue, message: $0.message)
            }
        }
        let note = crossNamespace
            ? "note: cross-namespace consent (mlops.dev/trigger-sources on the target namespace) cannot be checked offline; it is checked before a trigger runs"
            : nil
        switch output {
        case .text:
            for line in lines {
                let document = line.document > 0 ? " document \(line.document):" : ""
                print("\(line.file):\(document) \(line.severity == "warning" ? "warning: " : "")\(line.message)")
            }
            if let note { printToStandardError(note) }
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(LintOutput(problems: lines, notes: note.map { [$0] } ?? []))
            print(String(decoding: data, as: UTF8.self))
        }
        if !lines.isEmpty { throw ExitCode(1) }
    }
}

/// One printed finding.
private struct LintLine: Encodable {
    var file: String
    var document: Int
    var severity: String
    var message: String
}

/// The `--output json` document.
private struct LintOutput: Encodable {
    var problems: [LintLine]
    var notes: [String]
}

private func readStandardInput() throws -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw ValidationError("cannot read standard input: errno \(errno)")
        }
        if count == 0 { break }
        bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func printToStandardError(_ text: String) {
    let line = text + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
