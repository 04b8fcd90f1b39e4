#!/usr/bin/env python3
"""Faults under load against the real `triggergate serve`, each scenario with a table and a PASS or FAIL line.

    faults.py --binary PATH [--scenario rotation|sigterm|sigterm-h1|sigterm-h2|outage|connections|all] [--seconds S]
              [--rps R] [--swaps N] [--max-connections N] [--json]

The load is this script's own client (threads, one connection each, every request paced to a steady rate and checked:
HTTP 200 and an AdmissionReview answer with the request's uid). It tells a request that failed after it was sent
(`failed`, which must stay 0) from a connection the server refused before anything was sent (`refused`, expected once
a shutting-down server stopped accepting, or past --max-connections). Modes: `h1` (HTTP/1.1 keep-alive, as the API
server's webhook client), `h2` (HTTP/2, one stream at a time), `new` (a new TLS connection per request, HTTP/1.1).

Scenarios:
  rotation     the serving certificate replaced several times as kubelet updates a Secret volume (a new timestamped
               directory, then the `..data` symlink swapped by one rename), under h1, h2 and new-connection load: 0
               failed, and a fresh handshake sees each new certificate's serial within the check interval + 2 s.
  sigterm      SIGTERM at steady load, once over HTTP/1.1 and once over HTTP/2: 0 failed, exit 0, and SPEC §6's order as
               clients and the log see it: /readyz fails at once, new connections are still served for the delay,
               then each connection is told to go (Connection: close or GOAWAY), then new ones are refused, then exit.
  outage       serve with a kubeconfig to the fake API server (Tests/FakeAPIServer), reconciler and the cache-backed
               checks on; the API server is cut and refused for a third of --seconds (`/__fake/outage`) under load on
               /validate and /gate: 0 failed; reviews decided by the rules or the caches keep their decisions, with a
               p99 within max(2 x the p99 before, 20 ms); a changed trigger, whose SubjectAccessReview answer is cached
               for about 10 s, is denied as SPEC §4 says (fail closed, "try again") once that ran out, within the
               review's 2 s deadline, and allowed again after; then a job change reaches the gate through the
               reconciler's restarted watch.
  connections  --max-connections N: N + 30 TLS connections opened beside a well-behaved client; it stays served,
               the excess is closed at once, the server uses under 20% of a core while it holds the limit (the
               client's requests included: no spinning), and once the held connections close, new ones are served
               again. --seconds does not apply.

The last line with --json is one JSON object: {"scenarios": [{"name", "pass", "violations", ...}], "pass"}.
"""

import argparse
import datetime
import http.client
import ipaddress
import json
import os
import re
import select
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Hostile"))
from frames import H2  # noqa: E402
FIXTURES = os.environ.get("TRIGGERGATE_FIXTURES") or os.path.join(os.path.dirname(ROOT), "shared", "fixtures")
REVIEW = "01-create-kubectl-apply.validating.raw.json"
GATE_REVIEW = "10-deployment-create-with-sync-wave.validating.raw.json"
# Reviews that need no API call (pure rules or caches), and one whose changed trigger needs a SubjectAccessReview.
STEADY_REVIEWS = ["05-update-kubectl-apply-dry-run-server.validating.raw.json", "09-update-as-serviceaccount-token.validating.raw.json",
                  "14-update-replace-mutating-patch-restores-key.validating.raw.json"]
REVIEWED_TRIGGER = "02-update-kubectl-apply.validating.raw.json"
SAR_DEADLINE = 2.0


def now():
    return time.monotonic()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = now() + timeout
    while now() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 2)


# Certificates: one CA, a new serving certificate (new serial) per rotation, as cert-manager renews one.

