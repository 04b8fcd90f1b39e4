/// A JSON pointer (RFC 6901) from reference tokens, escaping `~` as `~0` and `/` as `~1`:
/// `["metadata", "annotations", "mlops.dev/x"]` gives `/metadata/annotations/mlops.dev~1x`.
public func jsonPointer(_ tokens: [String]) -> String {
    var pointer: [UInt8] = []
    pointer.reserveCapacity(tokens.reduce(0) { $0 + 1 + $1.utf8.count })
    for var token in tokens {
        pointer.append(UInt8(ascii: "/"))
        token.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "~"):
                    pointer.append(UInt8(ascii: "~"))
                    pointer.append(UInt8(ascii: "0"))
                case UInt8(ascii: "/"):
                    pointer.append(UInt8(ascii: "~"))
                    pointer.append(UInt8(ascii: "1"))
                default: pointer.append(byte)
                }
            }
        }
    }
    return String(decoding: pointer, as: UTF8.self)
}
