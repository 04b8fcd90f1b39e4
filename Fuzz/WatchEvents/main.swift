// Fuzzes the watch-event line decoder. The first byte picks the read size.
// Invariant: the events (type and object) and the final error do not depend on where the reads split the stream,
// and the line limit holds: no event comes out of a line longer than the limit.
@testable import Kube
import FuzzSupport

/// What a decoder makes of a stream: each event as `TYPE object`, then the error, if any.
func events(_ bytes: [UInt8], step: Int, limit: Int) -> [String] {
    var decoder = WatchLineDecoder(maxLineBytes: limit, request: "GET /watch")
    var seen: [String] = []
    var rest = bytes[...]
    repeat {
        decoder.append(Array(rest.prefix(step)))
        rest = rest.dropFirst(step)
        do {
            while let event = try decoder.next() {
                seen.append("\(event.type.rawValue) \(event.object)")
            }
        } catch {
            return seen + ["error: \(error)"]
        }
    } while !rest.isEmpty
    return seen + (decoder.hasPartialEvent ? ["partial"] : [])
}

fuzzMain { bytes in
    guard let selector = bytes.first else { return }
    let input = Array(bytes.dropFirst())
    let limit = 4096
    let whole = events(input, step: max(input.count, 1), limit: limit)
    let split = events(input, step: Int(selector) + 1, limit: limit)
    if whole != split { fuzzFail("reads of \(Int(selector) + 1) bytes decode differently: \(split) vs \(whole)") }
    let lines = input.split(separator: 0x0A, omittingEmptySubsequences: false)
    if lines.allSatisfy({ $0.count > limit || !$0.contains { $0 != 0x20 && $0 != 0x0D } }), whole.contains(where: { !$0.hasPrefix("error") && $0 != "partial" }) {
        fuzzFail("an event came out of a stream with no line within the limit: \(whole)")
    }
}
