@testable import HTTP
import TestSupport
import Testing

@Suite struct HTTP2HeaderClockTests {
    let opened = ContinuousClock.now
    let timeout = Duration.seconds(10)

    /// The deadline after each byte of `bytes`, fed one at a time, each `step` after the last.
    func deadlines(_ bytes: [UInt8], step: Duration = .seconds(1)) -> [ContinuousClock.Instant?] {
        var clock = HTTP2HeaderClock(timeout: timeout, opened: opened)
        return bytes.indices.map { index in
            clock.observe([bytes[index]], at: opened + step * (index + 1))
            return clock.deadline
        }
    }

    @Test func untilAHeaderBlockBeginsTheConnectionHasTheTimeoutFromWhenItOpened() {
        let clock = HTTP2HeaderClock(timeout: timeout, opened: opened)
        #expect(clock.deadline == opened + timeout)
        let ping = RawFrame.frame(type: 6, flags: 0, stream: 0, Array(repeating: 0, count: 8))
        #expect(deadlines(RawFrame.preface + ping).allSatisfy { $0 == opened + timeout })
    }

    @Test func aBlockHasTheTimeoutFromItsFirstFrameHeaderUntilItsLastPayloadByte() {
        let prefix = RawFrame.preface
        let headers = RawFrame.frame(type: 1, flags: 0x01, stream: 1, Array(RawFrame.getBlock.prefix(2)))
        let continuation = RawFrame.frame(type: 9, flags: 0x04, stream: 1, Array(RawFrame.getBlock.dropFirst(2)))
        let all = deadlines(prefix + headers + continuation + RawFrame.frame(type: 1, flags: 0x05, stream: 3, RawFrame.getBlock))
        let begun = prefix.count + 9
        #expect(all[..<(begun - 1)].allSatisfy { $0 == opened + timeout }, "before the HEADERS frame header is whole")
        let blockDeadline = opened + .seconds(begun) + timeout
        let blockEnd = prefix.count + headers.count + continuation.count
        #expect(all[(begun - 1)..<(blockEnd - 1)].allSatisfy { $0 == blockDeadline }, "through the CONTINUATION's last byte but one")
        #expect(all[blockEnd - 1] == nil, "the block arrived")
        let next = blockEnd + 9
        #expect(all[blockEnd..<(next - 1)].allSatisfy { $0 == nil })
        #expect(all[next - 1] == opened + .seconds(next) + timeout, "the next block has its own deadline")
        #expect(all.last == .some(nil), "and arrived")
    }

    @Test func payloadsAreSkippedEvenWhenTheyLookLikeAHeadersFrame() {
        let lookalike = RawFrame.frame(type: 1, flags: 0x01, stream: 1, [])
        let request = RawFrame.preface + RawFrame.postHeaders(stream: 1, path: "/", contentLength: lookalike.count)
        let body = RawFrame.data(stream: 1, lookalike, ends: false) + RawFrame.data(stream: 1, [], ends: true)
        #expect(deadlines(request + body).suffix(body.count).allSatisfy { $0 == nil })
    }
}
