/// Times a client's header blocks for the header read timeout, by following the frame boundaries of what it sends.
///
/// nghttp2 decodes the frames; this only walks their 9-byte headers and skips their payloads, so it knows exactly
/// whether a header block (a HEADERS frame and its CONTINUATION frames, up to END_HEADERS, payloads included) has begun
/// and not yet fully arrived. While one has, no other frame may come on the connection (RFC 9113 §6.10).
struct HTTP2HeaderClock {
    /// The client connection preface: `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`.
    private static let prefaceLength = 24
    private static let frameHeaderLength = 9
    private static let headers: UInt8 = 0x1, continuation: UInt8 = 0x9, endHeaders: UInt8 = 0x4

    private let timeout: Duration
    private let opened: ContinuousClock.Instant
    /// Preface bytes not yet seen.
    private var prefaceLeft = prefaceLength
    /// The part of the current frame header seen so far.
    private var frameHeader: [UInt8] = []
    /// Payload bytes of the current frame not yet seen, and whether that frame ends a header block.
    private var payloadLeft = 0
    private var endsBlock = false
    /// When the header block in progress began (its first frame header arrived), or `nil` between blocks.
    private var blockStarted: ContinuousClock.Instant?
    /// Whether a whole header block has arrived on this connection.
    private var sawBlock = false

    /// Starts timing a connection opened at `opened`.
    init(timeout: Duration, opened: ContinuousClock.Instant) {
        self.timeout = timeout
        self.opened = opened
        frameHeader.reserveCapacity(Self.frameHeaderLength)
    }

    /// When the connection must be dropped: `timeout` after it opened while no header block has begun; `timeout`
    /// after a header block began while that block is incomplete; otherwise `nil`.
    var deadline: ContinuousClock.Instant? {
        if let blockStarted { return blockStarted + timeout }
        return sawBlock ? nil : opened + timeout
    }

    /// Follows `bytes`, the next bytes the client sent, which arrived at `now`.
    mutating func observe(_ bytes: [UInt8], at now: ContinuousClock.Instant) {
        var index = min(prefaceLeft, bytes.count)
        prefaceLeft -= index
        while index < bytes.count {
            if payloadLeft > 0 {
                let skipped = min(payloadLeft, bytes.count - index)
                payloadLeft -= skipped
                index += skipped
                if payloadLeft == 0 { finishFrame() }
                continue
            }
            let taken = min(Self.frameHeaderLength - frameHeader.count, bytes.count - index)
            frameHeader.append(contentsOf: bytes[index..<index + taken])
            index += taken
            if frameHeader.count == Self.frameHeaderLength { beginFrame(at: now) }
        }
    }

    /// A whole frame header arrived: note where a header block begins and which frame ends it.
    private mutating func beginFrame(at now: ContinuousClock.Instant) {
        let type = frameHeader[3]
        let isHeaderFrame = type == Self.headers || type == Self.continuation
        if type == Self.headers && blockStarted == nil { blockStarted = now }
        endsBlock = isHeaderFrame && frameHeader[4] & Self.endHeaders != 0
        payloadLeft = Int(frameHeader[0]) << 16 | Int(frameHeader[1]) << 8 | Int(frameHeader[2])
        frameHeader.removeAll(keepingCapacity: true)
        if payloadLeft == 0 { finishFrame() }
    }

    /// The current frame's payload arrived in full.
    private mutating func finishFrame() {
        guard endsBlock else { return }
        endsBlock = false
        blockStarted = nil
        sawBlock = true
    }
}

extension HTTP2Session {
    /// When the connection must be dropped for a header block that is late (see ``HTTP2HeaderClock/deadline``).
    var headerDeadline: ContinuousClock.Instant? { headerClock.deadline }
}
