import CLinux
import Glibc

/// How many processors the process can keep busy: those its CPU affinity allows, fewer when a cgroup v2 CPU quota
/// (`cpu.max`, as a container's CPU limit sets it) allows less, rounded up; at least one.
func usableProcessorCount() -> Int {
    let allowed = Int(tg_allowed_processor_count())
    guard let quota = cgroupProcessorQuota() else { return max(1, allowed) }
    return max(1, min(allowed, quota))
}

/// The cgroup v2 CPU quota (`/sys/fs/cgroup/cpu.max`) in whole processors, rounded up; `nil` when there is none or
/// it cannot be read.
private func cgroupProcessorQuota() -> Int? {
    let fd = open("/sys/fs/cgroup/cpu.max", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 64)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard count > 0 else { return nil }
    return parseProcessorQuota(String(decoding: buffer.prefix(count), as: UTF8.self))
}

/// Parses `cpu.max` ("QUOTA PERIOD" in microseconds, or "max PERIOD") into whole processors, rounded up.
func parseProcessorQuota(_ text: String) -> Int? {
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard fields.count == 2, let quota = Int(fields[0]), let period = Int(fields[1]), quota > 0, period > 0 else { return nil }
    return (quota + period - 1) / period
}
