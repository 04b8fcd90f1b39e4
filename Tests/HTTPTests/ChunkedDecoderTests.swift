@testable import HTTP
import Sockets
import Testing

/// Hands out its bytes one per read, as a peer sending a byte per TCP segment does.
private final class TrickleStream: ByteStream, @unchecked Sendable {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        guard let first = bytes.popFirst() else { return [] }
        return [first]
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {}
    func close() {}
}

struct ChunkedDecoderTests {
    /// Decodes `body` a byte per read; returns the data and how long it took.
    private func decodeTrickled(_ body: [UInt8]) async throws -> ([UInt8], Duration) {
        var reader = ByteReader(stream: TrickleStream(body))
        var decoder = ChunkedDecoder()
        var data: [UInt8] = []
        let start = ContinuousClock.now
        while let piece = try await decoder.next(from: &reader, deadline: nil) { data += piece }
        return (data, .now - start)
    }

    /// `count` one-byte chunks, each size line padded with a chunk extension to `lineBytes`.
    private func body(chunks count: Int, lineBytes: Int) -> [UInt8] {
        let line = Array("1;x=".utf8) + Array(repeating: UInt8(ascii: "a"), count: lineBytes - 6) + Array("\r\n".utf8)
        return Array(repeating: line + Array("z\r\n".utf8), count: count).flatMap { $0 } + Array("0\r\n\r\n".utf8)
    }

    /// Found by fuzz-http-chunked (it ran 50 inputs a second): a chunk-size line arriving a byte at a time was scanned
    /// again from its start at every byte, 8 million byte looks per 4 KiB line. The same bytes in long lines and in
    /// short lines must take about the same time.
    @Test func linesArrivingAByteAtATimeAreScannedOnce() async throws {
        let (long, longTime) = try await decodeTrickled(body(chunks: 24, lineBytes: 4000))
        let (short, shortTime) = try await decodeTrickled(body(chunks: 192, lineBytes: 500))
        #expect(long == Array(repeating: UInt8(ascii: "z"), count: 24))
        #expect(short == Array(repeating: UInt8(ascii: "z"), count: 192))
        #expect(longTime < shortTime * 3, "long lines \(longTime), short lines \(shortTime)")
    }

    @Test func extensionsAndTrailersAreSkipped() async throws {
        let (data, _) = try await decodeTrickled(Array("3;a=b\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n".utf8))
        #expect(data == Array("abc".utf8))
    }
}
