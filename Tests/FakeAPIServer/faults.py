"""Injected faults and the log of requests seen."""

import re
import threading
import time


class Fault:
    """One rule: which requests it matches, how many times, and what it does.

    Fields (POST /__fake/faults body): `method` ("*" by default), `path` (regular expression searched in the path),
    `query` (regular expression searched in the raw query), `count` (default 1; 0 = every time), and the effect:
    `delay` (seconds, before anything else), `status` (answer with that Status code; `retry_after` adds the header and
    `retryAfterSeconds`; `message` overrides the text), `drop` (close the connection without an answer),
    `drop_watch_after` (a watch sends N events, then the TCP connection is closed mid-stream), `expire_watch`
    (a watch answers 200 with one ERROR event, Status 410 Expired), `stall_watch` (seconds: a watch answers its headers,
    then sends nothing, bookmarks included, for that long), `lose_answer` (the request is carried out, then the connection
    is closed before the answer), `pdb` ("violated" or "processing": an eviction is
    refused with the fixtures' 429; `budget` names the PodDisruptionBudget).
    """

    def __init__(self, spec, ident):
        self.id = ident
        self.spec = spec
        self.method = spec.get("method", "*").upper()
        self.path = re.compile(spec.get("path", ""))
        self.query = re.compile(spec["query"]) if spec.get("query") else None
        self.remaining = int(spec.get("count", 1))
        self.hits = 0

    def matches(self, method, path, query):
        if self.method not in ("*", method):
            return False
        if not self.path.search(path):
            return False
        return self.query is None or bool(self.query.search(query))

    def describe(self):
        return dict(self.spec, id=self.id, hits=self.hits)


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.next_id = 1

    def add(self, spec):
        with self.lock:
            fault = Fault(spec, self.next_id)
            self.next_id += 1
            self.rules.append(fault)
            return fault.id

    def clear(self):
        with self.lock:
            self.rules = []

    def list(self):
        with self.lock:
            return [f.describe() for f in self.rules]

    def take(self, method, path, query, accept=lambda spec: True):
        """The first matching rule that `accept`s, counted as used; None when nothing matches."""
        with self.lock:
            for fault in self.rules:
                if fault.matches(method, path, query) and accept(fault.spec):
                    fault.hits += 1
                    if fault.remaining > 0:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self.rules.remove(fault)
                    return fault.spec
            return None


class RequestLog:
    """Every API request seen (control requests excepted), in arrival order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []

    def add(self, entry):
        with self.lock:
            entry["seq"] = len(self.entries) + 1
            entry["time"] = time.time()
            self.entries.append(entry)

    def all(self):
        with self.lock:
            return list(self.entries)

    def clear(self):
        with self.lock:
            self.entries = []
