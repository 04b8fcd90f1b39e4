/// Syntax checks for Kubernetes names and the other values the annotations carry.
enum NameRules {
    /// A DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters.
    static func isDNSLabel(_ value: some StringProtocol) -> Bool {
        withBytes(value) { isDNSLabel(bytes: $0[...]) }
    }

    /// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
    static func isDNSSubdomain(_ value: some StringProtocol) -> Bool {
        withBytes(value) { bytes in
            guard bytes.count <= 253 else { return false }
            var labelStart = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: ".") {
                guard isDNSLabel(bytes: bytes[labelStart..<index]) else { return false }
                labelStart = index + 1
            }
            return true
        }
    }

    private static func isDNSLabel(bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63, isAlnum(first), isAlnum(last) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// Calls `body` with the UTF-8 bytes of `value` in one buffer (copied only when they are not stored contiguously).
    private static func withBytes(_ value: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        value.utf8.withContiguousStorageIfAvailable(body) ?? Array(value.utf8).withUnsafeBufferPointer(body)
    }

    /// `v1` or `<group>/<version>`, with the group a DNS-1123 subdomain and the version `v[0-9]+((alpha|beta)[0-9]+)?`.
    static func isAPIVersion(_ value: String) -> Bool {
        guard let slash = value.utf8.firstIndex(of: UInt8(ascii: "/")) else { return value == "v1" }
        let version = value[value.utf8.index(after: slash)...]
        return !version.utf8.contains(UInt8(ascii: "/")) && isDNSSubdomain(value[..<slash])
            && withBytes(version) { isVersion(bytes: $0[...]) }
    }

    /// `^[A-Z][A-Za-z0-9]{0,62}$`.
    static func isKind(_ value: String) -> Bool {
        let bytes = value.utf8
        guard let first = bytes.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first), bytes.count <= 63 else { return false }
        return bytes.allSatisfy { isAlnum($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    private static func isVersion(bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var rest = bytes
        guard rest.first == UInt8(ascii: "v") else { return false }
        rest = rest.dropFirst()
        let major = rest.prefix(while: isDigit)
        guard !major.isEmpty else { return false }
        rest = rest.dropFirst(major.count)
        if rest.isEmpty { return true }
        for stage in ["alpha", "beta"] where rest.starts(with: stage.utf8) {
            let minor = rest.dropFirst(stage.utf8.count)
            return !minor.isEmpty && minor.allSatisfy(isDigit)
        }
        return false
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
