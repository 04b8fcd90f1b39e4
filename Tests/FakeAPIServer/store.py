"""The object store: one global resourceVersion counter like etcd, objects by resource, and a bounded event history
that watches replay from."""

import bisect
import collections
import copy
import datetime
import random
import string
import threading
import uuid


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class StoreError(Exception):
    """A write the API server refuses; `kind` is notFound, alreadyExists or conflict."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


class Event:
    """One change: type (ADDED, MODIFIED, DELETED), the resource, and the object as it was then."""

    def __init__(self, rv, kind, resource, obj):
        self.rv = rv
        self.type = kind
        self.resource = resource
        self.object = obj


class Store:
    """Thread-safe objects and history; watchers wait on `changed`."""

    def __init__(self, history=1000, first_rv=100):
        self.lock = threading.Condition()
        self.rv = first_rv
        self.objects = {}  # (group, plural) -> {(namespace, name): object}
        self.history = collections.deque(maxlen=history)
        self.compacted = first_rv  # watches from an RV below this get 410
        self.changing_writes = {}  # selfLink -> updates through the API that changed the object

    # Reads

    def get(self, resource, namespace, name):
        with self.lock:
            obj = self.objects.get(resource.key, {}).get((namespace or "", name))
            return copy.deepcopy(obj)

    def list(self, resource, namespace, matches):
        """Returns (objects sorted by namespace and name, current resourceVersion)."""
        with self.lock:
            bucket = self.objects.get(resource.key, {})
            items = [copy.deepcopy(bucket[k]) for k in sorted(bucket)
                     if (namespace is None or k[0] == namespace) and matches(bucket[k])]
            return items, self.rv

    def events_after(self, rv, resource, wanted):
        """(history events newer than `rv` for `resource` that pass `wanted`, current resourceVersion), read at once;
        the events are None when `rv` is older than the history window (the watch must answer 410)."""
        with self.lock:
            if rv < self.compacted:
                return None, self.rv
            # History is ordered by resourceVersion: skip to the first newer event without scanning the rest.
            start = bisect.bisect_right(self.history, rv, key=lambda e: e.rv)
            events = [self.history[i] for i in range(start, len(self.history))]
            return [e for e in events if e.resource.key == resource.key and wanted(e.object)], self.rv

    def wait(self, rv, timeout):
        """Waits until the counter passes `rv` or `timeout` seconds pass; returns the current counter."""
        with self.lock:
            if self.rv <= rv:
                self.lock.wait(timeout)
            return self.rv

    def current(self):
        with self.lock:
            return self.rv

    # Writes

    def _record(self, kind, resource, obj):
        if len(self.history) == self.history.maxlen:
            self.compacted = self.history[0].rv
        self.history.append(Event(self.rv, kind, resource, copy.deepcopy(obj)))
        self.lock.notify_all()

    def _bump(self, obj):
        self.rv += 1
        obj.setdefault("metadata", {})["resourceVersion"] = str(self.rv)

    def create(self, resource, namespace, obj):
        """Stores a new object, filling in name (from generateName), uid, resourceVersion, creationTimestamp."""
        with self.lock:
            meta = obj.setdefault("metadata", {})
            if not meta.get("name") and meta.get("generateName"):
                suffix = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(5))
                meta["name"] = meta["generateName"] + suffix
            bucket = self.objects.setdefault(resource.key, {})
            key = (namespace or "", meta["name"])
            if key in bucket:
                raise StoreError("alreadyExists")
            self._fill(resource, namespace, obj)
            if resource.generation:
                meta["generation"] = 1
            self._bump(obj)
            bucket[key] = obj
            self._record("ADDED", resource, obj)
            return copy.deepcopy(obj)

    def _fill(self, resource, namespace, obj):
        meta = obj["metadata"]
        if namespace:
            meta["namespace"] = namespace
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", now_rfc3339())
        meta["selfLink"] = resource.self_link(namespace, meta["name"])
        obj.setdefault("apiVersion", resource.api_version)
        obj.setdefault("kind", resource.kind)

    def update(self, resource, namespace, name, change, precondition=None):
        """Replaces an object with `change(current copy)`; bumps generation and resourceVersion if it changed.

        `precondition` is a resourceVersion the object must still have (409 otherwise). A change that alters
        nothing is not written: no new resourceVersion, no event, as with the real server.
        """
        with self.lock:
            bucket = self.objects.get(resource.key, {})
            key = (namespace or "", name)
            if key not in bucket:
                raise StoreError("notFound")
            current = bucket[key]
            if precondition is not None and precondition != current["metadata"].get("resourceVersion"):
                raise StoreError("conflict")
            updated = change(copy.deepcopy(current))
            meta = updated.setdefault("metadata", {})
            for field in ("uid", "creationTimestamp", "selfLink", "name", "namespace", "resourceVersion"):
                if field in current["metadata"]:
                    meta[field] = current["metadata"][field]
            if "generation" in current["metadata"]:
                meta["generation"] = current["metadata"]["generation"]
            if updated == current:
                return copy.deepcopy(current)
            if resource.generation and _spec_of(updated) != _spec_of(current):
                meta["generation"] = current["metadata"].get("generation", 0) + 1
            self._bump(updated)
            bucket[key] = updated
            self._record("MODIFIED", resource, updated)
            self.changing_writes[meta["selfLink"]] = self.changing_writes.get(meta["selfLink"], 0) + 1
            return copy.deepcopy(updated)

    def delete(self, resource, namespace, name):
        with self.lock:
            bucket = self.objects.get(resource.key, {})
            key = (namespace or "", name)
            if key not in bucket:
                raise StoreError("notFound")
            obj = bucket.pop(key)
            self._bump(obj)
            self._record("DELETED", resource, obj)
            return copy.deepcopy(obj)

    def put_direct(self, resource, obj):
        """Sets an object exactly as given (status, creationTimestamp, generation kept); for test setup."""
        with self.lock:
            meta = obj.setdefault("metadata", {})
            namespace = meta.get("namespace") if resource.namespaced else None
            bucket = self.objects.setdefault(resource.key, {})
            key = (namespace or "", meta["name"])
            existing = bucket.get(key)
            if existing is not None:
                meta.setdefault("uid", existing["metadata"].get("uid"))
                meta.setdefault("creationTimestamp", existing["metadata"].get("creationTimestamp"))
            self._fill(resource, namespace, obj)
            if resource.generation:
                meta.setdefault("generation", existing["metadata"].get("generation", 1) if existing else 1)
            self._bump(obj)
            bucket[key] = obj
            self._record("MODIFIED" if existing else "ADDED", resource, obj)
            return copy.deepcopy(obj)

    def changes(self):
        """Per object path, how many updates and patches changed the object (objects set directly are not counted)."""
        with self.lock:
            return dict(self.changing_writes)

    def compact(self):
        """Forgets the whole event history: every watch from an older resourceVersion then gets 410."""
        with self.lock:
            self.history.clear()
            self.compacted = self.rv


def _spec_of(obj):
    return {k: v for k, v in obj.items() if k not in ("metadata", "status")}
