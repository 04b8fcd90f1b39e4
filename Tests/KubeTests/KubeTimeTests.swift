import Kube
import Testing

struct KubeTimeTests {
    @Test func formatsRFC3339AndMicroTime() {
        #expect(KubeTime.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(KubeTime.rfc3339(1_795_930_200) == "2026-11-29T05:30:00Z")
        #expect(KubeTime.rfc3339(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(KubeTime.microTime(1_795_930_200, microseconds: 1) == "2026-11-29T05:30:00.000001Z")
        #expect(KubeTime.microTime(1_795_930_200, microseconds: 123_456) == "2026-11-29T05:30:00.123456Z")
    }

    @Test func nowIsMicroTimeShaped() {
        let text = KubeTime.microTime()
        #expect(text.count == 27 && text.hasSuffix("Z") && Array(text)[19] == ".")
        #expect(KubeTime.parse(text) != nil)
    }

    @Test func parses() {
        #expect(KubeTime.parse("2026-11-29T05:30:00Z") == 1_795_930_200)
        #expect(KubeTime.parse("2026-11-29T05:30:00.123456Z") == 1_795_930_200)
        #expect(KubeTime.parse("2026-11-29T07:30:00+02:00") == 1_795_930_200)
        #expect(KubeTime.parse("2026-11-29 05:30:00Z") == nil)
        #expect(KubeTime.parse("2026-13-29T05:30:00Z") == nil)
    }

    @Test func roundTripsOverManyDays() {
        for seconds in stride(from: Int64(-86_400 * 800), to: 86_400 * 365 * 200, by: 86_400 * 37 + 3_601) {
            #expect(KubeTime.parse(KubeTime.rfc3339(seconds)) == seconds)
        }
    }
}
