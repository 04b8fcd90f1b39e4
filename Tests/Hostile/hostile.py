#!/usr/bin/env python3
"""Hostile clients against a running `triggergate serve`, while a well-behaved client keeps sending admission requests.

    hostile.py --port P --ca CA --pid PID --fixture REVIEW.json --attack NAME [--seconds S]
    hostile.py good --port P --ca CA --fixture REVIEW.json --seconds S --rps R

With --attack, it first runs the well-behaved client alone for S seconds (the unloaded baseline), then again for S
seconds while the attack runs, and samples the server's RSS (from /proc/PID) every 100 ms throughout. The last line it
prints is one JSON object: the attack, the baseline's and the loaded run's request counts, failures and p50/p99 in ms,
the peak RSS in MiB, what the attack saw, and `violations`, the attack's own expectations that did not hold (empty
when the server behaved). The caller judges latency and RSS; see Tests/ServerTests/HostileClientTests.swift.

The well-behaved client is a separate process (so the attacker's work never delays its measurements): one HTTP/1.1
keep-alive TLS connection, as the API server's webhook client uses, POSTing the review at a steady rate.
"""

import argparse
import json
import os
import re
import selectors
import socket
import ssl
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from frames import H2  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", default="attack", choices=["attack", "good"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--pid", type=int)
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--attack")
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--rps", type=float, default=40)
    parser.add_argument("--connections", type=int, default=1000, help="slowloris and idle handshakes")
    parser.add_argument("--header-timeout", type=float, default=10, help="the server's --header-read-timeout")
    parser.add_argument("--handshake-timeout", type=float, default=10, help="the server's --handshake-timeout")
    return parser.parse_args()


class Target:
    def __init__(self, args):
        self.port = args.port
        self.context = ssl.create_default_context(cafile=args.ca)
        self.body = open(args.fixture, "rb").read()
        self.args = args

    def tcp(self, timeout=10):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def tls(self, alpn=("http/1.1",), timeout=10):
        context = ssl.create_default_context(cafile=self.args.ca)
        context.set_alpn_protocols(list(alpn))
        connection = context.wrap_socket(self.tcp(timeout), server_hostname="localhost")
        return connection

    def h2(self, settings=None, timeout=10):
        connection = self.tls(("h2",), timeout)
        assert connection.selected_alpn_protocol() == "h2", connection.selected_alpn_protocol()
        return H2(connection, settings or {})

    def review(self, uid):
        """The fixture with `request.uid` replaced by `uid`."""
        return re.sub(rb'("request":\{.*?"uid":")[^"]*(")', lambda m: m.group(1) + uid.encode() + m.group(2), self.body,
                      count=1, flags=re.S)

    def head(self, length, extra=""):
        return (f"POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                f"Content-Length: {length}\r\n{extra}\r\n").encode()


def read_until_closed(connection, limit=10):
    """Everything the server sends until it closes the connection; (bytes, closed within `limit` seconds)."""
    data = b""
    deadline = time.time() + limit
    while time.time() < deadline:
        connection.settimeout(max(0.01, deadline - time.time()))
        try:
            more = connection.recv(65536)
        except (socket.timeout, TimeoutError):
            break
        except (ConnectionError, ssl.SSLError, OSError):
            return data, True
        if not more:
            return data, True
        data += more
    return data, False


def statuses(data):
    return [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)]


