#if FUZZING
internal import CLibFuzzer
#endif
import Glibc

/// The test of the fuzz target being run; set once by ``fuzzMain(_:)`` before any input arrives.
nonisolated(unsafe) private var currentTest: ([UInt8]) -> Void = { _ in }

/// Runs `test` on inputs, as the whole program of a fuzz target.
///
/// Built with `-Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,...` (see `.ci/fuzz`), the arguments are libFuzzer's
/// (corpus folders, `-max_total_time=30`, ...) and libFuzzer generates the inputs. In an ordinary build every argument
/// is a file or a folder of files, each run once: the corpus replayed without libFuzzer, as a regression check.
/// `test` reports a broken invariant with ``fuzzFail(_:)``; a crash or a sanitizer report is a failure too.
public func fuzzMain(_ test: @escaping ([UInt8]) -> Void) -> Never {
    currentTest = test
    #if FUZZING
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        currentTest(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
    exit(status)
    #else
    var count = 0
    for argument in CommandLine.arguments.dropFirst() {
        for path in filesUnder(argument) {
            guard let bytes = readFile(path) else { fuzzFail("cannot read \(path)") }
            test(bytes)
            count += 1
        }
    }
    print("\(CommandLine.arguments[0]): \(count) inputs replayed, no failure")
    exit(0)
    #endif
}

/// Reports a broken invariant: prints `message` and aborts, so that libFuzzer saves the input as a crash.
public func fuzzFail(_ message: String) -> Never {
    let line = Array("fuzz invariant broken: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// `path` itself when it is a file, else the files directly inside the folder `path`, sorted.
private func filesUnder(_ path: String) -> [String] {
    guard let folder = opendir(path) else { return [path] }
    defer { closedir(folder) }
    var names: [String] = []
    while let entry = readdir(folder) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if !name.hasPrefix(".") { names.append(path + "/" + name) }
    }
    return names.sorted()
}

private func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        bytes.append(contentsOf: chunk[..<count])
    }
    return ferror(file) == 0 ? bytes : nil
}
