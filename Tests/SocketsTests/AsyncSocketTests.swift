import Glibc
import Sockets
import Testing

/// A connected pair of async sockets over a Unix socket pair.
private func makePair() throws -> (AsyncSocket, AsyncSocket) {
    let (left, right) = try Socket.makeNonBlockingPair()
    return (try AsyncSocket(left), try AsyncSocket(right))
}

@Suite struct AsyncSocketTests {
    @Test func bytesCrossAPairBothWays() async throws {
        let (left, right) = try makePair()
        try await left.write(Array("ping".utf8), deadline: nil)
        #expect(try await right.read(maxCount: 100, deadline: nil) == Array("ping".utf8))
        try await right.write(Array("pong".utf8), deadline: nil)
        #expect(try await left.read(maxCount: 100, deadline: nil) == Array("pong".utf8))
    }

    @Test func aReadWaitsForDataWrittenLater() async throws {
        let (left, right) = try makePair()
        async let received = right.read(maxCount: 10, deadline: .now + .seconds(30))
        try await Task.sleep(for: .milliseconds(50))
        try await left.write([1, 2, 3], deadline: nil)
        #expect(try await received == [1, 2, 3])
    }

    @Test func aLargeWriteCompletesWhileThePeerReads() async throws {
        let (left, right) = try makePair()
        let payload = (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        async let written: Void = left.write(payload, deadline: .now + .seconds(20))
        var received: [UInt8] = []
        while received.count < payload.count {
            received += try await right.read(maxCount: 65536, deadline: .now + .seconds(20))
        }
        try await written
        #expect(received == payload)
    }

    @Test func aReadPastItsDeadlineThrowsTimedOut() async throws {
        let (left, right) = try makePair()
        defer { withExtendedLifetime(left) {} }
        let started = ContinuousClock.now
        let error = await #expect(throws: SocketError.self) {
            _ = try await right.read(maxCount: 10, deadline: .now + .milliseconds(100))
        }
        #expect(error?.isTimeout == true)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
    }

    @Test func cancellingAReaderResumesItWithCancellationError() async throws {
        let (left, right) = try makePair()
        defer { withExtendedLifetime(left) {} }
        let reader = Task { try await right.read(maxCount: 10, deadline: nil) }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        await #expect(throws: CancellationError.self) { _ = try await reader.value }
    }

    @Test func closingWakesAPendingReaderWithEndOfStream() async throws {
        let (left, right) = try makePair()
        defer { withExtendedLifetime(left) {} }
        let reader = Task { try await right.read(maxCount: 10, deadline: nil) }
        try await Task.sleep(for: .milliseconds(50))
        right.close()
        #expect(try await reader.value == [])
    }

    @Test func thePeerClosingReadsAsEndOfStream() async throws {
        let (left, right) = try makePair()
        left.close()
        #expect(try await right.read(maxCount: 10, deadline: .now + .seconds(30)) == [])
    }

    @Test func writingToAClosedPeerThrowsInsteadOfRaisingSIGPIPE() async throws {
        let (left, right) = try makePair()
        right.close()
        await #expect(throws: SocketError.self) {
            for _ in 0..<100 { try await left.write([UInt8](repeating: 7, count: 65536), deadline: .now + .seconds(30)) }
        }
    }
}