def until(seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        yield


# Attacks: each runs for about `seconds`, returns (observed, violations).

def rapid_reset(target, seconds):
    """HEADERS then RST_STREAM, 2,000 pairs a burst, on one connection after another: nghttp2's limit ends each
    connection, with a GOAWAY that names an error (the server may close before the whole burst is written)."""
    connections, goaways, cut, violations = 0, [], 0, []
    for _ in until(seconds):
        h2 = target.h2()
        connections += 1
        try:
            h2.send(b"".join(h2.get(stream, "/healthz") + h2.rst(stream, 8) for stream in range(1, 4001, 2)))
        except OSError:
            cut += 1
        frames, closed = h2.read_frames(until_closed=True, limit=10)
        goaway = [f.error for f in frames if f.type == 7]
        goaways += goaway
        if not closed or 0 in goaway or (not goaway and not cut):
            violations.append(f"connection {connections}: GOAWAY {goaway}, closed {closed}")
        h2.close()
    return {"connections": connections, "goaway_errors": sorted(set(goaways)), "cut_while_sending": cut}, violations[:5]


def continuation_flood(target, seconds):
    """HEADERS without END_HEADERS and then 10,000 CONTINUATION frames: the server ends the connection."""
    connections, violations = 0, []
    for _ in until(seconds):
        h2 = target.h2()
        connections += 1
        flood = h2.headers(1, h2.encode_get("/healthz"), end_headers=False, end_stream=True)
        flood += b"".join(h2.continuation(1, b"", end=False) for _ in range(10000))
        try:
            h2.send(flood)
        except OSError:
            pass
        frames, closed = h2.read_frames(until_closed=True, limit=10)
        if not closed or any(f.type == 1 and f.stream == 1 for f in frames):
            violations.append(f"connection {connections}: closed {closed}, frames {[f.type for f in frames][:10]}")
        h2.close()
    return {"connections": connections}, violations[:5]


def control_flood(target, seconds, frame):
    """`frame` (SETTINGS or PING) over and over without reading the ACKs: the server must end the connection or stop
    reading (back pressure), and never buffer without bound."""
    connections, endings, violations = 0, {}, []
    for _ in until(seconds):
        h2 = target.h2(timeout=3)
        connections += 1
        one = frame(h2)
        chunk = one * 2000
        sent, ending = 0, "still open"
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                h2.send(chunk)
                sent += 2000
            except (socket.timeout, TimeoutError):
                ending = "back pressure"
                break
            except OSError:
                ending = "closed"
                break
        endings[ending] = endings.get(ending, 0) + 1
        if ending == "still open":
            violations.append(f"connection {connections}: {sent} frames sent in 10 s and it still reads")
        h2.close()
    return {"connections": connections, "endings": endings}, violations[:5]


def settings_flood(target, seconds):
    return control_flood(target, seconds, lambda h2: h2.settings({}))


def ping_flood(target, seconds):
    return control_flood(target, seconds, lambda h2: h2.ping(b"12345678"))


def zero_window(target, seconds):
    """20 connections with an initial window of 0, each with 100 admission requests whose answers cannot be sent; held
    open for the whole run. The server answers the headers and waits; nothing else is blocked."""
    held, violations = [], []
    for number in range(20):
        h2 = target.h2({4: 0})
        requests = b"".join(h2.post(stream, "/validate", target.review(f"zero-{number}-{stream}"))
                            for stream in range(1, 201, 2))
        h2.send(requests)
        held.append(h2)
    time.sleep(seconds)
    headers = data = 0
    for h2 in held:
        frames, _ = h2.read_frames(limit=0.5)
        headers += sum(1 for f in frames if f.type == 1)
        data += sum(len(f.data) for f in frames if f.type == 0)
        h2.close()
    if data:
        violations.append(f"{data} DATA bytes sent into a zero window")
    if headers < 100:
        violations.append(f"only {headers} of 2,000 requests got their headers answered")
    return {"connections": len(held), "answered_headers": headers}, violations


def streams_1000(target, seconds):
    """1,000 streams opened at once, on one connection after another: every stream is answered or refused. Every
    other connection holds its stream windows at 0, so that no answer can finish: then only MAX_CONCURRENT_STREAMS
    (100) are served and the other 900 are refused with RST_STREAM."""
    rounds, served, refused, violations = 0, 0, 0, []
    for _ in until(seconds):
        rounds += 1
        held = rounds % 2 == 0
        h2 = target.h2({4: 0} if held else {})
        h2.send(b"".join(h2.post(stream, "/validate", target.review(f"many-{stream}")) for stream in range(1, 2001, 2)))

        def ended(frames):
            return {f.stream for f in frames if (f.type == 0 and f.end_stream) or f.type == 3 or (held and f.type == 1)}
        frames, _ = h2.read_frames(limit=10, done=lambda fs: len(ended(fs)) >= 1000)
        ok = {f.stream for f in frames if f.type == 1 and f.status == 200}
        resets = {f.stream for f in frames if f.type == 3}
        served += len(ok)
        refused += len(resets)
        if len(ended(frames)) != 1000 or (held and len(ok) != 100) or (not held and len(ok) < 100):
            violations.append(f"round {rounds}, windows {'0' if held else 'open'}: {len(ok)} served, {len(resets)} reset, "
                              f"{1000 - len(ended(frames))} unanswered")
        h2.close()
    return {"rounds": rounds, "served": served, "refused": refused}, violations[:5]


def hold_many(target, count, start, tick, limit):
    """Opens `count` connections with `start(socket)`, then calls `tick(socket)` every 2 s on each one still open,
    until all are closed by the server or `limit` seconds pass; returns (opened, seconds until each closed)."""
    sockets, opened_at = [], {}
    selector = selectors.DefaultSelector()
    for _ in range(count):
        try:
            connection = start()
        except OSError:
            continue
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ)
        sockets.append(connection)
        opened_at[connection] = time.time()
    closed = {}
    deadline = time.time() + limit
    next_tick = time.time() + 2
    while len(closed) < len(sockets) and time.time() < deadline:
        for key, _ in selector.select(timeout=0.2):
            connection = key.fileobj
            try:
                data = connection.recv(4096)
            except (ssl.SSLWantReadError, BlockingIOError):
                continue
            except OSError:
                data = b""
            if not data:
                closed[connection] = time.time() - opened_at[connection]
                selector.unregister(connection)
        if time.time() >= next_tick:
            next_tick += 2
            for connection in sockets:
                if connection not in closed:
                    try:
                        tick(connection)
                    except (ssl.SSLWantWriteError, BlockingIOError):
                        pass
                    except OSError:
                        closed[connection] = time.time() - opened_at[connection]
                        selector.unregister(connection)
    for connection in sockets:
        connection.close()
    return len(sockets), sorted(closed.values())