class Certificates:
    def __init__(self, directory):
        self.directory = directory
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "faults test CA")])
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        self.ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self.ca_key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(start)
                   .not_valid_after(start + datetime.timedelta(days=2))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(self.ca_key, hashes.SHA256()))
        self.ca_file = os.path.join(directory, "ca.crt")
        with open(self.ca_file, "wb") as file:
            file.write(self.ca.public_bytes(serialization.Encoding.PEM))

    def issue(self, serial):
        """A serving certificate for localhost and 127.0.0.1 with `serial`: (certificate PEM, key PEM)."""
        key = ec.generate_private_key(ec.SECP256R1())
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        names = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
        certificate = (x509.CertificateBuilder()
                       .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
                       .issuer_name(self.ca.subject).public_key(key.public_key()).serial_number(serial)
                       .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=1))
                       .add_extension(names, critical=False).sign(self.ca_key, hashes.SHA256()))
        return (certificate.public_bytes(serialization.Encoding.PEM),
                key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


class SecretVolume:
    """A directory laid out as kubelet lays out a Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..TIMESTAMP/.
    `write` makes a new timestamped directory, points a temporary symlink at it, renames that over `..data` (the one
    atomic step), then removes the old directory, as kubelet's AtomicWriter does."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory)
        self.certificate = os.path.join(directory, "tls.crt")
        self.key = os.path.join(directory, "tls.key")
        self.current = None

    def write(self, certificate, key):
        stamp = "..%s.%d" % (datetime.datetime.now().strftime("%Y_%m_%d_%H_%M_%S"), time.monotonic_ns())
        target = os.path.join(self.directory, stamp)
        os.makedirs(target)
        for name, data in (("tls.crt", certificate), ("tls.key", key)):
            with open(os.path.join(target, name), "wb") as file:
                file.write(data)
        temporary = os.path.join(self.directory, "..data_tmp")
        os.symlink(stamp, temporary)
        os.rename(temporary, os.path.join(self.directory, "..data"))
        for name in ("tls.crt", "tls.key"):
            link = os.path.join(self.directory, name)
            if not os.path.islink(link):
                os.symlink(os.path.join("..data", name), link)
        if self.current:
            for name in ("tls.crt", "tls.key"):
                os.remove(os.path.join(self.directory, self.current, name))
            os.rmdir(os.path.join(self.directory, self.current))
        self.current = stamp


# The server under test.

class Server:
    def __init__(self, binary, directory, certificate, key, extra=(), environment=None):
        self.port, self.health = free_port(), free_port()
        self.log_path = os.path.join(directory, f"serve-{self.port}.log")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--health-listen", f"127.0.0.1:{self.health}",
             "--tls-cert-file", certificate, "--tls-key-file", key, *extra],
            stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, "KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": "", **(environment or {})})
        wait_for_port(self.port)
        wait_for_port(self.health)

    def log_lines(self):
        """The log, one JSON object a line (others skipped), each with `seen`, its line number."""
        lines = []
        with open(self.log_path, "rb") as file:
            for number, line in enumerate(file):
                try:
                    lines.append({**json.loads(line), "seen": number})
                except ValueError:
                    pass
        return lines

    def metrics(self):
        return urllib.request.urlopen(f"http://127.0.0.1:{self.health}/metrics", timeout=5).read().decode()

    def metric(self, name):
        match = re.search(r"^" + re.escape(name) + r" ([0-9.e+-]+)$", self.metrics(), re.M)
        return float(match.group(1)) if match else None

    def cpu_seconds(self):
        fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


# The load client.

class Review:
    """A captured AdmissionReview whose `request.uid` is replaced for every request."""

    def __init__(self, name, filler=0):
        self.body = open(os.path.join(FIXTURES, "admission", name), "rb").read()
        if filler:
            self.body = self.body.replace(b'"request":{', b'"request":{"filler":[' + b",".join([b'{"k":[1,2,3]}'] * filler) + b"],", 1)
        self.counter = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            self.counter += 1
            uid = f"faults-{self.counter:08d}-0000-0000-000000000000"
        body = re.sub(rb'("request":\{.*?"uid":")[^"]*(")', lambda m: m.group(1) + uid.encode() + m.group(2), self.body,
                      count=1, flags=re.S)
        return uid, body


def judge(status, data, uid):
    """(decision, problem): the answer's (`allowed`, status message) when it is a 200 AdmissionReview for `uid`, else
    a problem."""
    if status != 200:
        return None, f"HTTP {status}"
    try:
        response = json.loads(data)["response"]
    except (ValueError, KeyError, TypeError):
        return None, "not an AdmissionReview"
    if response.get("uid") != uid:
        return None, f"uid {response.get('uid')} for {uid}"
    return (response.get("allowed"), response.get("status", {}).get("message", "")), None


class Refused(Exception):
    """The connection was refused or closed before the request was sent: not a failed request."""


class Worker(threading.Thread):
    """One connection at a time, sending `review` to `path` every `interval` seconds.

    Each request is kept as (start, latency, outcome, detail, decision), outcome one of ok, failed, refused.
    `notices` holds (time, "close") for each `Connection: close` answer and (time, "goaway") for each GOAWAY;
    `serials` (time the connection began, serial of the certificate served) for each new handshake: the server picks
    the certificate when it accepts, so one accepted just before a reload may finish its handshake with the old one."""

    def __init__(self, name, mode, target, path, review, interval, ca_file):
        super().__init__(daemon=True)
        self.name, self.mode, self.target, self.path, self.review, self.interval = name, mode, target, path, review, interval
        self.context = ssl.create_default_context(cafile=ca_file)
        self.context.set_alpn_protocols(["h2"] if mode == "h2" else ["http/1.1"])
        self.records, self.notices, self.serials = [], [], []
        self.halt = threading.Event()
        self.connection = None

    def run(self):
        beat = now()
        while not self.halt.is_set():
            uid, body = self.review.next()
            start = now()
            try:
                decision, problem = self.send(uid, body)
                outcome = "ok" if problem is None else "failed"
            except Refused as refused:
                decision, problem, outcome = None, str(refused), "refused"
                self.drop()
            except (OSError, ssl.SSLError, http.client.HTTPException) as error:
                decision, problem, outcome = None, f"{type(error).__name__}: {error}", "failed"
                self.drop()
            self.records.append((start, now() - start, outcome, problem, decision))
            if self.mode == "new":
                self.drop()
            beat += self.interval
            self.halt.wait(max(0, beat - now()))

    def connect(self):
        began = now()
        try:
            raw = socket.create_connection(("127.0.0.1", self.target), timeout=10)
        except OSError as error:
            raise Refused(f"connect: {error}")
        try:
            connection = self.context.wrap_socket(raw, server_hostname="localhost")
        except (OSError, ssl.SSLError) as error:
            raw.close()
            raise Refused(f"handshake: {error}")
        serial = x509.load_der_x509_certificate(connection.getpeercert(binary_form=True)).serial_number
        self.serials.append((began, serial))
        return connection

    def drop(self):
        if self.connection is not None:
            try:
                self.connection[0].close()
            except OSError:
                pass
            self.connection = None

    def send(self, uid, body):
        if self.connection is not None and self.closed_while_idle():
            if self.mode == "h1":
                self.notices.append((now(), "closed while idle"))
            self.drop()
        if self.connection is None:
            tls = self.connect()
            self.connection = (tls, H2(tls, {}) if self.mode == "h2" else None)
            self.streams = 1
        if self.mode == "h2":
            return self.send_h2(uid, body)
        return self.send_h1(uid, body)

    def closed_while_idle(self):
        """Whether the server closed the idle connection (or, over HTTP/2, sent GOAWAY): as Go's client, whose reader
        notices that between requests, the connection is then not used again."""
        tls, session = self.connection
        if not select.select([tls], [], [], 0)[0]:
            return False
        if session is not None:
            frames, closed = session.read_frames(limit=0.01)
            self.note_goaways(frames)
            return closed or any(f.type == 7 for f in frames)
        try:
            tls.settimeout(0.01)
            tls.recv(1)  # b"" when closed; bytes nobody asked for are as bad
            return True
        except (socket.timeout, TimeoutError, ssl.SSLWantReadError):
            return False
        except OSError:
            return True
        finally:
            tls.settimeout(10)

    def note_goaways(self, frames):
        self.notices += [(now(), "goaway") for f in frames if f.type == 7]

    def send_h1(self, uid, body):
        tls = self.connection[0]
        tls.sendall((f"POST {self.path}?timeout=10s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
        response = http.client.HTTPResponse(tls)
        response.begin()
        data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.notices.append((now(), "close"))
            self.drop()
        return judge(response.status, data, uid)

    def send_h2(self, uid, body):
        tls, session = self.connection
        stream = self.streams
        self.streams += 2
        session.send(session.post(stream, self.path + "?timeout=10s", body))

        def ended(frames):
            return any(f.stream == stream and (f.end_stream or f.type == 3) for f in frames)
        frames, closed = session.read_frames(limit=10, done=ended)
        self.note_goaways(frames)
        dropped = [f.last_stream for f in frames if f.type == 7 and f.last_stream < stream]
        if dropped:
            raise ConnectionError(f"GOAWAY with last stream {dropped[0]} dropped stream {stream}")
        resets = [f.error for f in frames if f.type == 3 and f.stream == stream]
        if resets:
            raise ConnectionError(f"stream {stream} reset with error {resets[0]}")
        if not ended(frames):
            raise ConnectionError("the server closed the connection before the answer ended" if closed else "no answer in 10 s")
        status = next((f.status for f in frames if f.type == 1 and f.stream == stream), None)
        data = b"".join(f.data for f in frames if f.type == 0 and f.stream == stream)
        if any(f.type == 7 for f in frames):
            self.drop()
        return judge(status, data, uid)


class Load:
    """Workers started together; `rps` is each one's rate."""

    def __init__(self, specs, port, ca_file, rps):
        self.workers = [Worker(name, mode, port, path, review, 1 / rps, ca_file) for name, mode, path, review in specs]

    def __enter__(self):
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *_):
        self.stop()

    def stop(self):
        for worker in self.workers:
            worker.halt.set()
        for worker in self.workers:
            worker.join(timeout=15)
            worker.drop()

    def records(self, after=None, before=None):
        return [r for w in self.workers for r in w.records
                if (after is None or r[0] >= after) and (before is None or r[0] < before)]


