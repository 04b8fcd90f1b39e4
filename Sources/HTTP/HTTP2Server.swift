public import Sockets

/// Serves HTTP/2 (prior knowledge, or after ALPN `h2`) on `stream` until the peer closes, a timeout or limit ends the
/// connection, or `drain` fires and the open streams finish; then closes the stream.
///
/// The connection is dropped when no request has begun within the header read timeout, or when a header block
/// (HEADERS up to END_HEADERS) takes longer than that to arrive; otherwise only the idle timeout applies.
///
/// Each request runs the handler in its own child task; the responses that complete while the loop is busy go out
/// together, in one write, under HTTP/2 flow control.
/// One task reads from `stream` while another writes to it, so the stream must allow one read and one write at a time.
///
/// - Parameters:
///   - stream: The connection, already past any TLS handshake.
///   - limits: Body and header limits (413, 431 per stream), the header read and idle timeouts, and
///     `SETTINGS_MAX_CONCURRENT_STREAMS`.
///   - drain: When fired, a GOAWAY shutdown notice and a PING go out at once, and the final GOAWAY when the PING is
///     acknowledged (after 5 s at the latest); the streams opened until then finish, then the connection closes.
///   - handler: Answers each request.
public func serveHTTP2(stream: any ByteStream, limits: HTTPServerLimits, drain: DrainSignal, handler: @escaping HTTPHandler) async {
    guard let session = try? HTTP2Session(limits: limits) else {
        stream.close()
        return
    }
    let mailbox = HTTP2Mailbox()
    let observer = drain.observe { mailbox.post(.drain) }
    await withDiscardingTaskGroup { group in
        group.addTask { await readHTTP2(from: stream, idleTimeout: limits.idleTimeout, into: mailbox) }
        var open = await flush(session, to: stream, limits: limits)
        // One header timer at a time: it never fires later than the deadline it was armed for, and deadlines only move
        // later, so when it fires it either drops the connection or is armed again for the current deadline.
        var headerTimerArmed = false
        // Set when nghttp2 refuses the peer's bytes: what it queued (a GOAWAY saying why) is written, then the loop ends.
        var refused = false
        while open {
            if !headerTimerArmed, let deadline = session.headerDeadline {
                headerTimerArmed = true
                group.addTask {
                    guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                    mailbox.post(.headerDeadline)
                }
            }
            let batch = await mailbox.take()
            if batch.isEmpty { break }
            for event in batch {
                guard open else {
                    if case .received(_, let processed) = event { processed.resume() }
                    continue
                }
                switch event {
                case .received(let bytes, let processed):
                    if !refused, !(await receive(bytes, into: session)) { refused = true }
                    processed.resume()
                case .response(let id, let response):
                    session.respond(id, response)
                case .drain:
                    session.announceShutdown()
                    group.addTask {
                        try? await Task.sleep(for: finalGoAwayTimeout)
                        mailbox.post(.goAway)
                    }
                case .goAway:
                    session.goAway()
                case .headerDeadline:
                    headerTimerArmed = false
                    if let deadline = session.headerDeadline, deadline <= .now { open = false }
                case .closed:
                    open = false
                }
            }
            guard open else { break }
            for (id, request) in session.takeReadyRequests() where !refused {
                group.addTask { mailbox.post(.response(id, await handler(request))) }
            }
            open = await flush(session, to: stream, limits: limits) && !refused && !session.isFinished
        }
        let left = mailbox.finish()
        stream.close()
        group.cancelAll()
        for event in left {
            if case .received(_, let processed) = event { processed.resume() }
        }
    }
    drain.cancel(observer)
}

/// How long after the shutdown notice the final GOAWAY goes out at the latest, when the client does not answer the PING
/// sent with the notice.
let finalGoAwayTimeout = Duration.seconds(5)

/// What the connection's main loop reacts to.
enum HTTP2Event: Sendable {
    /// Bytes from the peer; the reader waits for `processed` before reading more.
    case received([UInt8], processed: CheckedContinuation<Void, Never>)
    /// A handler answered stream `id`.
    case response(Int32, HTTPResponse)
    /// The drain signal fired: announce the shutdown now; the final GOAWAY follows the PING's acknowledgement.
    case drain
    /// The client did not acknowledge the shutdown PING in time: send the final GOAWAY now.
    case goAway
    /// The header timer fired: drop the connection if a header block is late (``HTTP2HeaderClock``).
    case headerDeadline
    /// The peer closed the connection, or reading failed or timed out.
    case closed
}

/// Reads from the peer and hands each chunk to the main loop, one at a time.
private func readHTTP2(from stream: any ByteStream, idleTimeout: Duration, into mailbox: HTTP2Mailbox) async {
    while let bytes = try? await stream.read(maxCount: 64 * 1024, deadline: .now + idleTimeout), !bytes.isEmpty {
        await withCheckedContinuation { processed in
            if !mailbox.post(.received(bytes, processed: processed)) { processed.resume() }
        }
    }
    mailbox.post(.closed)
}

/// Feeds `bytes` to nghttp2 a slice at a time, yielding between slices, so that a peer that fills every read with
/// frames (a rapid-reset or other flood) holds the thread for one slice's work at most before other connections'
/// tasks run; `false` when nghttp2 refused the bytes.
private func receive(_ bytes: [UInt8], into session: HTTP2Session) async -> Bool {
    guard bytes.count > receiveSlice else { return session.receive(bytes) }
    for start in stride(from: 0, to: bytes.count, by: receiveSlice) {
        if start > 0 { await Task.yield() }
        guard session.receive(Array(bytes[start..<min(start + receiveSlice, bytes.count)])) else { return false }
    }
    return true
}

/// How many received bytes nghttp2 works through before the loop yields: one TLS record's worth.
private let receiveSlice = 16 * 1024

/// Writes what nghttp2 has to send; `false` when writing failed.
private func flush(_ session: HTTP2Session, to stream: any ByteStream, limits: HTTPServerLimits) async -> Bool {
    while true {
        let bytes = session.output()
        if bytes.isEmpty { return true }
        do {
            try await stream.write(bytes, deadline: .now + limits.writeTimeout)
        } catch {
            return false
        }
    }
}
