// Fuzzes the chunked body decoder. The first byte picks the mode and the read size:
// - framing as given: the input is a chunked body; decoding it in reads of varied sizes gives the same data and the
//   same verdict as decoding it in one read;
// - round trip: the input is the data, framed here in chunks of sizes taken from the data itself (with extensions
//   and a trailer now and then); decoding gives the data back and reads the framing to its end.
import Dispatch
import FuzzSupport
@testable import HTTP
import Sockets

/// A stream that hands out fixed bytes in reads of sizes drawn from `seed` (a mix of single bytes and up to 512),
/// then end of stream; seed 0 hands out everything in one read.
final class PieceStream: ByteStream, @unchecked Sendable {
    private var bytes: ArraySlice<UInt8>
    private var random: UInt32

    init(_ bytes: [UInt8], seed: UInt32) {
        self.bytes = bytes[...]
        random = seed
    }

    var unread: Int { bytes.count }

    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        var size = maxCount
        if random != 0 {
            random = random &* 1_103_515_245 &+ 12345
            size = min(size, 1 + Int(random >> 16) % (1 << (1 + Int(random >> 8) % 9)))
        }
        let piece = bytes.prefix(size)
        bytes = bytes.dropFirst(piece.count)
        return Array(piece)
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {}
    func close() {}
}

/// What decoding a whole body gives: the data, or the error, and how many bytes were left in the stream and buffer.
struct Outcome: Equatable, Sendable {
    var data: [UInt8] = []
    var error: String?
    var left = 0
}

/// Decodes the chunked body in `bytes` read by read (sizes drawn from `seed`); blocks this (non-pool) thread until done.
///
/// The task starts on this thread (`Task.immediate`), and as `PieceStream` never suspends it runs to its end here,
/// so the semaphore is already signalled when waited on. A task on the pool would be freed only after the wait, and
/// libFuzzer would take each such input for a leak and scan the heap (60% of the time, with `Task {}`).
func decode(_ bytes: [UInt8], seed: UInt32) -> Outcome {
    let stream = PieceStream(bytes, seed: seed)
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome = Outcome()
    Task.immediate {
        var reader = ByteReader(stream: stream)
        var decoder = ChunkedDecoder()
        do {
            while let piece = try await decoder.next(from: &reader, deadline: nil) { outcome.data += piece }
        } catch {
            outcome.error = "\(error)"
        }
        outcome.left = stream.unread + reader.readable
        done.signal()
    }
    done.wait()
    return outcome
}

/// `data` framed as a chunked body, with chunk sizes (and extensions and a trailer) chosen from `data`'s own bytes.
func framed(_ data: [UInt8]) -> [UInt8] {
    var body: [UInt8] = []
    var rest = data[...]
    var seed = data.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) }
    while !rest.isEmpty {
        seed = seed &* 1_103_515_245 &+ 12345
        let size = min(rest.count, Int(seed >> 16) % 300 + 1)
        body += Array(String(size, radix: 16, uppercase: seed & 1 == 0).utf8)
        if seed & 6 == 0 { body += Array(";name=\"value\"".utf8) }
        body += [13, 10] + rest.prefix(size) + [13, 10]
        rest = rest.dropFirst(size)
    }
    body += Array("0\r\n".utf8)
    if seed & 8 == 0 { body += Array("Trailer-Field: x\r\n".utf8) }
    return body + [13, 10]
}

fuzzMain { bytes in
    guard let selector = bytes.first else { return }
    let input = Array(bytes.dropFirst())
    let seed = UInt32(selector >> 1) + 1
    if selector & 1 == 0 {
        let whole = decode(input, seed: 0)
        let pieces = decode(input, seed: seed)
        if pieces.data != whole.data || (pieces.error == nil) != (whole.error == nil) {
            fuzzFail("reads of sizes from seed \(seed) decode differently from one read: \(pieces) vs \(whole)")
        }
    } else {
        let outcome = decode(framed(input), seed: seed)
        if outcome != Outcome(data: input) { fuzzFail("a framed body decodes to something else: \(outcome)") }
    }
}