def summary(records):
    latencies = [r[1] for r in records if r[2] == "ok"]
    return {"ok": len(latencies), "failed": sum(r[2] == "failed" for r in records),
            "refused": sum(r[2] == "refused" for r in records), "p50_ms": ms(percentile(latencies, 0.5)),
            "p99_ms": ms(percentile(latencies, 0.99)), "max_ms": ms(max(latencies) if latencies else None),
            "failures": sorted({r[3] for r in records if r[2] == "failed"})[:5]}


def print_table(title, rows):
    print(f"\n{title}")
    print(f"{'':<22}{'ok':>7}{'failed':>8}{'refused':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, row in rows:
        print(f"{name:<22}{row['ok']:>7}{row['failed']:>8}{row['refused']:>9}{row['p50_ms'] or '-':>9}"
              f"{row['p99_ms'] or '-':>9}{row['max_ms'] or '-':>9}")
        for failure in row["failures"]:
            print(f"{'':<22}failed: {failure}")


def worker_rows(load, after=None, before=None):
    return [(worker.name, summary([r for r in worker.records if (after is None or r[0] >= after)
                                   and (before is None or r[0] < before)])) for worker in load.workers]


def result(name, violations, **details):
    print(("PASS" if not violations else "FAIL") + f" {name}" + "".join(f"\n  - {v}" for v in violations))
    return {"name": name, "pass": not violations, "violations": violations, **details}


def fresh_serial(port, ca_file):
    context = ssl.create_default_context(cafile=ca_file)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True)).serial_number