def slowloris(target, seconds):
    """`--connections` TLS connections, each sending its request head one byte every 2 s: each is dropped once the
    header read timeout passes, counted from its first byte."""
    def start():
        connection = target.tls()
        connection.sendall(b"P")
        return connection

    def tick(connection):
        connection.send(b"O")

    timeout = target.args.header_timeout
    opened, closed = hold_many(target, target.args.connections, start, tick, limit=max(seconds, timeout + 15))
    return judge_drops(target, opened, closed, timeout, "slow connections", "header timeout")


def idle_handshakes(target, seconds):
    """`--connections` TCP connections that send half a ClientHello and then nothing: each is dropped when the
    handshake timeout passes."""
    def start():
        connection = target.tcp()
        connection.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))
        return connection

    timeout = target.args.handshake_timeout
    opened, closed = hold_many(target, target.args.connections, start, lambda _: None, limit=max(seconds, timeout + 15))
    return judge_drops(target, opened, closed, timeout, "idle handshakes", "handshake timeout")


def judge_drops(target, opened, closed, timeout, what, timeout_name):
    """The result of holding `opened` connections that the server should drop once `timeout` has passed: each was
    dropped, none much later than the timeout, and nearly all could be opened."""
    violations = []
    if len(closed) != opened:
        violations.append(f"{opened - len(closed)} of {opened} {what} were never dropped")
    late = [t for t in closed if t > timeout + 10]
    if late:
        violations.append(f"{len(late)} dropped after more than the {timeout_name} + 10 s (latest {max(late):.1f} s)")
    if opened < target.args.connections * 0.95:
        violations.append(f"only {opened} of {target.args.connections} connections could be opened")
    return {"opened": opened, "dropped": len(closed), "first_drop_s": round(closed[0], 1) if closed else None,
            "last_drop_s": round(closed[-1], 1) if closed else None}, violations


