import CNGHTTP2

// nghttp2 callbacks: file-level C functions that capture nothing. `userData` is the `HTTP2Session` that owns the
// nghttp2 session, passed unretained; it outlives the nghttp2 session, which it deletes in `deinit`.

private func owner(_ userData: UnsafeMutableRawPointer?) -> HTTP2Session {
    Unmanaged<HTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
}

private func isRequestHeaders(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
    frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) && frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
}

func http2OnBeginHeaders(
    _ session: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let frame, isRequestHeaders(frame) else { return 0 }
    owner(userData).beginStream(frame.pointee.hd.stream_id)
    return 0
}

func http2OnHeader(
    _ session: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ name: UnsafePointer<UInt8>?, _ nameLength: Int,
    _ value: UnsafePointer<UInt8>?, _ valueLength: Int, _ flags: UInt8, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let frame, isRequestHeaders(frame), let name, let value else { return 0 }
    owner(userData).receiveHeader(
        stream: frame.pointee.hd.stream_id, name: UnsafeBufferPointer(start: name, count: nameLength),
        value: UnsafeBufferPointer(start: value, count: valueLength))
    return 0
}

func http2OnDataChunk(
    _ session: OpaquePointer?, _ flags: UInt8, _ streamID: Int32, _ data: UnsafePointer<UInt8>?, _ length: Int,
    _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let data else { return 0 }
    owner(userData).receiveData(stream: streamID, UnsafeBufferPointer(start: data, count: length))
    return 0
}

func http2OnFrameReceived(
    _ session: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let frame else { return 0 }
    let type = frame.pointee.hd.type
    if type == UInt8(NGHTTP2_PING.rawValue) && frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 {
        withUnsafeBytes(of: frame.pointee.ping.opaque_data) { owner(userData).pingAcknowledged($0) }
        return 0
    }
    // DATA, the request's HEADERS, or trailing HEADERS: any of them may end the request.
    guard type == UInt8(NGHTTP2_DATA.rawValue) || type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
    let ended = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
    owner(userData).receivedFrame(stream: frame.pointee.hd.stream_id, endStream: ended)
    return 0
}

func http2OnFrameSent(
    _ session: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let frame, frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0 else { return 0 }
    owner(userData).sentEndOfStream(frame.pointee.hd.stream_id)
    return 0
}

func http2OnStreamClose(
    _ session: OpaquePointer?, _ streamID: Int32, _ errorCode: UInt32, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    owner(userData).closeStream(streamID)
    return 0
}

func http2ReadResponseBody(
    _ session: OpaquePointer?, _ streamID: Int32, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: Int,
    _ flags: UnsafeMutablePointer<UInt32>?, _ source: UnsafeMutablePointer<nghttp2_data_source>?,
    _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
    let (count, finished) = owner(userData).copyResponseBody(stream: streamID, into: UnsafeMutableBufferPointer(start: buffer, count: length))
    if finished { flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
    return count
}