# Scenarios.

def rotation(args, directory):
    certificates = Certificates(directory)
    volume = SecretVolume(os.path.join(directory, "secret"))
    volume.write(*certificates.issue(1000))
    check = 0.2 if args.seconds < 15 else 1.0
    server = Server(args.binary, directory, volume.certificate, volume.key, ["--certificate-check-interval", f"{int(check * 1000)}ms"])
    review = Review(REVIEW)
    swaps, seen = max(5, args.swaps), []
    try:
        specs = [("h1 keep-alive", "h1", "/validate", review), ("h2", "h2", "/validate", review),
                 ("new connection each", "new", "/validate", review)]
        with Load(specs, server.port, certificates.ca_file, args.rps / 3) as load:
            for number in range(1, swaps + 1):
                time.sleep(args.seconds / (swaps + 1))
                serial = 1000 + number
                volume.write(*certificates.issue(serial))
                swapped = now()
                served = False
                while not served and now() - swapped < check + 2:
                    served = fresh_serial(server.port, certificates.ca_file) == serial
                    if not served:
                        time.sleep(0.02)
                seen.append({"serial": serial, "seen_after_s": round(now() - swapped, 3), "seen": served, "at": now()})
            time.sleep(args.seconds / (swaps + 1))
        rows = worker_rows(load)
        total = summary(load.records())
        handshakes = [handshake for worker in load.workers for handshake in worker.serials]
        stale = [(t, s) for t, s in handshakes for swap in seen if swap["seen"] and t > swap["at"] + 0.2 and s < swap["serial"]]
        print_table(f"certificate rotation: {swaps} atomic ..data swaps in {args.seconds:.0f} s, files checked every {check} s", rows)
        print(f"\n{'swap':<6}{'serial':>8}{'a fresh handshake saw it after':>34}")
        for number, swap in enumerate(seen, 1):
            print(f"{number:<6}{swap['serial']:>8}{(str(swap['seen_after_s']) + ' s' if swap['seen'] else 'never'):>34}")
        print(f"handshakes during the run: {len(handshakes)}, of them begun 0.2 s after a newer certificate was seen and "
              f"still served an older one: {len(stale)}")
        violations = []
        if total["failed"]:
            violations.append(f"{total['failed']} failed requests: {total['failures']}")
        violations += [f"{name}: no request answered" for name, row in rows if row["ok"] == 0]
        violations += [f"serial {swap['serial']} not served within {check + 2} s" for swap in seen if not swap["seen"]]
        if stale:
            violations.append(f"{len(stale)} handshakes after a swap was seen still got an older certificate")
        for swap in seen:
            del swap["at"]
        return result("rotation", violations, total=total, swaps=seen, handshakes=len(handshakes))
    finally:
        server.stop()


