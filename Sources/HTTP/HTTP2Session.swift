import CNGHTTP2

/// Owns one nghttp2 server session (memory API) and the streams of one connection.
///
/// Not thread-safe: the connection's main loop is its only user. It is passed to nghttp2 as unretained `user_data` and
/// deletes the nghttp2 session in `deinit`, so it outlives every callback.
final class HTTP2Session {
    /// The nghttp2 session; deleted in `deinit`.
    private(set) var session: OpaquePointer?
    let limits: HTTPServerLimits
    /// Open streams by id.
    var streams: [Int32: HTTP2Stream] = [:]
    /// Streams whose request is complete and waits for the handler.
    var ready: [HTTP2Stream] = []
    private var dates = HTTPDateCache()
    /// Times the client's header blocks for `limits.headerReadTimeout`.
    private(set) var headerClock: HTTP2HeaderClock

    /// Creates the session and queues the server's SETTINGS.
    ///
    /// - Throws: ``HTTP2SessionError`` when nghttp2 cannot set up the session.
    init(limits: HTTPServerLimits) throws(HTTP2SessionError) {
        self.limits = limits
        headerClock = HTTP2HeaderClock(timeout: limits.headerReadTimeout, opened: .now)
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0 else { throw HTTP2SessionError(call: "nghttp2_session_callbacks_new") }
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, http2OnBeginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(callbacks, http2OnHeader)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, http2OnDataChunk)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, http2OnFrameReceived)
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, http2OnFrameSent)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, http2OnStreamClose)
        var option: OpaquePointer?
        guard nghttp2_option_new(&option) == 0 else { throw HTTP2SessionError(call: "nghttp2_option_new") }
        defer { nghttp2_option_del(option) }
        // Rapid reset (CVE-2023-44487) and CONTINUATION flood limits, as nghttp2 1.57+ sets by default.
        nghttp2_option_set_stream_reset_rate_limit(option, 1000, 33)
        nghttp2_option_set_max_continuations(option, 8)
        let userData = Unmanaged.passUnretained(self).toOpaque()
        guard nghttp2_session_server_new2(&session, callbacks, userData, option) == 0 else {
            throw HTTP2SessionError(call: "nghttp2_session_server_new2")
        }
        var settings = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: UInt32(limits.maxConcurrentStreams)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 1 << 20),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: UInt32(limits.maxHeaderBytes)),
        ]
        guard nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count) == 0,
            nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 8 << 20) == 0
        else {
            throw HTTP2SessionError(call: "nghttp2_submit_settings")
        }
    }

    deinit {
        nghttp2_session_del(session)
    }

    /// Feeds bytes from the peer to nghttp2; `false` when the connection must end (a protocol error or a flood; nghttp2
    /// may have queued a GOAWAY saying why).
    func receive(_ bytes: [UInt8]) -> Bool {
        headerClock.observe(bytes, at: .now)
        let consumed = bytes.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress, $0.count) }
        return consumed >= 0
    }

    /// Up to about `limit` bytes that nghttp2 wants to send; empty when it has nothing (or the peer's window is closed).
    func output(limit: Int = 256 * 1024) -> [UInt8] {
        var out: [UInt8] = []
        while out.count < limit {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            guard count > 0, let data else { break }
            out.append(contentsOf: UnsafeBufferPointer(start: data, count: count))
        }
        return out
    }

    /// Whether the connection is done: nghttp2 wants neither to read nor to write (after GOAWAY with no open stream).
    var isFinished: Bool {
        nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0
    }

    /// The opaque data of the PING sent after the shutdown notice.
    static let shutdownPing: [UInt8] = Array("tg-drain".utf8)

    /// Whether the final GOAWAY was submitted.
    private var finalGoAwaySent = false

    /// Sends a GOAWAY shutdown notice (last stream id 2^31-1), so the client stops opening streams while nothing is refused
    /// yet, and a PING: its acknowledgement comes after every stream the client opened before it saw the notice, and
    /// triggers the final GOAWAY (see ``pingAcknowledged(_:)``).
    func announceShutdown() {
        nghttp2_submit_shutdown_notice(session)
        Self.shutdownPing.withUnsafeBufferPointer { _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), $0.baseAddress) }
    }

    /// Sends the final GOAWAY with the last stream id processed: later streams are refused, the open ones finish. Once only.
    func goAway() {
        guard !finalGoAwaySent else { return }
        finalGoAwaySent = true
        let last = nghttp2_session_get_last_proc_stream_id(session)
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, NGHTTP2_NO_ERROR.rawValue, nil, 0)
    }

    /// The requests that became complete since the last call, for the handler; a stream the peer reset meanwhile is
    /// left out, so that a flood of requests reset as they are sent (rapid reset, CVE-2023-44487) costs no handler work.
    func takeReadyRequests() -> [(Int32, HTTPRequest)] {
        defer { ready.removeAll(keepingCapacity: true) }
        return ready.compactMap { streams[$0.id] === $0 ? ($0.id, $0.makeRequest()) : nil }
    }

    /// Submits the handler's response on `id`, unless the stream is gone (reset by the peer).
    func respond(_ id: Int32, _ response: HTTPResponse) {
        guard let stream = streams[id], !stream.responded else { return }
        stream.responded = true
        let omitBody = stream.method == "HEAD"
        stream.responseBody = omitBody ? [] : response.body
        var names: [StaticString] = [":status", "content-length", "date"]
        var values: [[UInt8]] = [Array(String(response.status).utf8), Array(String(response.body.count).utf8), dates.now()]
        if response.status == 204 || response.status == 304 {
            names.remove(at: 1)
            values.remove(at: 1)
        }
        var extra: [(name: [UInt8], value: [UInt8])] = []
        for field in response.headers.fields where !isConnectionSpecific(field.name) {
            extra.append((Array(field.name.lowercased().utf8), Array(field.value.utf8)))
        }
        let fixed = zip(names, values).map { (Array(UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)), $1) }
        submit(stream: id, fields: fixed + extra, hasBody: !stream.responseBody.isEmpty)
    }

    private func isConnectionSpecific(_ name: String) -> Bool {
        HTTP1ResponseWriter.isFramingField(name) || HTTP1ResponseWriter.isNamed(name, "upgrade")
            || HTTP1ResponseWriter.isNamed(name, "proxy-connection")
    }

    /// Hands the fields to nghttp2 (which copies them) with a body provider when there is a body.
    private func submit(stream id: Int32, fields: [(name: [UInt8], value: [UInt8])], hasBody: Bool) {
        var storage: [UInt8] = fields.flatMap { $0.name + $0.value }
        storage.withUnsafeMutableBufferPointer { bytes in
            var offset = 0
            var pairs: [nghttp2_nv] = []
            pairs.reserveCapacity(fields.count)
            for field in fields {
                let name = bytes.baseAddress! + offset
                let value = name + field.name.count
                offset += field.name.count + field.value.count
                pairs.append(nghttp2_nv(
                    name: name, value: value, namelen: field.name.count, valuelen: field.value.count, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
            }
            if hasBody {
                var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: http2ReadResponseBody)
                nghttp2_submit_response(session, id, pairs, pairs.count, &provider)
            } else {
                nghttp2_submit_response(session, id, pairs, pairs.count, nil)
            }
        }
    }

    /// Answers a stream that broke a limit with `status`, without calling the handler.
    func reject(_ stream: HTTP2Stream, status: Int) {
        stream.body = []
        respond(stream.id, HTTPResponse(status: status, headers: ["content-type": "text/plain; charset=utf-8"],
            body: Array("the request \(status == 413 ? "body" : "header list") is too large\n".utf8)))
    }
}

/// nghttp2 could not set up a session (out of memory).
struct HTTP2SessionError: Error, CustomStringConvertible {
    /// The nghttp2 call that failed.
    var call: String
    var description: String { "\(call) failed: out of memory" }
}
