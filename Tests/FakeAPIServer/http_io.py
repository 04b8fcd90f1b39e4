"""HTTP/1.1 plumbing for the fake: reading request bodies, and writing answers the way kube-apiserver frames them."""

import email.utils
import socket
import time
from http.server import BaseHTTPRequestHandler

import wire


class ConnectionDropped(Exception):
    """The fake closed the connection on purpose (an injected fault)."""


class Plumbing(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1 with the API server's headers; subclasses route the requests."""

    protocol_version = "HTTP/1.1"

    def setup(self):
        # Headers and body go out in separate writes: without this, Nagle and delayed ACKs add ~40 ms per answer.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        handshake = getattr(self.request, "do_handshake", None)
        if handshake is not None:
            self.request.settimeout(10)
            handshake()
            self.request.settimeout(None)
        super().setup()

    def log_message(self, format, *args):
        if self.server.app.verbose:
            super().log_message(format, *args)

    def send_response(self, code, message=None):
        # The API server sends no `Server` header; Date it does.
        self.send_response_only(code, message)
        self.send_header("Date", email.utils.formatdate(time.time(), usegmt=True))

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_bytes(self, code, data, content_type="application/json", headers=()):
        """Content-Length up to 2048 bytes, chunked (2048-byte chunks) above, as captured."""
        self.send_response(code)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if len(data) <= wire.CHUNK:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in wire.chunks(data):
                self.write_chunk(piece)
            self.end_chunks()
        self.wfile.flush()

    def send_json(self, code, value, sort_keys=False, headers=()):
        self.send_bytes(code, wire.body(value, sort_keys), headers=headers)

    def send_status(self, status, headers=()):
        extra = list(headers)
        if status["code"] == 403:
            extra.append(("X-Content-Type-Options", "nosniff"))
        self.send_json(status["code"], status, headers=extra)

    def send_page_not_found(self):
        self.send_bytes(404, b"404 page not found\n", "text/plain; charset=utf-8",
                        [("X-Content-Type-Options", "nosniff")])

    def start_stream(self):
        self.send_response(200)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def write_chunk(self, data):
        if data:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")

    def end_chunks(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def drop_connection(self):
        """Closes the TCP connection at once, mid-answer if need be."""
        try:
            self.wfile.flush()
        except OSError:
            pass
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True
        raise ConnectionDropped()