class ReadinessPoller(threading.Thread):
    """GET /readyz every 50 ms: (time, status or None)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.seen, self.halt = port, [], threading.Event()

    def run(self):
        while not self.halt.wait(0.05):
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=1).status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = None
            self.seen.append((now(), status))


def sigterm(args, directory, protocol):
    certificates = Certificates(directory)
    volume = SecretVolume(os.path.join(directory, f"secret-{protocol}"))
    volume.write(*certificates.issue(2000))
    delay, grace = (1.0, 5.0) if args.seconds < 15 else (3.0, 10.0)
    server = Server(args.binary, directory, volume.certificate, volume.key,
                    ["--shutdown-delay", f"{int(delay * 1000)}ms", "--shutdown-grace", f"{int(grace)}s"])
    review = Review(REVIEW)
    specs = [(f"{protocol} keep-alive {n}", protocol, "/validate", review) for n in (1, 2, 3)]
    specs.append(("new connection each", "new", "/validate", review))
    if protocol == "h1":
        # Decisions that take a while, so that some are surely in flight when the drain begins.
        specs.append(("h1 slow decisions", "h1", "/validate", Review(REVIEW, filler=60000)))
    readiness = ReadinessPoller(server.health)
    readiness.start()
    try:
        with Load(specs, server.port, certificates.ca_file, args.rps / len(specs)) as load:
            time.sleep(args.seconds / 2)
            term = now()
            server.process.send_signal(signal.SIGTERM)
            try:
                code = server.process.wait(timeout=delay + grace + 10)
            except subprocess.TimeoutExpired:
                code = None
            exited = now()
            time.sleep(0.3)
        readiness.halt.set()
        readiness.join()
        keepalive = [w for w in load.workers if w.mode == protocol]
        notices = sorted(t for w in keepalive for t, _ in w.notices if t >= term)
        unready = next((t for t, status in readiness.seen if t >= term and status != 200), None)
        fresh = next(w for w in load.workers if w.mode == "new")
        served_new = [r for r in fresh.records if term <= r[0] and r[0] + r[1] < term + delay - 0.1 and r[2] == "ok"]
        refused = [r[0] for w in load.workers for r in w.records if r[0] >= term and r[2] == "refused"]
        in_flight = [r for r in load.records() if notices and r[0] < notices[0] < r[0] + r[1]]
        rows = worker_rows(load)
        total = summary(load.records())
        log = server.log_lines()
        order = ["shutting down: /readyz now fails; still accepting for the shutdown delay",
                 "shutting down: no longer accepting; draining connections", "admission server stopped"]
        logged = [next((line["seen"] for line in log if line.get("message") == message), None) for message in order]

        def at(t):
            return "-" if t is None else f"{t - term:+.3f} s"
        print_table(f"SIGTERM over {protocol}: --shutdown-delay {delay} s, --shutdown-grace {grace} s, "
                    f"SIGTERM {args.seconds / 2:.1f} s into the load", rows)
        print(f"\nwhat clients saw, from SIGTERM:")
        print(f"  /readyz first failed       {at(unready)}")
        print(f"  new connections served     {len(served_new)} within the delay")
        print(f"  first {'Connection: close' if protocol == 'h1' else 'GOAWAY':<22} {at(notices[0] if notices else None)}"
              f" ({len(notices)} on {len(keepalive)} keep-alive clients)")
        print(f"  first refused connection   {at(min(refused) if refused else None)}")
        print(f"  exit code {code}               {at(exited)}")
        print(f"  requests in flight when the drain began: {len(in_flight)}, failed: {total['failed']}")
        print(f"  log order: {' < '.join(str(n) for n in logged)} (line numbers of: {'; '.join(order)})")
        violations = []
        if code != 0:
            violations.append(f"exit code {code}")
        if total["failed"]:
            violations.append(f"{total['failed']} failed requests: {total['failures']}")
        if unready is None or unready - term > 0.5:
            violations.append(f"/readyz did not fail within 0.5 s of SIGTERM ({at(unready)})")
        if not served_new:
            violations.append("no new connection was served during the shutdown delay")
        if not notices or notices[0] < term + delay - 0.2:
            violations.append(f"the drain notice came at {at(notices[0] if notices else None)}, not after the {delay} s delay")
        if len({id(w) for w in keepalive if any(t >= term for t, _ in w.notices)}) != len(keepalive):
            violations.append("not every keep-alive client was told to go")
        if refused and min(refused) < term + delay - 0.2:
            violations.append(f"a new connection was refused at {at(min(refused))}, during the delay")
        if notices and exited < notices[0]:
            violations.append("the process exited before it told its clients to go")
        if None in logged or logged != sorted(logged):
            violations.append(f"the log does not show SPEC §6's order: {logged}")
        return result(f"sigterm {protocol}", violations, total=total, exit_code=code, in_flight_at_drain=len(in_flight),
                      readyz_failed_after_s=None if unready is None else round(unready - term, 3),
                      drain_after_s=round(notices[0] - term, 3) if notices else None,
                      exited_after_s=round(exited - term, 3))
    finally:
        readiness.halt.set()
        server.stop()


class FakeAPI:
    """Tests/FakeAPIServer over plain HTTP with a bearer token, and a kubeconfig for it."""

    def __init__(self, directory):
        port_file, control_file = os.path.join(directory, "api-port"), os.path.join(directory, "control-port")
        self.log = open(os.path.join(directory, "fake-api.log"), "wb")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "Tests", "FakeAPIServer", "fake_apiserver.py"),
             "--fixtures", os.path.join(FIXTURES, "kube-api"), "--port-file", port_file, "--control-port", "0",
             "--control-port-file", control_file, "--token", "faults-token"], stdout=self.log, stderr=subprocess.STDOUT)
        self.port, self.control = self.read_port(port_file), self.read_port(control_file)
        wait_for_port(self.port)
        wait_for_port(self.control)
        self.kubeconfig = os.path.join(directory, "kubeconfig")
        with open(self.kubeconfig, "w") as file:
            file.write(f"""apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:{self.port}
