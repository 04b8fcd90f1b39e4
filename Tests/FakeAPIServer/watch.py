"""Watch streams: chunked `{"type":…,"object":…}\n` events, bookmarks, 410 for a too-old resourceVersion,
and injected drops and stalls."""

import time

import wire


def event_line(kind, obj, sort_keys):
    return ('{"type":"%s","object":%s}\n' % (kind, wire.dumps(obj, sort_keys))).encode("utf-8")


def bookmark(resource, rv):
    obj = {"apiVersion": resource.api_version, "kind": resource.kind, "metadata": {"resourceVersion": str(rv)}}
    return event_line("BOOKMARK", obj, False)


def expired(message):
    return event_line("ERROR", wire.status(410, "Expired", message), False)


class Watch:
    """One watch request, served on the handler's connection until its timeout."""

    def __init__(self, handler, resource, matches, params, fault):
        self.handler = handler
        self.app = handler.server.app
        self.resource = resource
        self.matches = matches
        self.rv = params.get("resourceVersion", "")
        timeout = params.get("timeoutSeconds")
        self.timeout = float(timeout) if timeout else 1800.0
        self.bookmarks = params.get("allowWatchBookmarks", "") in ("true", "1")
        self.fault = fault or {}
        self.sent = 0

    def send(self, lines):
        """Writes event lines, batched into chunks of at most 2048 bytes (so events span chunks);
        closes the connection after `drop_watch_after` events when that fault is set."""
        limit = self.fault.get("drop_watch_after")
        if limit is not None and self.sent + len(lines) >= limit:
            lines = lines[:max(0, limit - self.sent)]
            self._write(lines)
            self.handler.drop_connection()
        self._write(lines)
        self.sent += len(lines)

    def _write(self, lines):
        for piece in wire.chunks(b"".join(lines)) if lines else []:
            self.handler.write_chunk(piece)
        self.handler.wfile.flush()

    def serve(self):
        store = self.app.store
        self.handler.start_stream()
        if self.fault.get("expire_watch"):
            self._write([expired("too old resource version: %s (%d)" % (self.rv or "0", store.current()))])
            self.handler.end_chunks()
            return
        if self.fault.get("stall_watch"):
            time.sleep(float(self.fault["stall_watch"]))
        sort_keys = self.resource.custom
        if self.rv in ("", "0"):
            items, cursor = store.list(self.resource, None, self.matches)
            self.send([event_line("ADDED", item, sort_keys) for item in items])
        else:
            cursor = int(self.rv)
        start = time.monotonic()
        deadline = start + self.timeout
        next_bookmark = self._next_bookmark(start, deadline)
        while True:
            events, current = store.events_after(cursor, self.resource, self.matches)
            if events is None:
                self._write([expired("too old resource version: %d (%d)" % (cursor, store.compacted + 1))])
                break
            if events:
                self.send([event_line(e.type, e.object, sort_keys) for e in events])
            cursor = current
            now = time.monotonic()
            if next_bookmark is not None and now >= next_bookmark:
                self._write([bookmark(self.resource, cursor)])
                next_bookmark = self._next_bookmark(now, deadline)
            if now >= deadline:
                break
            until = min(deadline, next_bookmark) if next_bookmark is not None else deadline
            store.wait(cursor, max(0.0, until - now))
        self.handler.end_chunks()

    def _next_bookmark(self, now, deadline):
        """About 2 s before the deadline (as captured), or every `bookmark_interval` seconds when configured."""
        if not self.bookmarks:
            return None
        candidates = []
        if self.timeout > 2 and deadline - 2 > now:
            candidates.append(deadline - 2)
        interval = self.app.config.get("bookmark_interval")
        if interval:
            candidates.append(now + float(interval))
        return min(candidates) if candidates else None
