import Glibc

/// Reads a whole file, for PEM files of a few kilobytes.
func readFile(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw TLSError("read \(path)", reasons: [String(cString: strerror(errno))])
    }
    defer { fclose(file) }
    var contents: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16384)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count > 0 { contents += buffer[..<count] }
        if count < buffer.count { break }
    }
    guard ferror(file) == 0 else { throw TLSError("read \(path)", reasons: [String(cString: strerror(errno))]) }
    return contents
}