users:
- name: fake
  user:
    token: faults-token
contexts:
- name: fake
  context: {{cluster: fake, user: fake, namespace: default}}
current-context: fake
""")

    def read_port(self, path):
        deadline = now() + 20
        while now() < deadline:
            try:
                return int(open(path).read())
            except (OSError, ValueError):
                time.sleep(0.05)
        raise RuntimeError("the fake API server did not start")

    def requests(self):
        return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{self.control}/__fake/requests", timeout=10).read())

    def post(self, name, value):
        request = urllib.request.Request(f"http://127.0.0.1:{self.control}/__fake/{name}", data=json.dumps(value).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        return json.loads(urllib.request.urlopen(request, timeout=10).read() or b"{}")

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.log.close()


def eventually(condition, timeout):
    """Seconds until `condition()` held, checked every 50 ms; None when it never did within `timeout`."""
    start = now()
    while now() - start < timeout:
        try:
            if condition():
                return now() - start
        except OSError:
            pass
        time.sleep(0.05)
    return None


def admit_once(port, ca_file, path, review):
    """One request over a new connection: the answer's `allowed`, or None."""
    worker = Worker("probe", "new", port, path, review, 0, ca_file)
    uid, body = review.next()
    try:
        decision, problem = worker.send(uid, body)
    finally:
        worker.drop()
    return None if problem else decision[0]


def watch_restarts(metrics):
    return sum(float(v) for v in re.findall(r"^triggergate_watch_restarts_total\{[^}]*\} ([0-9.]+)$", metrics, re.M))


