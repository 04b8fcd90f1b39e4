import CNGHTTP2

/// What the nghttp2 callbacks report, applied to the streams. Each runs inside `nghttp2_session_mem_recv` or `mem_send`.
extension HTTP2Session {
    /// A client opened stream `id` with a request HEADERS frame.
    func beginStream(_ id: Int32) {
        streams[id] = HTTP2Stream(id: id)
    }

    /// One decoded request header field; pseudo-headers fill the request line, the limits give 413 or 431.
    func receiveHeader(stream id: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard let stream = streams[id], stream.rejection == nil else { return }
        stream.headerBytes += name.count + value.count + 32
        if stream.headerBytes > limits.maxHeaderBytes || stream.headers.count >= limits.maxHeaderCount {
            stream.rejection = 431
            return
        }
        let text = String(decoding: value, as: UTF8.self)
        guard name.first == UInt8(ascii: ":") else {
            let fieldName = String(decoding: name, as: UTF8.self)
            if fieldName == "content-length", let length = Int(text), length > limits.maxBodyBytes { stream.rejection = 413 }
            stream.headers.append((fieldName, text))
            return
        }
        if name.elementsEqual(":method".utf8) {
            stream.method = text
        } else if name.elementsEqual(":path".utf8) {
            stream.path = text
        } else if name.elementsEqual(":authority".utf8) {
            stream.authority = text
        }
    }

    /// Appends request body bytes. Once a stream is answered with 413, what the client still sends is dropped; the
    /// client may finish its upload (curl 7.88 reports an answered stream reset with NO_ERROR as a failure), but past
    /// another `maxBodyBytes` the stream is reset with NO_ERROR, which asks it to stop (RFC 9113 §8.1).
    func receiveData(stream id: Int32, _ data: UnsafeBufferPointer<UInt8>) {
        guard let stream = streams[id] else { return }
        if stream.rejection != nil {
            stream.discarded += data.count
            if stream.responseFinished && stream.discarded > limits.maxBodyBytes && !stream.reset {
                stream.reset = true
                nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_NO_ERROR.rawValue)
            }
            return
        }
        guard stream.body.count + data.count <= limits.maxBodyBytes else {
            stream.rejection = 413
            reject(stream, status: 413)
            return
        }
        stream.body.append(contentsOf: data)
    }

    /// A DATA or HEADERS frame ended; with END_STREAM the request is complete and goes to the handler.
    func receivedFrame(stream id: Int32, endStream: Bool) {
        guard let stream = streams[id] else { return }
        if let status = stream.rejection {
            if !stream.responded { reject(stream, status: status) }
        } else if endStream {
            ready.append(stream)
        }
    }

    /// The peer acknowledged a PING; the shutdown PING means every stream it opened before the notice has arrived.
    func pingAcknowledged(_ opaque: UnsafeRawBufferPointer) {
        if opaque.elementsEqual(Self.shutdownPing) { goAway() }
    }

    /// The response on `id` was sent in full.
    func sentEndOfStream(_ id: Int32) {
        streams[id]?.responseFinished = true
    }

    /// nghttp2 closed stream `id` (answered, reset, or the connection ended).
    func closeStream(_ id: Int32) {
        streams[id] = nil
    }

    /// Copies the next part of the response body into nghttp2's buffer, as far as the flow-control window allows.
    func copyResponseBody(stream id: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>) -> (count: Int, finished: Bool) {
        guard let stream = streams[id] else { return (0, true) }
        let count = min(buffer.count, stream.responseBody.count - stream.responseOffset)
        stream.responseBody.withUnsafeBufferPointer { body in
            _ = buffer.initialize(from: body[stream.responseOffset..<stream.responseOffset + count])
        }
        stream.responseOffset += count
        return (count, stream.responseOffset == stream.responseBody.count)
    }
}
