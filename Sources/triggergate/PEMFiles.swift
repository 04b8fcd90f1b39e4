import Glibc

/// A file could not be written.
struct FileWriteError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write \(path): \(reason)" }
}

/// Writes `bytes` to `path`, replacing it, with permission `mode` (also when the file already existed).
func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    guard fchmod(fd, mode) == 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written > 0 else {
            if written < 0 && errno == EINTR { continue }
            throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        offset += written
    }
}

/// Creates `path` and its missing parents with mode 0755.
func makeDirectories(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component + "/"
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            throw FileWriteError(path: prefix, reason: String(cString: strerror(errno)))
        }
    }
}