def outage(args, directory):
    certificates = Certificates(directory)
    volume = SecretVolume(os.path.join(directory, "secret-outage"))
    volume.write(*certificates.issue(3000))
    api = FakeAPI(directory)
    gate = Review(GATE_REVIEW)
    deployment = json.loads(gate.body)["request"]["object"]["metadata"]
    namespace = deployment["namespace"]
    job = {"apiVersion": "mlops.mlops.dev/v1alpha1", "kind": "NotebookValidationJob",
           "metadata": {"name": "model-training", "namespace": namespace,
                        "labels": {k: v for k, v in deployment.get("labels", {}).items() if k == "app.kubernetes.io/instance"},
                        "annotations": {"argocd.argoproj.io/sync-wave": "3", "mlops.dev/block-wave": "4"}},
           "spec": {"notebook": {"path": "train.ipynb"}}, "status": {"phase": "ValidationRunning"}}
    api.post("objects", [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}, job])
    server = Server(args.binary, directory, volume.certificate, volume.key,
                    ["--kubeconfig", api.kubeconfig, "--lease-namespace", "triggergate", "--shutdown-delay", "0s"],
                    environment={"KUBECONFIG": api.kubeconfig})
    baseline = outage_seconds = after = args.seconds / 3
    try:
        synced = eventually(lambda: admit_once(server.port, certificates.ca_file, "/gate", gate) is False, 30)
        # Updates decided by the rules alone, and a Deployment in a wave that a running job blocks (denied, from the job
        # cache): the API server's outage must not change them. A changed trigger needs a SubjectAccessReview, whose
        # answer is cached for about 10 s: once that ran out during the outage, SPEC §4 denies it (fail closed, "try
        # again") within the review's 2 s deadline, and allows it again once the API server is back.
        steady = [Review(name) for name in STEADY_REVIEWS]
        specs = [("h1 /validate", "h1", "/validate", steady[0]), ("h2 /validate", "h2", "/validate", steady[1]),
                 ("new conn. /validate", "new", "/validate", steady[2]), ("h1 /gate", "h1", "/gate", gate),
                 ("h1 changed trigger", "h1", "/validate", Review(REVIEWED_TRIGGER))]
        restarts_before = watch_restarts(server.metrics())
        api_calls = len(api.requests())
        with Load(specs, server.port, certificates.ca_file, args.rps / len(specs)) as load:
            time.sleep(baseline)
            cut = now()
            api.post("outage", {"seconds": outage_seconds})
            time.sleep(outage_seconds)
            back = now()
            time.sleep(after)
        reviews = [q for q in api.requests()[api_calls:] if q.get("resource") == "subjectaccessreviews"]
        job["status"] = {"phase": "Succeeded", "completionTime": "2026-12-07T10:00:00Z"}
        api.post("objects", job)
        recovered = eventually(lambda: admit_once(server.port, certificates.ca_file, "/gate", gate) is True, 30)
        metrics = server.metrics()
        restarts = watch_restarts(metrics)
        unsynced = re.findall(r'^triggergate_watch_synced\{resource="([^"]+)"\} 0$', metrics, re.M)
        phases = [("before", None, cut), ("API down", cut, back), ("after", back, None)]
        cached = [w for w in load.workers if w.name != "h1 changed trigger"]
        reviewed = next(w for w in load.workers if w.name == "h1 changed trigger")
        summaries = {name: summary([r for w in cached for r in w.records if r[0] >= (start or 0) and r[0] < (end or float("inf"))])
                     for name, start, end in phases}
        reviewed_down = [r for r in reviewed.records if cut <= r[0] < back and r[2] == "ok"]
        reviewed_after = [r for r in reviewed.records if r[0] >= back + 2 and r[2] == "ok"]
        for name, start, end in phases:
            print_table(f"API outage, {name}: {outage_seconds:.1f} s cut and refused (/__fake/outage), load on /validate and /gate",
                        worker_rows(load, start, end))
        decisions = {w.name: sorted({repr(r[4][0]) for r in w.records if r[2] == "ok"}) for w in cached}
        closed = [r for r in reviewed_down if r[4][0] is False]
        bound = max(2 * (summaries["before"]["p99_ms"] or 0), 20)
        print(f"\ndecisions by client: {decisions}; SubjectAccessReviews asked during the load: {len(reviews)}")
        print(f"p99 bound during the outage: max(2 x {summaries['before']['p99_ms']} ms, 20 ms) = {bound} ms; "
              f"p99 then {summaries['API down']['p99_ms']} ms")
        print(f"changed trigger during the outage: {len(reviewed_down) - len(closed)} allowed (cached review), {len(closed)} "
              f"denied (fail closed), slowest {ms(max((r[1] for r in reviewed_down), default=None))} ms; "
              f"from 2 s after: {sum(r[4][0] is True for r in reviewed_after)} of {len(reviewed_after)} allowed")
        print(f"cache synced after {synced and round(synced, 2)} s; after the outage the job's success reached the gate in "
              f"{recovered and round(recovered, 2)} s; watch restarts {restarts_before:.0f} -> {restarts:.0f}")
        violations = []
        for name, row in summaries.items():
            if row["failed"]:
                violations.append(f"{name}: {row['failed']} failed requests: {row['failures']}")
            if row["ok"] == 0:
                violations.append(f"{name}: no request answered")
        violations += [f"{name} got different decisions: {values}" for name, values in decisions.items() if len(values) != 1]
        if (summaries["API down"]["p99_ms"] or float("inf")) > bound:
            violations.append(f"p99 during the outage {summaries['API down']['p99_ms']} ms over the bound {bound} ms")
        if reviewed.records and summary(reviewed.records)["failed"]:
            violations.append(f"changed trigger: failed requests: {summary(reviewed.records)['failures']}")
        wrong = [r[4][1] for r in closed if "fails closed" not in r[4][1]]
        if wrong:
            violations.append(f"changed trigger denied during the outage without the fail-closed message: {wrong[:2]}")
        slow = [r[1] for r in reviewed_down if r[1] > SAR_DEADLINE + 0.5]
        if slow:
            violations.append(f"changed trigger: {len(slow)} answers during the outage took over {SAR_DEADLINE + 0.5} s")
        if not reviewed_after or any(r[4][0] is not True for r in reviewed_after):
            violations.append("changed trigger: not allowed again once the API server was back")
        if synced is None:
            violations.append("the gate never saw the job (the job cache did not sync)")
        if recovered is None:
            violations.append("after the outage, the job's success never reached the gate")
        if restarts <= restarts_before:
            violations.append("no watch was restarted: the outage did not reach the reconciler")
        if unsynced:
            violations.append(f"watch caches not synced after the outage: {unsynced}")
        return result("outage", violations, phases=summaries, p99_bound_ms=bound, fail_closed=len(closed),
                      recovered_after_s=recovered and round(recovered, 3), watch_restarts=restarts - restarts_before)
    finally:
        server.stop()
        api.stop()


