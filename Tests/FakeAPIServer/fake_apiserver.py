#!/usr/bin/env python3
"""A fake kube-apiserver for triggergate's tests (Python 3 standard library only).

It behaves like the captures in `fixtures/kube-api/`: discovery documents served from the fixture files, a generic
object store with one global resourceVersion counter, merge and JSON patches with resourceVersion preconditions,
`Status` bodies shaped like the real ones, chunked list and watch answers (chunks of at most 2048 bytes), bookmarks,
410 for a too-old resourceVersion, evictions with PodDisruptionBudget refusals, and Leases with 409 on conflicts.

Control endpoints (on the API port, and on `--control-port` over plain HTTP when given):
  GET    /__fake/health                  200 when up
  POST   /__fake/faults    {fault}       inject a fault (see faults.Fault); answers {"id": N}
  GET    /__fake/faults                  the faults still armed;  DELETE /__fake/faults clears them
  GET    /__fake/requests                every API request seen: method, path, query, content_type, body,
                                         user_agent, authorization, verb, group, resource, namespace, name,
                                         peer (client address:port: the same for requests on one connection)
  DELETE /__fake/requests                forget them
  POST   /__fake/objects   {object}|[…]  set objects exactly as given (status, creationTimestamp, generation)
  GET    /__fake/object?path=P           the stored object at API path P (no auth, no faults, not logged)
  POST   /__fake/config    {settings}    latency (seconds per API request), bookmark_interval (seconds),
                                         sar_allowed (bool), tokens (accepted bearer tokens), namespace_lifecycle
                                         (bool: creates in a namespace with no Namespace object get 404),
                                         service_proxy ({"NS/NAME:PORT": URL}: services/NAME:PORT/proxy/ goes there)
  POST   /__fake/outage    {"seconds": S}  a restart: API connections cut and refused for S seconds, store kept
  POST   /__fake/chaos     {chaos}       seeded random faults on every API request (see chaos.Chaos)
  GET    /__fake/chaos                   the chaos mode: seed, rates, requests drawn for, faults injected per kind
  DELETE /__fake/chaos                   chaos off; answers what it injected
  GET    /__fake/changes                 writes that changed an object, per object path (what a trigger's effect is
                                         counted by: a write that changes nothing is no effect, as on the real server)
  POST   /__fake/compact                 forget the event history: older resourceVersions now get 410

Run: fake_apiserver.py --fixtures DIR [--port N] [--port-file F] [--tls-cert C --tls-key K [--client-ca CA]]
     [--token T ...] [--control-port N --control-port-file F] [--eviction-v1] [--history N] [--latency S]
"""

import argparse
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True

import api  # noqa: E402 (after turning off .pyc files in the source tree)
import fixtures
import resources  # noqa: E402
import wire  # noqa: E402
from chaos import ChaosSwitch
from faults import Faults, RequestLog
from http_io import ConnectionDropped, Plumbing
from store import Store

WATCH_ONLY = ("drop_watch_after", "expire_watch", "stall_watch")
SERVICE_PROXY = re.compile(r"^/api/v1/namespaces/([^/]+)/services/(?:https?:)?([^/:]+)(?::([^/]+))?/proxy(/.*)?$")


class App:
    """Everything the handlers share."""

    def __init__(self, args):
        self.store = Store(history=args.history, first_rv=args.first_rv)
        self.discovery = fixtures.load_discovery(args.fixtures, eviction_v1=args.eviction_v1)
        self.eviction_v1 = args.eviction_v1
        self.faults = Faults()
        self.chaos = ChaosSwitch()
        self.log = RequestLog()
        self.config = {"tokens": list(args.token or []), "latency": args.latency}
        self.client_ca = args.client_ca
        self.verbose = args.verbose
        self.connections = set()
        self.connections_lock = threading.Lock()
        self.api_server = None


