"""Seeded random faults: per API request, at configured rates, one of the injected faults of `faults.Fault`, chosen
only where the real API server could answer that way."""

import random
import re
import threading

KINDS = ("delay", "drop", "error", "throttle", "conflict", "gone", "lose_answer", "drop_watch", "stall_watch")
"""Every fault the chaos mode injects, in the order the draw tests them."""

UPDATES = ("PUT", "PATCH")
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class Chaos:
    """`POST /__fake/chaos` body: `seed`, `rates` (kind -> probability per request; the kinds are tested in the order of
    `KINDS` with one draw each, so at most one effect besides `delay` applies), `user_agent` (regular expression: only
    requests whose User-Agent matches are touched; "" = all), `max_delay` (seconds, default 0.5), `retry_after` (seconds
    in the 429's header and `retryAfterSeconds`, default 1), `stall_seconds` (default 3), `drop_watch_after` (a dropped
    watch is cut after 0 to N events, default 5).

    The kinds: `delay` (a random pause up to `max_delay` before the answer), `drop` (the connection is closed with no
    answer, nothing done), `error` (500 InternalError), `throttle` (429 TooManyRequests with Retry-After), `conflict`
    (PUT or PATCH of a named object: 409 Conflict, the fixtures' Status, nothing written), `gone` (a watch: one ERROR event
    with Status 410 Expired, as fixture 32; a list with a `continue` token or `resourceVersionMatch=Exact`: 410 Expired, as
    fixtures 33 and 34), `lose_answer` (POST, PUT, PATCH or DELETE: the write is applied, then the connection is closed before the
    answer, as when an API server restarts mid-request), `drop_watch` (the watch stream is cut mid-way), `stall_watch`
    (the watch answers its headers, then sends nothing, not even bookmarks, for `stall_seconds`, then goes on).
    """

    def __init__(self, spec):
        self.seed = int(spec.get("seed", 0))
        self.random = random.Random(self.seed)
        self.rates = {kind: float(rate) for kind, rate in (spec.get("rates") or {}).items()}
        unknown = sorted(set(self.rates) - set(KINDS))
        if unknown:
            raise ValueError("unknown chaos kinds %s; known: %s" % (", ".join(unknown), ", ".join(KINDS)))
        self.user_agent = re.compile(spec.get("user_agent") or "")
        self.max_delay = float(spec.get("max_delay", 0.5))
        self.retry_after = int(spec.get("retry_after", 1))
        self.stall_seconds = float(spec.get("stall_seconds", 3))
        self.drop_watch_after = int(spec.get("drop_watch_after", 5))
        self.counts = {kind: 0 for kind in KINDS}
        self.requests = 0

    def applies(self, kind, method, verb, name, params):
        if kind in ("drop_watch", "stall_watch"):
            return verb == "watch"
        if kind == "gone":
            return verb == "watch" or (verb == "list" and (
                bool(params.get("continue")) or params.get("resourceVersionMatch") == "Exact"))
        if kind == "conflict":
            return method in UPDATES and bool(name)
        if kind == "lose_answer":
            return method in WRITES
        return True

    def draw(self, method, verb, name, params, user_agent):
        """A fault spec for this request (the keys of `faults.Fault`), or None; counted."""
        if not self.user_agent.search(user_agent or ""):
            return None
        self.requests += 1
        fault = {}
        for kind in KINDS:
            if self.random.random() >= self.rates.get(kind, 0.0) or not self.applies(kind, method, verb, name, params):
                continue
            self.counts[kind] += 1
            if kind == "delay":
                fault["delay"] = self.random.uniform(0, self.max_delay)
                continue
            fault.update(self.effect(kind, verb))
            break
        return fault or None

    def effect(self, kind, verb):
        if kind == "drop":
            return {"drop": True}
        if kind == "error":
            return {"status": 500, "message": "chaos"}
        if kind == "throttle":
            return {"status": 429, "retry_after": self.retry_after}
        if kind == "conflict":
            return {"status": 409}
        if kind == "gone":
            return {"expire_watch": True} if verb == "watch" else {"status": 410}
        if kind == "lose_answer":
            return {"lose_answer": True}
        if kind == "drop_watch":
            return {"drop_watch_after": self.random.randint(0, self.drop_watch_after)}
        return {"stall_watch": self.stall_seconds}

    def describe(self):
        return {"seed": self.seed, "rates": self.rates, "requests": self.requests, "counts": dict(self.counts)}


class ChaosSwitch:
    """The chaos mode in force, if any; draws are serialized so that a seed gives one sequence of decisions."""

    def __init__(self):
        self.lock = threading.Lock()
        self.chaos = None
        self.last = None

    def start(self, spec):
        with self.lock:
            self.chaos = Chaos(spec)
            self.last = self.chaos

    def stop(self):
        """Turns chaos off; what it did stays readable."""
        with self.lock:
            self.chaos = None
            return self.last.describe() if self.last else {}

    def describe(self):
        with self.lock:
            if self.last is None:
                return {"on": False}
            return dict(self.last.describe(), on=self.chaos is not None)

    def draw(self, method, verb, name, params, user_agent):
        with self.lock:
            return self.chaos.draw(method, verb, name, params, user_agent) if self.chaos else None
