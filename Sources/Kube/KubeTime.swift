import Glibc

/// Kubernetes time formats, written by hand (no `DateFormatter`): `Time` (RFC 3339, whole seconds, UTC) and
/// `MicroTime` (exactly six fractional digits, as Lease `acquireTime`/`renewTime` require).
public enum KubeTime {
    /// The current wall-clock time as (seconds, microseconds) since the epoch.
    public static func now() -> (seconds: Int64, microseconds: Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (Int64(spec.tv_sec), Int(spec.tv_nsec / 1000))
    }

    /// `2026-11-29T06:10:00Z` for `seconds` since the epoch (now when nil).
    public static func rfc3339(_ seconds: Int64? = nil) -> String {
        civil(seconds ?? now().seconds) + "Z"
    }

    /// `2026-11-29T06:10:00.123456Z`: MicroTime (now when nil).
    public static func microTime(_ seconds: Int64? = nil, microseconds: Int? = nil) -> String {
        let current = now()
        let micro = microseconds ?? (seconds == nil ? current.microseconds : 0)
        let digits = String(micro)
        return civil(seconds ?? current.seconds) + "." + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into seconds since the epoch (the fraction dropped); nil otherwise.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                value = value * 10 + Int64(b[i] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        if b[i] == 0x2E {
            i += 1
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
        }
        var offset: Int64 = 0
        if i == b.count - 1, b[i] == 0x5A || b[i] == 0x7A {
            offset = 0
        } else if i == b.count - 6, b[i] == 0x2B || b[i] == 0x2D, b[i + 3] == 0x3A,
            let hours = number(i + 1..<i + 3), let minutes = number(i + 4..<i + 6)
        {
            offset = (hours * 3600 + minutes * 60) * (b[i] == 0x2D ? -1 : 1)
        } else {
            return nil
        }
        return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC.
    private static func civil(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        let (year, month, day) = civilFromDays(days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + two(month) + "-" + two(day)
            + "T" + two(rest / 3600) + ":" + two(rest % 3600 / 60) + ":" + two(rest % 60)
    }

    /// Howard Hinnant's `days_from_civil`.
    private static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Howard Hinnant's `civil_from_days`.
    private static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