class Handler(Plumbing):
    def setup(self):
        app = self.server.app
        with app.connections_lock:
            app.connections.add(self.request)
        super().setup()

    def finish(self):
        app = self.server.app
        with app.connections_lock:
            app.connections.discard(self.request)
        super().finish()

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def dispatch(self):
        url = urlsplit(self.path)
        self.path_only, self.query = url.path, url.query
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        body = self.read_body()
        try:
            if self.path_only.startswith("/__fake/"):
                self.control(body)
            else:
                self.api(params, body)
        except api.Refusal as refusal:
            self.send_status(refusal.status, refusal.headers)
        except ConnectionDropped:
            pass
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # API requests

    def api(self, params, body):
        app = self.server.app
        target = resources.parse_path(self.path_only)
        verb = api.kube_verb(self.command, target, params) if target else self.command.lower()
        resource = None
        if target:
            resource = target.resource.plural + ("/" + target.subresource if target.subresource else "")
        app.log.add({
            "method": self.command, "path": self.path_only, "query": self.query,
            "content_type": self.headers.get("Content-Type"), "body": body.decode("utf-8", "replace"),
            "user_agent": self.headers.get("User-Agent"), "authorization": self.headers.get("Authorization"),
            "verb": verb, "group": target.resource.group if target else None, "resource": resource,
            "namespace": target.namespace if target else None, "name": target.name if target else None,
            "peer": "%s:%d" % self.client_address[:2],
        })
        latency = app.config.get("latency")
        if latency:
            time.sleep(float(latency))
        self.authenticate(target, verb)
        is_watch = verb == "watch"
        is_eviction = bool(target and target.subresource == "eviction")
        fault = app.faults.take(self.command, self.path_only, self.query, lambda spec: (
            (is_watch or not any(spec.get(k) is not None and spec.get(k) is not False for k in WATCH_ONLY))
            and not spec.get("pdb"))) or app.chaos.draw(
            self.command, verb, target.name if target else None, params, self.headers.get("User-Agent"))
        self.lose_answer = bool(fault and fault.get("lose_answer"))
        if fault:
            if fault.get("delay"):
                time.sleep(float(fault["delay"]))
            if fault.get("drop"):
                self.drop_connection()
            if fault.get("status"):
                retry = fault.get("retry_after")
                headers = [("Retry-After", str(retry))] if retry is not None else []
                raise api.Refusal(wire.injected(int(fault["status"]), retry, fault.get("message"), target), headers)
        proxied = SERVICE_PROXY.match(self.path_only)
        if proxied and self.command == "GET":
            return self.proxy(*proxied.groups())
        if target is None:
            captured = app.discovery.get(self.path_only)
            if captured is None:
                return self.send_page_not_found()
            return self.send_bytes(captured.code, captured.data, captured.content_type)
        api.API(self, target, params, body).serve(self.command, fault if is_watch else None)

    def send_bytes(self, code, data, content_type="application/json", headers=()):
        """With the `lose_answer` fault, the request has been carried out, and the connection is closed instead."""
        if getattr(self, "lose_answer", False):
            self.lose_answer = False
            self.drop_connection()
        super().send_bytes(code, data, content_type, headers)

    def proxy(self, namespace, name, port, rest):
        """The API server's proxy to a Service port (`services/[SCHEME:]NAME[:PORT]/proxy/PATH`): config `service_proxy`
        maps `NS/NAME:PORT` to the URL of what plays the Service's endpoint; without one, the 503 of a Service that has no
        ready endpoints."""
        upstream = (self.server.app.config.get("service_proxy") or {}).get("%s/%s:%s" % (namespace, name, port or ""))
        if upstream is None:
            raise api.Refusal(wire.status(503, "ServiceUnavailable", 'no endpoints available for service "%s"' % name, {}))
        try:
            with urllib.request.urlopen(upstream + (rest or "/"), timeout=10) as answer:
                self.send_bytes(answer.status, answer.read(), answer.headers.get("Content-Type", "text/plain"))
        except urllib.error.HTTPError as error:
            self.send_bytes(error.code, error.read(), error.headers.get("Content-Type", "text/plain"))
        except OSError as error:
            raise api.Refusal(wire.status(503, "ServiceUnavailable", "error trying to reach service: %s" % error, {}))

    def authenticate(self, target, verb):
        tokens = self.server.app.config.get("tokens") or []
        if not tokens and not self.server.app.client_ca:
            return
        header = self.headers.get("Authorization") or ""
        if header:
            if header.startswith("Bearer ") and header[len("Bearer "):] in tokens:
                return
            raise api.Refusal(wire.unauthorized())
        peer = getattr(self.connection, "getpeercert", None)
        if peer is not None and peer():
            return
        raise api.Refusal(wire.forbidden_anonymous(target.resource if target else None, verb))

    # Control requests

    def put_object(self, value):
        resource = resources.BY_KIND.get((value.get("apiVersion"), value.get("kind")))
        if resource is None:
            raise api.Refusal(wire.bad_request("the fake serves no %s %s" % (value.get("apiVersion"), value.get("kind"))))
        return self.server.app.store.put_direct(resource, value)

    def control(self, body):
        app = self.server.app
        name, method = self.path_only[len("/__fake/"):], self.command
        value = json.loads(body) if body else None
        if name == "health":
            return self.send_json(200, {"ok": True})
        if name == "faults" and method == "POST":
            return self.send_json(200, {"id": app.faults.add(value)})
        if name == "faults" and method == "GET":
            return self.send_json(200, app.faults.list())
        if name == "faults" and method == "DELETE":
            app.faults.clear()
            return self.send_json(200, {})
        if name == "requests" and method == "GET":
            return self.send_json(200, app.log.all())
        if name == "requests" and method == "DELETE":
            app.log.clear()
            return self.send_json(200, {})
        if name == "objects" and method == "POST":
            stored = [self.put_object(item) for item in (value if isinstance(value, list) else [value])]
            return self.send_json(200, stored if isinstance(value, list) else stored[0])
        if name == "object" and method == "GET":
            params = {k: v[0] for k, v in parse_qs(self.query).items()}
            target = resources.parse_path(params.get("path", ""))
            obj = app.store.get(target.resource, target.namespace, target.name) if target and target.name else None
            if obj is None:
                return self.send_json(404, {})
            return self.send_json(200, obj, sort_keys=target.resource.custom)
        if name == "config" and method == "POST":
            app.config.update(value)
            return self.send_json(200, app.config)
        if name == "outage" and method == "POST":
            threading.Thread(target=outage, args=(app, float(value.get("seconds", 1))), daemon=True).start()
            return self.send_json(200, {})
        if name == "chaos" and method == "POST":
            try:
                app.chaos.start(value)
            except ValueError as error:
                raise api.Refusal(wire.bad_request(str(error)))
            return self.send_json(200, app.chaos.describe())
        if name == "chaos" and method == "GET":
            return self.send_json(200, app.chaos.describe())
        if name == "chaos" and method == "DELETE":
            return self.send_json(200, app.chaos.stop())
        if name == "changes" and method == "GET":
            return self.send_json(200, app.store.changes())
        if name == "compact" and method == "POST":
            app.store.compact()
            return self.send_json(200, {"resourceVersion": str(app.store.current())})
        self.send_page_not_found()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def serve(app, port, port_file, context=None):
    server = Server(("127.0.0.1", port), Handler)
    server.app = app
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    if port_file:
        with open(port_file + ".tmp", "w") as handle:
            handle.write(str(server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def outage(app, seconds):
    """An API server restart, store kept (as etcd keeps it): the API listener closes, every open API connection
    (watches included) is cut, new connections are refused for `seconds`, then the listener opens on the same port."""
    server, context = app.api_server
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    with app.connections_lock:
        cut = [c for c in app.connections if c.getsockname()[1] == port]
    for connection in cut:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    time.sleep(seconds)
    while True:
        try:
            app.api_server = (serve(app, port, None, context)[0], context)
            return
        except OSError:
            time.sleep(0.05)


def tls_context(args):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.tls_cert, args.tls_key)
    context.set_alpn_protocols(["http/1.1"])
    if args.client_ca:
        context.verify_mode = ssl.CERT_OPTIONAL
        context.load_verify_locations(args.client_ca)
    return context


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", required=True, help="the kube-api fixtures folder (discovery documents)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", help="write the API port here once listening")
    parser.add_argument("--control-port", type=int, help="also serve /__fake/ on this plain-HTTP port (0 = any)")
    parser.add_argument("--control-port-file")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--client-ca", help="accept client certificates signed by this CA as authenticated")
    parser.add_argument("--token", action="append", help="an accepted bearer token (repeatable)")
    parser.add_argument("--eviction-v1", action="store_true", help="serve policy/v1 Eviction discovery (1.25+)")
    parser.add_argument("--history", type=int, default=1000, help="events kept for watches; older RVs get 410")
    parser.add_argument("--first-rv", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API answer (benchmarks)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    app = App(args)
    context = tls_context(args) if args.tls_cert else None
    app.api_server = (serve(app, args.port, args.port_file, context)[0], context)
    if args.control_port is not None:
        serve(app, args.control_port, args.control_port_file)
    print("fake apiserver ready", flush=True)
    try:
        # The API listener's thread ends in an outage and a new one takes over, so wait on neither.
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
