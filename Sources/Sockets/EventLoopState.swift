import HeapModule

/// A task suspended until a descriptor is ready.
struct Waiter {
    var id: UInt64
    var continuation: UnsafeContinuation<Void, any Error>
}

/// What the loop knows about one registered descriptor.
struct Descriptor {
    var readSeen: UInt64 = 0
    var writeSeen: UInt64 = 0
    var reader: Waiter?
    var writer: Waiter?

    func seen(_ direction: IODirection) -> UInt64 {
        direction == .read ? readSeen : writeSeen
    }

}

/// A deadline in the timer heap; stale entries (waiter gone) are skipped when they come up.
struct Deadline: Comparable {
    var instant: ContinuousClock.Instant
    var id: UInt64
    var fd: Int32
    var direction: IODirection

    static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.instant < rhs.instant }
    static func == (lhs: Deadline, rhs: Deadline) -> Bool { lhs.instant == rhs.instant && lhs.id == rhs.id }
}

/// The event loop's state, always used under its lock.
struct LoopState {
    var descriptors: [Int32: Descriptor] = [:]
    var deadlines = Heap<Deadline>()
    /// Where each waiting id sits, so that cancellation finds it.
    var waiting: [UInt64: (fd: Int32, direction: IODirection)] = [:]
    /// Ids cancelled before their waiter was added.
    var cancelledEarly: Set<UInt64> = []
    /// When the loop thread plans to wake up next; `nil` while it waits without a timeout.
    var plannedWake: ContinuousClock.Instant?
    private var lastID: UInt64 = 0

    mutating func nextID() -> UInt64 {
        lastID += 1
        return lastID
    }

    /// Adds a waiter, or resumes it at once; returns whether the loop thread must wake for a nearer deadline.
    mutating func add(_ waiter: Waiter, fd: Int32, _ direction: IODirection, since mark: UInt64, deadline: ContinuousClock.Instant?) -> Bool {
        if cancelledEarly.remove(waiter.id) != nil {
            waiter.continuation.resume(throwing: CancellationError())
            return false
        }
        guard var descriptor = descriptors[fd], descriptor.seen(direction) == mark else {
            waiter.continuation.resume()
            return false
        }
        if let deadline, deadline <= .now {
            waiter.continuation.resume(throwing: SocketError(.timedOut, call: "wait"))
            return false
        }
        if direction == .read { descriptor.reader = waiter } else { descriptor.writer = waiter }
        descriptors[fd] = descriptor
        waiting[waiter.id] = (fd, direction)
        guard let deadline else { return false }
        deadlines.insert(Deadline(instant: deadline, id: waiter.id, fd: fd, direction: direction))
        if let plannedWake, plannedWake <= deadline { return false }
        plannedWake = deadline
        return true
    }

    /// Removes the waiter `id` and returns it for resumption, or records an early cancellation.
    mutating func cancel(_ id: UInt64) -> UnsafeContinuation<Void, any Error>? {
        guard let place = waiting[id] else {
            cancelledEarly.insert(id)
            return nil
        }
        return take(fd: place.fd, place.direction, id: id)
    }

    /// Records readiness of `fd` in `direction` and returns the waiter to resume, if any.
    mutating func signal(fd: Int32, _ direction: IODirection) -> [UnsafeContinuation<Void, any Error>] {
        guard var descriptor = descriptors[fd] else { return [] }
        let waiter: Waiter?
        if direction == .read {
            descriptor.readSeen &+= 1
            waiter = descriptor.reader
            descriptor.reader = nil
        } else {
            descriptor.writeSeen &+= 1
            waiter = descriptor.writer
            descriptor.writer = nil
        }
        descriptors[fd] = descriptor
        guard let waiter else { return [] }
        waiting[waiter.id] = nil
        return [waiter.continuation]
    }

    /// Forgets `fd` and returns its waiters for resumption.
    mutating func remove(fd: Int32) -> [Waiter] {
        guard let descriptor = descriptors.removeValue(forKey: fd) else { return [] }
        let waiters = [descriptor.reader, descriptor.writer].compactMap { $0 }
        for waiter in waiters { waiting[waiter.id] = nil }
        return waiters
    }

    /// Removes and returns every waiter whose deadline has passed.
    mutating func expire(now: ContinuousClock.Instant) -> [UnsafeContinuation<Void, any Error>] {
        var expired: [UnsafeContinuation<Void, any Error>] = []
        while let first = deadlines.min, first.instant <= now {
            deadlines.removeMin()
            if let continuation = take(fd: first.fd, first.direction, id: first.id) { expired.append(continuation) }
        }
        return expired
    }

    /// The `epoll_wait` timeout in milliseconds until the nearest live deadline, or -1 for none.
    mutating func planTimeout(now: ContinuousClock.Instant) -> Int32 {
        // Waiters resumed by readiness leave their deadline behind; drop them in bulk before they pile up.
        if deadlines.count > 2 * waiting.count + 1024 {
            deadlines = Heap(deadlines.unordered.filter { waiting[$0.id] != nil })
        }
        while let first = deadlines.min, waiting[first.id] == nil { deadlines.removeMin() }
        plannedWake = deadlines.min?.instant
        guard let next = plannedWake else { return -1 }
        let left = next - now
        guard left > .zero else { return 0 }
        let milliseconds = left.components.seconds * 1000 + (left.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(min(milliseconds, Int64(Int32.max)))
    }

    private mutating func take(fd: Int32, _ direction: IODirection, id: UInt64) -> UnsafeContinuation<Void, any Error>? {
        guard waiting.removeValue(forKey: id) != nil, var descriptor = descriptors[fd] else { return nil }
        let waiter = direction == .read ? descriptor.reader : descriptor.writer
        guard let waiter, waiter.id == id else { return nil }
        if direction == .read { descriptor.reader = nil } else { descriptor.writer = nil }
        descriptors[fd] = descriptor
        return waiter.continuation
    }
}