def oversize(target, seconds):
    """Bodies over 7 MiB (413) and heads over the limits (431), over HTTP/1.1 and HTTP/2, one after another."""
    cases = {
        "h1 body 8 MiB": (target.head(8 << 20), 413),
        "h1 header line 9 KiB": (target.head(2, "X-Big: " + "a" * 9000 + "\r\n") + b"{}", 431),
        "h1 150 header fields": (target.head(2, "".join(f"X-{i}: v\r\n" for i in range(150))) + b"{}", 431),
        "h1 head 40 KiB": (target.head(2, "".join(f"X-{i}: {'b' * 7000}\r\n" for i in range(6))) + b"{}", 431),
    }
    seen, violations, rounds = {}, [], 0
    for _ in until(seconds):
        rounds += 1
        for name, (request, expected) in cases.items():
            connection = target.tls()
            try:
                connection.sendall(request)
            except OSError:
                pass
            data, _ = read_until_closed(connection, limit=5)
            connection.close()
            got = statuses(data)
            seen[name] = got
            if got[:1] != [expected]:
                violations.append(f"{name}: {got}, expected {expected}")
        h2 = target.h2()
        h2.send(h2.post_headers(1, "/validate", 8 << 20) + h2.data(1, b"x" * 16000, end=False))
        frames, _ = h2.read_frames(limit=5, done=lambda fs: any(f.type == 1 and f.stream == 1 for f in fs))
        status = [f.status for f in frames if f.type == 1 and f.stream == 1]
        seen["h2 body 8 MiB"] = status
        if status != [413]:
            violations.append(f"h2 body 8 MiB: {status}")
        h2.close()
        h2 = target.h2()
        h2.send(h2.headers(1, h2.encode_post("/validate", 2, [("x-big-" + str(i), "c" * 4000) for i in range(10)]),
                           end_headers=True, end_stream=False) + h2.data(1, b"{}", end=True))
        frames, closed = h2.read_frames(limit=5, done=lambda fs: any(f.stream == 1 and f.type in (1, 3) for f in fs))
        answer = [("status", f.status) if f.type == 1 else ("reset", f.error) for f in frames if f.stream == 1 and f.type in (1, 3)]
        seen["h2 header list 40 KiB"] = answer
        if answer[:1] not in ([("status", 431)], [("reset", 1)], [("reset", 11)]) and not closed:
            violations.append(f"h2 header list 40 KiB: {answer}")
        h2.close()
    return {"rounds": rounds, "answers": seen}, sorted(set(violations))[:8]


def short_body(target, seconds):
    """200 connections whose bodies stop short of their Content-Length, held open, then half-closed: none is
    answered as if complete, and the server closes each."""
    held, violations = [], []
    for number in range(200):
        connection = target.tls()
        body = target.review(f"short-{number}")
        connection.sendall(target.head(len(body)) + body[:-10])
        held.append(connection)
    time.sleep(seconds)
    answered = closed = 0
    for connection in held:
        try:
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    for connection in held:
        data, was_closed = read_until_closed(connection, limit=5)
        if 200 in statuses(data):
            answered += 1
        closed += was_closed
        connection.close()
    if answered:
        violations.append(f"{answered} short bodies were answered 200")
    if closed != len(held):
        violations.append(f"{len(held) - closed} connections with a short body stayed open after the client half-closed")
    return {"connections": len(held), "closed": closed}, violations


def pipelining(target, seconds):
    """20 requests in one write on each connection: 20 answers, in order, each for its own request."""
    rounds, violations = 0, []
    for _ in until(seconds):
        rounds += 1
        uids = [f"pipe-{rounds}-{i}" for i in range(20)]
        connection = target.tls()
        connection.sendall(b"".join(target.head(len(b)) + b for b in (target.review(u) for u in uids)))
        data = b""
        connection.settimeout(10)
        while len(re.findall(rb'"uid":"pipe-', data)) < 20:
            more = connection.recv(65536)
            if not more:
                break
            data += more
        connection.close()
        answered = [m.decode() for m in re.findall(rb'"uid":"(pipe-[^"]*)"', data)]
        if answered != uids or statuses(data) != [200] * 20:
            violations.append(f"round {rounds}: statuses {statuses(data)}, uids {answered}")
    return {"rounds": rounds}, violations[:5]


