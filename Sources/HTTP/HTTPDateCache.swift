import Glibc

/// The current time as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for the `Date` field, formatted by hand
/// at most once per second.
struct HTTPDateCache {
    private var second = -1
    private var formatted: [UInt8] = []

    /// The formatted current time.
    mutating func now() -> [UInt8] {
        let seconds = time(nil)
        if seconds != second {
            second = seconds
            formatted = Self.format(seconds)
        }
        return formatted
    }

    private static let days: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats `seconds` since the epoch as an IMF-fixdate.
    static func format(_ seconds: Int) -> [UInt8] {
        var clock = time_t(seconds)
        var parts = tm()
        gmtime_r(&clock, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        func name(_ text: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: 3)) }
        func digits(_ value: Int32, _ width: Int) {
            var divisor: Int32 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
                divisor /= 10
            }
        }
        name(days[Int(parts.tm_wday)])
        out.append(contentsOf: ", ".utf8)
        digits(parts.tm_mday, 2)
        out.append(UInt8(ascii: " "))
        name(months[Int(parts.tm_mon)])
        out.append(UInt8(ascii: " "))
        digits(parts.tm_year + 1900, 4)
        out.append(UInt8(ascii: " "))
        digits(parts.tm_hour, 2)
        out.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        out.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        out.append(contentsOf: " GMT".utf8)
        return out
    }
}
