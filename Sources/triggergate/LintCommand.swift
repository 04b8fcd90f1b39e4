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
        "FILE:LINE:COL: error: FIELD: MESSAGE", as compilers do. Exits 1 when an error is found (or a warning, \
        with --strict), 2 when a file cannot be read or is not valid YAML, 0 otherwise. Cross-namespace consent \
        (mlops.dev/trigger-sources) cannot be checked offline; a note says so when a trigger targets another namespace.
        """
    )

    /// How findings are printed.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        /// `FILE:LINE:COL: error: FIELD: MESSAGE`.
        case text
        /// One JSON array of `{file, line, column, severity, field, message}`.
        case json
        /// GitHub Actions workflow commands, which show on the pull request's lines.
        case github
    }

    @Argument(help: "Manifest files, or - for standard input.")
    var files: [String]

    @Option(name: .long, help: "Output format: text, json or github (GitHub Actions annotations).")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Exit 1 on warnings too, as helm lint --strict does.")
    var strict = false

    func run() throws {
        var lines: [LintLine] = []
        var unusable = false
        var crossNamespace = false
        for file in files {
            let label = file == "-" ? "stdin" : file
            let text: String
            do {
                text = try file == "-" ? readAll(descriptor: 0) : readFile(file)
            } catch {
                unusable = true
                printToStandardError("\(label): error: cannot read the file: \(error.description)")
                if format == .github { print("::error file=\(property(label))::\(data("cannot read the file: \(error.description)"))") }
                continue
            }
            let report = lintManifests(text)
            unusable = unusable || report.unparsable
            crossNamespace = crossNamespace || report.crossNamespaceTargets
            lines += report.findings.map { LintLine(file: label, $0) }
        }
        let note = "cross-namespace consent (mlops.dev/trigger-sources on the target namespace) cannot be checked offline; "
            + "it is checked before a trigger runs"
        switch format {
        case .text:
            for line in lines {
                print("\(line.file):\(line.line):\(line.column): \(line.severity): \(line.text)")
            }
            if crossNamespace { printToStandardError("note: " + note) }
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(lines), as: UTF8.self))
            if crossNamespace { printToStandardError("note: " + note) }
        case .github:
            for line in lines {
                print("::\(line.severity) file=\(property(line.file)),line=\(line.line),col=\(line.column)::\(data(line.text))")
            }
            if crossNamespace { print("::notice::\(data(note))") }
        }
        if unusable { throw ExitCode(2) }
        if lines.contains(where: { $0.severity == "error" || strict }) { throw ExitCode(1) }
    }
}

/// One printed finding; also the `--format json` item.
private struct LintLine: Encodable {
    var file: String
    var line: Int
    var column: Int
    var severity: String
    var field: String?
    var message: String

    init(file: String, _ finding: LintFinding) {
        self.file = file
        line = finding.line
        column = finding.column
        severity = finding.severity.rawValue
        field = finding.field
        message = finding.message
    }

    /// `field: message`, or the message alone.
    var text: String { field.map { "\($0): \(message)" } ?? message }

    /// Writes every key, `field` as null when there is none.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
        try container.encode(severity, forKey: .severity)
        try container.encode(field, forKey: .field)
        try container.encode(message, forKey: .message)
    }

    private enum CodingKeys: String, CodingKey {
        case file, line, column, severity, field, message
    }
}

/// A workflow command's message, escaped as GitHub Actions reads it.
private func data(_ text: String) -> String {
    text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
}

/// A workflow command's property value (a file name), escaped as GitHub Actions reads it.
private func property(_ text: String) -> String {
    data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
}

/// Why a file could not be read: the system's reason.
private struct ReadError: Error, CustomStringConvertible {
    var description: String
}

/// The whole file at `path`.
private func readFile(_ path: String) throws(ReadError) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    return try readAll(descriptor: descriptor)
}

/// Everything readable from `descriptor` until its end.
private func readAll(descriptor: Int32) throws(ReadError) -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw ReadError(description: String(cString: strerror(errno)))
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