def smuggling(target, seconds):
    """Pairs of framing headers that disagree, each hiding a second request in the body: 400, the connection
    closes, and the hidden request is never answered."""
    hidden = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
    chunked = b"0\r\n\r\n" + hidden
    base = "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    cases = {
        "CL then TE": (base + f"Content-Length: {len(chunked)}\r\nTransfer-Encoding: chunked\r\n\r\n").encode() + chunked,
        "TE then CL": (base + f"Transfer-Encoding: chunked\r\nContent-Length: {len(chunked)}\r\n\r\n").encode() + chunked,
        "two CLs": (base + f"Content-Length: 0\r\nContent-Length: {len(hidden)}\r\n\r\n").encode() + hidden,
        "TE identity,chunked": (base + "Transfer-Encoding: identity, chunked\r\n\r\n").encode() + chunked,
        "TE with space": (base + "Transfer-Encoding : chunked\r\n\r\n").encode() + chunked,
        "CL with plus": (base + "Content-Length: +0\r\n\r\n").encode() + hidden,
    }
    rounds, violations, seen = 0, [], {}
    for _ in until(seconds):
        rounds += 1
        for name, request in cases.items():
            connection = target.tls()
            connection.sendall(request)
            data, closed = read_until_closed(connection, limit=5)
            connection.close()
            seen[name] = statuses(data)
            if statuses(data) != [400] or not closed:
                violations.append(f"{name}: statuses {statuses(data)}, closed {closed}")
    return {"rounds": rounds, "answers": seen}, sorted(set(violations))


ATTACKS = {f.__name__: f for f in [rapid_reset, continuation_flood, settings_flood, ping_flood, zero_window, streams_1000,
                                   slowloris, idle_handshakes, oversize, short_body, pipelining, smuggling]}


def good_client(args):
    """One keep-alive HTTP/1.1 connection POSTing the review at `--rps` for `--seconds` or until its standard input
    closes; prints latencies as JSON."""
    target = Target(args)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    latencies, failures = [], []
    connection = None
    interval = 1 / args.rps
    start = time.time()
    number = 0
    while time.time() - start < args.seconds and not stop.is_set():
        number += 1
        due = start + number * interval
        time.sleep(max(0, due - time.time()))
        body = target.review(f"good-{number}")
        began = time.perf_counter()
        try:
            if connection is None:
                connection = target.tls(timeout=10)
            connection.sendall(target.head(len(body)) + body)
            data = b""
            while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + content_length(data):
                more = connection.recv(65536)
                if not more:
                    raise ConnectionError("closed by the server")
                data += more
            if statuses(data) != [200] or f'"uid":"good-{number}"'.encode() not in data:
                failures.append(f"request {number}: {data[:120]!r}")
                connection.close()
                connection = None
                continue
            latencies.append((time.perf_counter() - began) * 1000)
        except OSError as error:
            failures.append(f"request {number}: {error}")
            connection = None
    print(json.dumps({"latencies": latencies, "failures": failures}))


def content_length(data):
    match = re.search(rb"\r\ncontent-length: (\d+)\r\n", data[:data.index(b"\r\n\r\n") + 2], re.I)
    return int(match.group(1)) if match else 0


def summary(result):
    latencies = sorted(result["latencies"])

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 2) if latencies else None
    return {"count": len(latencies), "failed": len(result["failures"]), "failures": result["failures"][:5],
            "p50_ms": percentile(0.5), "p99_ms": percentile(0.99)}


def run_good(args, seconds):
    command = [sys.executable, os.path.abspath(__file__), "good", "--port", str(args.port), "--ca", args.ca,
               "--fixture", args.fixture, "--seconds", str(seconds), "--rps", str(args.rps)]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1)) / 1024


def main():
    args = parse_args()
    if args.mode == "good":
        return good_client(args)
    attack = ATTACKS[args.attack]
    peak = [rss_mib(args.pid)]
    stop = threading.Event()

    def sampler():
        while not stop.wait(0.1):
            peak.append(rss_mib(args.pid))
    threading.Thread(target=sampler, daemon=True).start()
    baseline_client = run_good(args, args.seconds)
    time.sleep(args.seconds + 0.5)
    baseline = summary(json.loads(baseline_client.communicate()[0]))
    before = max(peak)
    good = run_good(args, 600)
    time.sleep(0.5)
    # The attacker runs at the lowest priority: on the test machine it shares the cores with the server, and what is
    # measured is the server's answer to the attack, not the attacker's competition for the CPU.
    os.nice(19)
    observed, violations = attack(Target(args), args.seconds)
    loaded = summary(json.loads(good.communicate("")[0]))
    stop.set()
    print(json.dumps({"attack": args.attack, "baseline": baseline, "loaded": loaded, "rss_before_mib": round(before, 1),
                      "rss_peak_mib": round(max(peak), 1), "observed": observed, "violations": violations}))


if __name__ == "__main__":
    main()