def connections(args, directory):
    certificates = Certificates(directory)
    volume = SecretVolume(os.path.join(directory, "secret-connections"))
    volume.write(*certificates.issue(4000))
    limit, excess = args.max_connections, 30
    server = Server(args.binary, directory, volume.certificate, volume.key, ["--max-connections", str(limit)])
    review = Review(REVIEW)
    context = ssl.create_default_context(cafile=certificates.ca_file)

    def open_many(count):
        held, closed = [], 0
        for _ in range(count):
            try:
                raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                tls = context.wrap_socket(raw, server_hostname="localhost")
                tls.settimeout(0.1)
                try:
                    if tls.recv(1) == b"":
                        raise ConnectionError("closed")
                except (socket.timeout, TimeoutError):
                    pass
                held.append(tls)
            except (OSError, ssl.SSLError):
                closed += 1
        return held, closed
    try:
        with Load([("h1 keep-alive", "h1", "/validate", review)], server.port, certificates.ca_file, args.rps) as load:
            time.sleep(1)
            start = now()
            held, closed = open_many(limit - 1 + excess)
            saturated = now()
            cpu = server.cpu_seconds()
            time.sleep(2)
            idle_cpu = (server.cpu_seconds() - cpu) / 2
            refused = server.metric("triggergate_admission_connections_refused_total")
            open_gauge = server.metric("triggergate_admission_connections_open")
            for tls in held:
                tls.close()
            released = now()
            time.sleep(0.5)
            again, closed_again = open_many(limit - 1)
            for tls in again:
                tls.close()
            time.sleep(0.5)
        rows = [("h1 keep-alive, before", summary(load.records(None, start))),
                ("while at the limit", summary(load.records(start, released))),
                ("after", summary(load.records(released)))]
        print_table(f"--max-connections {limit}: {limit - 1 + excess} connections opened beside one keep-alive client", rows)
        print(f"\nopened and held: {len(held)}, closed at once: {closed} (refused counter {refused}, open gauge {open_gauge})")
        print(f"server CPU while holding the limit: {idle_cpu * 100:.1f}% of a core; opening them took {saturated - start:.2f} s")
        print(f"after the held ones closed: {len(again)} of {limit - 1} new connections held, {closed_again} closed")
        violations = []
        total = summary(load.records())
        if total["failed"]:
            violations.append(f"the well-behaved client had {total['failed']} failed requests: {total['failures']}")
        if rows[1][1]["ok"] == 0:
            violations.append("the well-behaved client was not served while the limit held")
        if len(held) != limit - 1 or closed != excess:
            violations.append(f"held {len(held)} (want {limit - 1}) and closed {closed} (want {excess})")
        if refused is None or refused < excess:
            violations.append(f"triggergate_admission_connections_refused_total is {refused}, want at least {excess}")
        if open_gauge != limit:
            violations.append(f"triggergate_admission_connections_open is {open_gauge}, want {limit}")
        if idle_cpu > 0.2:
            violations.append(f"the server used {idle_cpu * 100:.0f}% of a core while holding the limit (spinning?)")
        if len(again) != limit - 1:
            violations.append(f"after the held connections closed only {len(again)} of {limit - 1} new ones were held")
        log = [line for line in server.log_lines() if line.get("message", "").startswith("connection limit reached")]
        if not log:
            violations.append("no warning was logged when the limit was reached")
        return result("connections", violations, held=len(held), closed=closed, refused_metric=refused,
                      cpu_at_limit=round(idle_cpu, 3), held_after=len(again), client=total)
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the triggergate binary")
    parser.add_argument("--scenario", default="all",
                        choices=["rotation", "sigterm", "sigterm-h1", "sigterm-h2", "outage", "connections", "all"])
    parser.add_argument("--seconds", type=float, default=20, help="load time of each scenario (the SIGTERM comes halfway)")
    parser.add_argument("--rps", type=float, default=150, help="requests per second over all clients of a scenario")
    parser.add_argument("--swaps", type=int, default=6, help="certificate swaps in the rotation scenario (at least 5)")
    parser.add_argument("--max-connections", type=int, default=50, help="the limit in the connections scenario")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    chosen = {"all": ["rotation", "sigterm-h1", "sigterm-h2", "outage", "connections"],
              "sigterm": ["sigterm-h1", "sigterm-h2"]}.get(args.scenario, [args.scenario])
    results = []
    with tempfile.TemporaryDirectory(prefix="tg-faults-") as directory:
        for name in chosen:
            folder = os.path.join(directory, name)
            os.makedirs(folder)
            if name.startswith("sigterm"):
                results.append(sigterm(args, folder, name.split("-")[1]))
            else:
                results.append(globals()[name](args, folder))
    passed = all(r["pass"] for r in results)
    print(f"\n{'PASS' if passed else 'FAIL'}: {', '.join(r['name'] + (' ok' if r['pass'] else ' FAILED') for r in results)}")
    if args.json:
        print(json.dumps({"scenarios": results, "pass": passed}))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
