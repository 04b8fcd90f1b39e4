/// Syntax checks for Kubernetes names and the other values the annotations carry. Each check looks at the value's
/// UTF-8 bytes in one contiguous buffer.
enum NameRules {
    /// A DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters.
    static func isDNSLabel(_ value: some StringProtocol) -> Bool {
        withBytes(value) { isDNSLabel(bytes: $0[...]) }
    }

    /// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
    static func isDNSSubdomain(_ value: some StringProtocol) -> Bool {
        withBytes(value) { isDNSSubdomain(bytes: $0[...]) }
    }

    /// `v1` or `<group>/<version>`, with the group a DNS-1123 subdomain and the version `v[0-9]+((alpha|beta)[0-9]+)?`.
    static func isAPIVersion(_ value: String) -> Bool {
        withBytes(value) { bytes in
            guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return value == "v1" }
            let version = bytes[(slash + 1)...]
            return !version.contains(UInt8(ascii: "/")) && isDNSSubdomain(bytes: bytes[..<slash]) && isVersion(bytes: version)
        }
    }

    /// `^[A-Z][A-Za-z0-9]{0,62}$`.
    static func isKind(_ value: String) -> Bool {
        withBytes(value) { bytes in
            guard let first = bytes.first, isUpper(first), bytes.count <= 63 else { return false }
            return bytes.allSatisfy { isAlnum($0) || isUpper($0) }
        }
    }

    /// Calls `body` with the UTF-8 bytes of `value` in one buffer (copied only when they are not stored contiguously).
    private static func withBytes(_ value: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        value.utf8.withContiguousStorageIfAvailable(body) ?? Array(value.utf8).withUnsafeBufferPointer(body)
    }

    private static func isDNSSubdomain(bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard bytes.count <= 253 else { return false }
        var labelStart = bytes.startIndex
        for index in bytes.startIndex...bytes.endIndex where index == bytes.endIndex || bytes[index] == UInt8(ascii: ".") {
            guard isDNSLabel(bytes: bytes[labelStart..<index]) else { return false }
            labelStart = index + 1
        }
        return true
    }

    private static func isDNSLabel(bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63, isAlnum(first), isAlnum(last) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isVersion(bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var rest = bytes
        guard rest.first == UInt8(ascii: "v") else { return false }
        rest = rest.dropFirst()
        let major = rest.prefix(while: isDigit)
        guard !major.isEmpty else { return false }
        rest = rest.dropFirst(major.count)
        if rest.isEmpty { return true }
        guard let minor = dropping("alpha", from: rest) ?? dropping("beta", from: rest) else { return false }
        return !minor.isEmpty && minor.allSatisfy(isDigit)
    }

    /// `bytes` after `stage`, or `nil` when they do not start with it.
    private static func dropping(_ stage: StaticString, from bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>>? {
        stage.withUTF8Buffer { bytes.starts(with: $0) } ? bytes.dropFirst(stage.utf8CodeUnitCount) : nil
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isUpper(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
