import COpenSSL

/// ALPN protocol names and their wire encoding.
enum ALPN {
    static let h2 = "h2"
    static let http11 = "http/1.1"

    /// The length-prefixed wire list of `protocols`.
    static func wire(_ protocols: [String]) -> [UInt8] {
        protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    /// Picks `h2` when offered, else `http/1.1`; `nil` when neither is offered.
    static func select(from offered: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var candidates: [String: Range<Int>] = [:]
        var index = 0
        while index < offered.count {
            let length = Int(offered[index])
            let start = index + 1
            guard start + length <= offered.count else { return nil }
            candidates[String(decoding: UnsafeBufferPointer(rebasing: offered[start..<start + length]), as: UTF8.self)] = start..<start + length
            index = start + length
        }
        return candidates[h2] ?? candidates[http11]
    }
}

/// OpenSSL's ALPN callback for server contexts: `h2` when offered, else `http/1.1`, else carry on without ALPN.
///
/// A file-level function that captures nothing; the selected name points into OpenSSL's own `input` buffer.
func alpnSelect(
    _ ssl: OpaquePointer?,
    _ output: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
    _ outputLength: UnsafeMutablePointer<UInt8>?,
    _ input: UnsafePointer<UInt8>?,
    _ inputLength: UInt32,
    _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let input, let output, let outputLength,
        let chosen = ALPN.select(from: UnsafeBufferPointer(start: input, count: Int(inputLength)))
    else { return SSL_TLSEXT_ERR_NOACK }
    output.pointee = input + chosen.lowerBound
    outputLength.pointee = UInt8(chosen.count)
    return SSL_TLSEXT_ERR_OK
}
