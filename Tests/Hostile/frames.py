"""A raw HTTP/2 client connection for the hostile tests: frames built and read by hand (HPACK through `hpack`), so that
a test can send what no well-behaved client would, and see exactly what the server answered."""

import socket
import ssl
import struct
import time

import hpack

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
MAX_FRAME = 16384


class Frame:
    """One frame the server sent: type, flags, stream and payload, with the parts the tests look at decoded."""

    def __init__(self, kind, flags, stream, payload):
        self.type, self.flags, self.stream, self.payload = kind, flags, stream, payload
        self.status = None
        self.error = None
        self.data = payload if kind == 0 else b""
        self.end_stream = bool(flags & 0x01) and kind in (0, 1)
        if kind == 3:
            self.error = struct.unpack(">I", payload[:4])[0]
        elif kind == 7:
            self.last_stream, self.error = struct.unpack(">II", payload[:8])
            self.last_stream &= 0x7FFFFFFF


class H2:
    """A TLS connection that negotiated h2, after the client preface, `settings` and a connection WINDOW_UPDATE."""

    def __init__(self, connection, settings):
        self.connection = connection
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        self.decoder.max_header_list_size = 1 << 20
        self.buffer = b""
        self.send(PREFACE + self.settings(settings) + self.frame(8, 0, 0, struct.pack(">I", (1 << 30))))

    @staticmethod
    def frame(kind, flags, stream, payload):
        return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload

    def settings(self, values, ack=False):
        return self.frame(4, 1 if ack else 0, 0, b"".join(struct.pack(">HI", key, value) for key, value in values.items()))

    def ping(self, opaque, ack=False):
        return self.frame(6, 1 if ack else 0, 0, opaque)

    def rst(self, stream, code):
        return self.frame(3, 0, stream, struct.pack(">I", code))

    def encode_get(self, path):
        return self.encoder.encode([(":method", "GET"), (":scheme", "https"), (":authority", "localhost"), (":path", path)])

    def encode_post(self, path, length, extra=()):
        return self.encoder.encode([(":method", "POST"), (":scheme", "https"), (":authority", "localhost"), (":path", path),
                                    ("content-type", "application/json"), ("content-length", str(length))] + list(extra))

    def headers(self, stream, block, end_headers=True, end_stream=False):
        """HEADERS, and CONTINUATION frames when the block is larger than one frame."""
        pieces = [block[i:i + MAX_FRAME] for i in range(0, len(block), MAX_FRAME)] or [b""]
        out = b""
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            flags = (0x04 if last and end_headers else 0) | (0x01 if index == 0 and end_stream else 0)
            out += self.frame(1 if index == 0 else 9, flags, stream, piece)
        return out

    def continuation(self, stream, block, end):
        return self.frame(9, 0x04 if end else 0, stream, block)

    def data(self, stream, payload, end):
        pieces = [payload[i:i + MAX_FRAME] for i in range(0, len(payload), MAX_FRAME)] or [b""]
        return b"".join(self.frame(0, 0x01 if end and i == len(pieces) - 1 else 0, stream, piece) for i, piece in enumerate(pieces))

    def get(self, stream, path):
        return self.headers(stream, self.encode_get(path), end_stream=True)

    def post_headers(self, stream, path, length):
        return self.headers(stream, self.encode_post(path, length))

    def post(self, stream, path, body):
        return self.post_headers(stream, path, len(body)) + self.data(stream, body, end=True)

    def send(self, data):
        self.connection.sendall(data)

    def read_frames(self, until_closed=False, limit=10, done=None):
        """Frames the server sends within `limit` seconds, until it closes the connection (when `until_closed`) or
        `done(frames)` holds; SETTINGS and PING are acknowledged as they come. Returns (frames, closed)."""
        frames, closed = [], False
        deadline = time.time() + limit
        while time.time() < deadline:
            if done and done(frames):
                break
            self.connection.settimeout(max(0.01, deadline - time.time()))
            try:
                more = self.connection.recv(1 << 20)
            except (socket.timeout, TimeoutError):
                break
            except (ConnectionError, ssl.SSLError, OSError):
                closed = True
                break
            if not more:
                closed = True
                break
            self.buffer += more
            while len(self.buffer) >= 9:
                length = int.from_bytes(self.buffer[:3], "big")
                if len(self.buffer) < 9 + length:
                    break
                kind, flags = self.buffer[3], self.buffer[4]
                stream = int.from_bytes(self.buffer[5:9], "big") & 0x7FFFFFFF
                frame = Frame(kind, flags, stream, self.buffer[9:9 + length])
                self.buffer = self.buffer[9 + length:]
                if kind == 1:
                    headers = dict(self.decoder.decode(frame.payload))
                    frame.status = int(headers.get(":status", headers.get(b":status", 0)))
                try:
                    if kind == 4 and not flags & 1:
                        self.send(self.settings({}, ack=True))
                    elif kind == 6 and not flags & 1:
                        self.send(self.ping(frame.payload, ack=True))
                except OSError:
                    pass
                frames.append(frame)
        return frames, closed

    def close(self):
        try:
            self.connection.close()
        except OSError:
            pass
